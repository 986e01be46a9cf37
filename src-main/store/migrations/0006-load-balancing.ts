import type { Migration } from '../Migration.ts';

/**
 * Load balancing: each task's routing gets a strategy (the existing rows keep today's behaviour,
 * `ordered`), and each attempt records the strategy that chose it (null for attempts made before
 * or for targets passed over without one). Per-target weights live with the targets in the
 * routing JSON.
 */
export const migration0006: Migration = {
  version: 6,
  name: 'load-balancing',
  up(db) {
    db.exec(`
      ALTER TABLE routing ADD COLUMN strategy TEXT NOT NULL DEFAULT 'ordered'
        CHECK (strategy IN ('ordered', 'weighted', 'least-latency', 'least-cost'));
      ALTER TABLE attempts ADD COLUMN strategy TEXT;
    `);
  },
};
