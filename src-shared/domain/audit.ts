import { z } from 'zod';

/**
 * One row of the audit trail: a request that left the machine (its prompt only as a hash). Its
 * numbers are any SQLite holds, not only exact integers: a row edited by hand is still shown
 * (as read) and named by verify, never a failure of the whole list.
 */
export const auditRowSchema = z.object({
  seq: z.number(),
  at: z.string(),
  requestId: z.string(),
  attemptNo: z.number(),
  task: z.string(),
  providerId: z.string(),
  host: z.string(),
  model: z.string(),
  outcome: z.string(),
  bytesSent: z.number(),
  bytesReceived: z.number(),
  promptSha256: z.string(),
  redactions: z.record(z.string(), z.number()),
  reason: z.string(),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditRowView = z.infer<typeof auditRowSchema>;

export const auditVerdictSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), rows: z.number().int() }),
  z.object({ ok: z.literal(false), rows: z.number().int(), seq: z.number(), problem: z.string() }),
]);
