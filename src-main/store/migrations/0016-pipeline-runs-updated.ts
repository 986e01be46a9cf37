import type { Migration } from '../Migration.ts';

/**
 * Runs by when they last changed: a core with pages open finds the runs another process (the
 * CLI's `plan` or `generate`) created, moved on or ended since it last looked by this index's end
 * (watchExternalChanges), never by reading every run.
 */
export const migration0016: Migration = {
  version: 16,
  name: 'pipeline-runs-updated',
  up(db) {
    db.exec('CREATE INDEX pipeline_runs_updated ON pipeline_runs (updated_at)');
  },
};
