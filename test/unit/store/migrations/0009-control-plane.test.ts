import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../../../src-main/store/migrations/index.ts';
import { periodStart } from '../../../../src-main/store/periodStart.ts';
import { processTimeZone, ZonedCalendar } from '../../../../src-main/store/ZonedCalendar.ts';

describe('migration 0009-control-plane', () => {
  it("keeps existing attempts (not from the cache, no project) and counts what priced ones cost into this day's and month's totals, per provider and overall", () => {
    const db = new Database(':memory:');
    for (const migration of migrations.filter((m) => m.version <= 8)) migration.up(db);
    const insert = db.prepare("INSERT INTO attempts (request_id, attempt_no, started_at, task, provider_id, model, outcome, cost_usd, reason) VALUES ('r', 1, ?, 'code', ?, 'm', 'ok', ?, 'why')");
    const now = Date.now();
    const at = new Date(now).toISOString();
    insert.run(at, 'openai', 0.25);
    insert.run(at, 'openai', 0.5);
    insert.run(at, 'anthropic', 1);
    insert.run(at, 'here', null);
    insert.run('2001-02-03T04:05:06.000Z', 'openai', 7);
    for (const migration of migrations.filter((m) => m.version === 9)) migration.up(db);

    expect(db.prepare('SELECT DISTINCT cache_hit, project_id, run_id FROM attempts').all()).toEqual([{ cache_hit: 0, project_id: null, run_id: null }]);
    const total = (scope: string, scopeId: string, period: 'day' | 'month', ms = now) =>
      db.prepare('SELECT usd FROM spend_totals WHERE scope = ? AND scope_id = ? AND period = ? AND period_start_ms = ?').pluck().get(scope, scopeId, period, periodStart(period, ms, new ZonedCalendar(processTimeZone())));
    expect(total('overall', '', 'day')).toBeCloseTo(1.75);
    expect(total('overall', '', 'month')).toBeCloseTo(1.75);
    expect(total('provider', 'openai', 'day')).toBeCloseTo(0.75);
    expect(total('provider', 'anthropic', 'month')).toBeCloseTo(1);
    expect(total('provider', 'here', 'day')).toBeUndefined();
    expect(total('provider', 'openai', 'month', Date.parse('2001-02-03T04:05:06.000Z'))).toBe(7);
    // cache_hit is 0 or 1.
    expect(() => db.prepare("INSERT INTO attempts (request_id, attempt_no, started_at, task, provider_id, model, outcome, reason, cache_hit) VALUES ('r', 2, 't', 'code', 'p', 'm', 'ok', 'why', 2)").run()).toThrow(/CHECK constraint failed/);
  });
});
