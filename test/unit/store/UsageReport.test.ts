import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src-shared/AppError.ts';
import { usageSummarySchema } from '../../../src-shared/domain/usage.ts';
import type { AttemptRecord } from '../../../src-main/modelCall/modelCallTypes.ts';
import { AttemptRepository } from '../../../src-main/store/AttemptRepository.ts';
import { openDatabase } from '../../../src-main/store/openDatabase.ts';
import { ProjectRepository } from '../../../src-main/store/ProjectRepository.ts';
import { ProviderRepository } from '../../../src-main/store/ProviderRepository.ts';
import { percentile, UsageReport } from '../../../src-main/store/UsageReport.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

describe('UsageReport', () => {
  const tempDir = useTempDirs();

  function setup(options: { latencyRows?: number } = {}) {
    const db = openDatabase(join(tempDir(), 'data.db'));
    const providers = new ProviderRepository(db);
    providers.add({ id: 'here', type: 'openai', label: 'Here', location: 'local', baseUrl: 'http://127.0.0.1:8080/v1', models: ['small'], limits: {}, enabled: true });
    providers.add({ id: 'away', type: 'openai', label: 'Away', location: 'cloud', baseUrl: 'https://example.com/v1', models: ['big'], limits: {}, enabled: true });
    const attempts = new AttemptRepository(db, { flushMs: 60_000 });
    const report = new UsageReport(db, { beforeRead: () => attempts.flush(), ...options });
    let n = 0;
    const add = (record: Partial<AttemptRecord> & Pick<AttemptRecord, 'providerId' | 'outcome'>) =>
      attempts.insert({ requestId: `r${n}`, attemptNo: 1, startedAt: `2026-11-10T12:00:${String(n++ % 60).padStart(2, '0')}.000Z`, task: 'code', model: record.providerId === 'here' ? 'small' : 'big', reason: 'first in order', ...record });
    return { db, report, add, attempts, projects: new ProjectRepository(db) };
  }

  it('sums calls, errors, cancelled and cache hits per provider, with skipped targets apart and never as calls', () => {
    const { report, add } = setup();
    add({ providerId: 'here', outcome: 'ok', inputTokens: 100, outputTokens: 10, latencyMs: 300, firstTokenMs: 50 });
    add({ providerId: 'here', outcome: 'ok', inputTokens: 200, outputTokens: 20, latencyMs: 100, firstTokenMs: 30 });
    add({ providerId: 'here', outcome: 'error', latencyMs: 5 });
    add({ providerId: 'away', outcome: 'ok', inputTokens: 1000, outputTokens: 500, costUsd: 0.02, latencyMs: 900, firstTokenMs: 400 });
    add({ providerId: 'away', outcome: 'ok', inputTokens: 1000, outputTokens: 500, costUsd: 0.5, cacheHit: true, latencyMs: 1 });
    add({ providerId: 'away', outcome: 'cancelled' });
    for (let i = 0; i < 4; i++) add({ providerId: 'away', outcome: 'skipped', reason: 'circuit open' });

    const summary = report.summary({ since: '2026-11-01', by: 'provider' });
    expect(summary.groups.map((group) => group.key)).toEqual(['away', 'here']);
    const [away, here] = summary.groups;
    expect(here).toMatchObject({ calls: 3, errors: 1, cancelled: 0, skipped: 0, inputTokens: 300, outputTokens: 30, costUsd: 0, unpricedCalls: 0, latencyP50Ms: 100, latencyP95Ms: 300, firstTokenP50Ms: 30 });
    // The cache hit: a call, cost 0 and no tokens whatever its row says; the skips: apart.
    expect(away).toMatchObject({ calls: 3, errors: 0, cancelled: 1, skipped: 4, cacheHits: 1, requests: 3, inputTokens: 1000, outputTokens: 500, costUsd: 0.02, latencyP50Ms: 900 });
    expect(away?.cacheHitRate).toBeCloseTo(1 / 3);
    expect(summary.totals).toMatchObject({ label: 'total', calls: 6, skipped: 4, errors: 1, cancelled: 1, cacheHits: 1, requests: 6, inputTokens: 1300, outputTokens: 530, unpricedCalls: 0 });
    expect(summary.totals.costUsd).toBeCloseTo(0.02);
    expect(summary.totals.latencyP50Ms).toBe(300);
  });

  it('says a cost is unknown (null, not 0) when a successful cloud call has no price, keeping the known part', () => {
    const { report, add } = setup();
    add({ providerId: 'away', outcome: 'ok', inputTokens: 10, outputTokens: 10, costUsd: 0.25 });
    add({ providerId: 'away', outcome: 'ok', inputTokens: 10, outputTokens: 10 });
    add({ providerId: 'gone', outcome: 'ok', inputTokens: 10, outputTokens: 10, model: 'm' });
    add({ providerId: 'here', outcome: 'ok', inputTokens: 10, outputTokens: 10 });
    const summary = report.summary({ since: '2026-11-01', by: 'provider' });
    const by = Object.fromEntries(summary.groups.map((group) => [group.key, group]));
    expect(by.away).toMatchObject({ costUsd: null, knownCostUsd: 0.25, unpricedCalls: 1 });
    // A provider removed since: where it ran is not known, so neither is its cost.
    expect(by.gone).toMatchObject({ costUsd: null, unpricedCalls: 1 });
    expect(by.here).toMatchObject({ costUsd: 0, unpricedCalls: 0 });
    expect(summary.totals).toMatchObject({ costUsd: null, knownCostUsd: 0.25, unpricedCalls: 2 });
  });

  it('names projects from the projects table: a deleted one and calls of no project say so', () => {
    const { report, add, projects } = setup();
    const kept = projects.create('Billing service');
    const gone = projects.create('Old one');
    projects.delete(gone.id);
    add({ providerId: 'here', outcome: 'ok', projectId: kept.id });
    add({ providerId: 'here', outcome: 'ok', projectId: kept.id });
    add({ providerId: 'here', outcome: 'ok', projectId: gone.id });
    add({ providerId: 'here', outcome: 'ok' });
    const summary = report.summary({ since: '2026-11-01', by: 'project' });
    expect(summary.groups.map((group) => [group.label, group.calls]).sort()).toEqual([
      ['Billing service', 2],
      ['a deleted project', 1],
      ['no project', 1],
    ]);
  });

  it('splits a grouping by a second one (cost by day and provider)', () => {
    const { report, add } = setup();
    add({ providerId: 'here', outcome: 'ok', task: 'plan' });
    add({ providerId: 'away', outcome: 'ok', task: 'plan', costUsd: 0.1 });
    add({ providerId: 'away', outcome: 'ok', task: 'code', costUsd: 0.2 });
    const summary = report.summary({ since: '2026-11-01', by: 'task', split: 'provider' });
    expect(summary.groups.map((group) => [group.key, group.splitKey, group.costUsd])).toEqual([
      ['code', 'away', 0.2],
      ['plan', 'away', 0.1],
      ['plan', 'here', 0],
    ]);
    expect(summary.split).toBe('provider');
  });

  it('counts only the range: since from its local midnight, a date as until includes that whole day', () => {
    const { report, attempts } = setup();
    const at = (local: Date, id: string) => attempts.insert({ requestId: id, attemptNo: 1, startedAt: local.toISOString(), task: 'code', providerId: 'here', model: 'small', outcome: 'ok', reason: 'r' });
    at(new Date(2026, 10, 9, 23, 59), 'before');
    at(new Date(2026, 10, 10, 0, 0), 'first');
    at(new Date(2026, 10, 12, 23, 59), 'last');
    at(new Date(2026, 10, 13, 0, 0), 'after');
    const summary = report.summary({ since: '2026-11-10', until: '2026-11-12', by: 'day' });
    expect(summary.groups.map((group) => [group.key, group.calls])).toEqual([
      ['2026-11-10', 1],
      ['2026-11-12', 1],
    ]);
    expect(report.summary({ since: '2026-11-10T00:00', until: '2026-11-12T23:59', by: 'day' }).totals.calls).toBe(1);
    // One day: since and until the same date.
    expect(report.summary({ since: '2026-11-12', until: '2026-11-12', by: 'day' }).totals.calls).toBe(1);
  });

  it('a range reaching past the year 9999 (its end, or a start with a zone) is compared as the latest time, not as text sorting before every call', () => {
    const { report, attempts } = setup();
    attempts.insert({ requestId: 'now', attemptNo: 1, startedAt: '2026-11-10T12:00:00.000Z', task: 'code', providerId: 'here', model: 'small', outcome: 'ok', reason: 'r' });
    // "Until the end of time": its end is local midnight after 9999-12-31, in the year 10000.
    expect(report.summary({ since: '2026-11-01', until: '9999-12-31', by: 'provider' }).totals.calls).toBe(1);
    expect(report.summary({ since: '2026-11-01', until: '9999-12-31T23:59-05:00', by: 'provider' }).totals.calls).toBe(1);
    // A start in the year 10000 (UTC) is after every call.
    expect(report.summary({ since: '9999-12-31T23:00-05:00', by: 'provider' }).totals.calls).toBe(0);
    expect(usageSummarySchema.safeParse(report.summary({ since: '9999-12-31T23:00-05:00', by: 'provider' })).success).toBe(true);
  });

  it('refuses a range it cannot read, in words', () => {
    const { report } = setup();
    const refused = (input: Parameters<UsageReport['summary']>[0]) => {
      try {
        report.summary(input);
        return undefined;
      } catch (error) {
        return error instanceof AppError ? [error.code, error.message] : error;
      }
    };
    expect(refused({ since: 'last week', by: 'day' })).toEqual(['INVALID_INPUT', expect.stringContaining('YYYY-MM-DD')]);
    expect(refused({ since: '2026-02-30', by: 'day' })).toEqual(['INVALID_INPUT', expect.stringContaining('YYYY-MM-DD')]);
    expect(refused({ since: '2026-11-10', until: '2026-11-01T00:00', by: 'day' })).toEqual(['INVALID_INPUT', 'The end of the range comes after its start']);
  });

  it('takes latencies from at most latencyRows of the newest calls, and says so', () => {
    const { report, add } = setup({ latencyRows: 3 });
    for (const latencyMs of [1000, 1000, 10, 20, 30]) add({ providerId: 'here', outcome: 'ok', latencyMs });
    const summary = report.summary({ since: '2026-11-01', by: 'provider' });
    expect(summary).toMatchObject({ latencyRows: 3, latencySampled: true });
    expect(summary.totals).toMatchObject({ calls: 5, latencyP50Ms: 20, latencyP95Ms: 30 });
  });

  it('leaves a negative time (the wall clock set back during a call) out of the latencies, counting the call', () => {
    const { report, add } = setup();
    add({ providerId: 'here', outcome: 'ok', latencyMs: -40, firstTokenMs: -50 });
    add({ providerId: 'here', outcome: 'ok', latencyMs: 200, firstTokenMs: 20 });
    const summary = report.summary({ since: '2026-11-01', by: 'provider' });
    expect(summary.totals).toMatchObject({ calls: 2, latencyP50Ms: 200, latencyP95Ms: 200, firstTokenP50Ms: 20 });
  });

  it('still reports when rows hold absurd numbers (a server reporting 2^62 tokens, a cost past any sum): whole safe numbers, the cost unknown, nothing infinite', () => {
    const { report, add } = setup();
    add({ providerId: 'away', outcome: 'ok', inputTokens: 2 ** 62, outputTokens: 1, costUsd: 1e308 });
    add({ providerId: 'away', outcome: 'ok', inputTokens: 2 ** 62, outputTokens: 1, costUsd: 1e308 });
    add({ providerId: 'away', outcome: 'ok', inputTokens: 10, outputTokens: 1, costUsd: -5 });
    add({ providerId: 'away', outcome: 'ok', inputTokens: 10, outputTokens: 1, costUsd: 0.25 });
    for (const by of ['provider', 'model', 'day'] as const) {
      const summary = report.summary({ since: '2026-11-01', by });
      // What the channel checks before a report leaves the core (it refused Infinity and unsafe integers).
      expect(usageSummarySchema.safeParse(summary).success).toBe(true);
      for (const group of [...summary.groups, summary.totals]) {
        expect(group).toMatchObject({ calls: 4, inputTokens: Number.MAX_SAFE_INTEGER, outputTokens: 4, costUsd: null, knownCostUsd: 0.25, unpricedCalls: 3 });
      }
    }
  });

  it('totals count a request retried on another target once, and cover every call when groups are left out', () => {
    const { report, add } = setup();
    add({ providerId: 'away', outcome: 'error', requestId: 'retried', attemptNo: 1 });
    add({ providerId: 'here', outcome: 'ok', requestId: 'retried', attemptNo: 2, cacheHit: true });
    const byProvider = report.summary({ since: '2026-11-01', by: 'provider' });
    expect(byProvider.groups.map((group) => [group.key, group.requests])).toEqual([
      ['away', 1],
      ['here', 1],
    ]);
    expect(byProvider.totals).toMatchObject({ calls: 2, errors: 1, requests: 1, cacheHits: 1, cacheHitRate: 1 });

    for (let i = 0; i < 5_001; i++) add({ providerId: 'here', outcome: 'ok', model: `m${i}`, inputTokens: 2 });
    const byModel = report.summary({ since: '2026-11-01', by: 'model' });
    expect(byModel.truncated).toBe(true);
    expect(byModel.groups).toHaveLength(5_000);
    expect(byModel.totals).toMatchObject({ calls: 5_003, requests: 5_002, inputTokens: 10_002 });
  });

  it('computes nearest-rank percentiles', () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([7], 0.95)).toBe(7);
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(percentile(Array.from({ length: 100 }, (_, i) => i + 1), 0.95)).toBe(95);
  });
});
