import { z } from 'zod';

/** One row of the audit trail: a request that left the machine (its prompt only as a hash). */
export const auditRowSchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  requestId: z.string(),
  attemptNo: z.number().int(),
  task: z.string(),
  providerId: z.string(),
  host: z.string(),
  model: z.string(),
  outcome: z.string(),
  bytesSent: z.number().int(),
  bytesReceived: z.number().int(),
  promptSha256: z.string(),
  redactions: z.record(z.string(), z.number().int()),
  reason: z.string(),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditRowView = z.infer<typeof auditRowSchema>;

export const auditVerdictSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), rows: z.number().int() }),
  z.object({ ok: z.literal(false), rows: z.number().int(), seq: z.number().int(), problem: z.string() }),
]);
