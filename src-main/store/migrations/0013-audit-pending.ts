import type { Migration } from '../Migration.ts';

/**
 * Requests on their way off this machine, written before they are sent: a process killed while
 * one was under way (its row of the audit trail is written when the attempt ends) left no trace of
 * a request that did leave. The next process to open the folder appends such a row to the trail
 * as interrupted (AuditRepository, AuditPending). Not chained: rows here only wait for their turn.
 */
export const migration0013: Migration = {
  version: 13,
  name: 'audit-pending',
  up(db) {
    db.exec(`
      CREATE TABLE audit_pending (
        request_id TEXT NOT NULL,
        attempt_no INTEGER NOT NULL,
        owner TEXT NOT NULL,
        at TEXT NOT NULL,
        task TEXT NOT NULL,
        provider_id TEXT NOT NULL,
        host TEXT NOT NULL,
        model TEXT NOT NULL,
        bytes_sent INTEGER NOT NULL,
        prompt_sha256 TEXT NOT NULL,
        redactions TEXT NOT NULL,
        reason TEXT NOT NULL,
        PRIMARY KEY (request_id, attempt_no)
      ) STRICT;
    `);
  },
};
