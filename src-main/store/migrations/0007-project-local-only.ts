import type { Migration } from '../Migration.ts';

/**
 * A project can be kept on this machine whatever the privacy mode: while `local_only` is set,
 * none of its model calls (interview, plan, files, fixes, docs) goes to a cloud provider.
 */
export const migration0007: Migration = {
  version: 7,
  name: 'project-local-only',
  up(db) {
    db.exec('ALTER TABLE projects ADD COLUMN local_only INTEGER NOT NULL DEFAULT 0 CHECK (local_only IN (0, 1))');
  },
};
