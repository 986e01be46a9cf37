import type { Migration } from '../Migration.ts';

/**
 * The audit trail of what left the machine: one row per request sent to a cloud provider, each
 * row's hash covering the row and the hash before it (AuditRepository), so an edit, a deletion or
 * a reordering breaks the chain where it happened. Rows are only ever appended.
 */
export const migration0008: Migration = {
  version: 8,
  name: 'audit-log',
  up(db) {
    db.exec(`
      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        request_id TEXT NOT NULL,
        attempt_no INTEGER NOT NULL,
        task TEXT NOT NULL,
        provider_id TEXT NOT NULL,
        host TEXT NOT NULL,
        model TEXT NOT NULL,
        outcome TEXT NOT NULL,
        bytes_sent INTEGER NOT NULL,
        bytes_received INTEGER NOT NULL,
        prompt_sha256 TEXT NOT NULL,
        redactions TEXT NOT NULL,
        reason TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      ) STRICT;
    `);
  },
};
