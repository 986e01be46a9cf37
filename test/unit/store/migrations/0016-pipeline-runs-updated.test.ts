import { describe, expect, it } from 'vitest';
import { migratedTo } from '../../../support/migratedTo.ts';

describe('migration 0016-pipeline-runs-updated', () => {
  it('finds the runs changed since a time by an index, not by reading every run', () => {
    const db = migratedTo(16);
    const plan = db.prepare('EXPLAIN QUERY PLAN SELECT id FROM pipeline_runs WHERE updated_at >= ? ORDER BY updated_at').all('2026-01-01') as { detail: string }[];
    expect(plan.map((step) => step.detail)).toEqual(['SEARCH pipeline_runs USING INDEX pipeline_runs_updated (updated_at>?)']);
  });
});
