import type { AttemptEgress } from '../modelCall/modelCallTypes.ts';
import type { SendingEntry } from '../store/AuditPending.ts';

/** The audit row of an attempt off this machine, as it leaves (what the answer brings is added when it ends). */
export function auditEntryFor(
  attempt: { startedAt: string; requestId: string; attemptNo: number; task: string; providerId: string; model: string; reason: string },
  egress: Omit<AttemptEgress, 'bytesReceived'>,
  host: string,
): SendingEntry {
  return {
    at: attempt.startedAt,
    requestId: attempt.requestId,
    attemptNo: attempt.attemptNo,
    task: attempt.task,
    providerId: attempt.providerId,
    host,
    model: attempt.model,
    bytesSent: egress.bytesSent,
    promptSha256: egress.promptSha256,
    redactions: egress.redactions,
    reason: attempt.reason,
  };
}
