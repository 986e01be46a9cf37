import type { Migration } from '../Migration.ts';

/**
 * When a request written ahead was sent, by the machine's monotonic clock (hostClock): its age
 * was told by its wall-clock time alone, so a clock moved forward (a machine woken from sleep, a
 * clock corrected) had a live call's request appended as interrupted, and one set back kept a
 * request whose writer cannot be told gone from being appended for as long as it went back.
 * Rows written before have neither and are aged by their time, as before (AuditPending).
 */
export const migration0015: Migration = {
  version: 15,
  name: 'audit-pending-clock',
  up(db) {
    db.exec('ALTER TABLE audit_pending ADD COLUMN clock_id TEXT; ALTER TABLE audit_pending ADD COLUMN clock_ms INTEGER;');
  },
};
