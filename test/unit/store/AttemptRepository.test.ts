import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AttemptRepository } from '../../../src-main/store/AttemptRepository.ts';
import { openDatabase } from '../../../src-main/store/openDatabase.ts';
import { ProviderRepository } from '../../../src-main/store/ProviderRepository.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

describe('AttemptRepository', () => {
  const tempDir = useTempDirs();

  it('keeps the strategy that chose each attempt, and none for a record without one', () => {
    const path = join(tempDir(), 'data.db');
    const attempts = new AttemptRepository(openDatabase(path));
    const base = { requestId: 'r', startedAt: '2025-01-01T00:00:00.000Z', task: 'code', providerId: 'a', model: 'm', outcome: 'ok' as const };
    attempts.insert({ ...base, attemptNo: 1, reason: 'least-latency: 120 ms average to first token vs 480 ms average to first token for b/m', strategy: 'least-latency' });
    attempts.insert({ ...base, attemptNo: 2, reason: 'routing for code, choice 1 of 1' });
    attempts.flush();
    const again = new AttemptRepository(openDatabase(path)).forRequest('r');
    expect(again.map((a) => [a.attemptNo, a.strategy, a.reason.slice(0, 14)])).toEqual([
      [1, 'least-latency', 'least-latency:'],
      [2, undefined, 'routing for co'],
    ]);
  });

  it("keeps the prompt template's version each attempt's call was made from, and none for a call made from none", () => {
    const path = join(tempDir(), 'data.db');
    const attempts = new AttemptRepository(openDatabase(path));
    const base = { requestId: 'r', startedAt: '2025-01-01T00:00:00.000Z', task: 'code', providerId: 'a', model: 'm', outcome: 'ok' as const, reason: 'routing for code, choice 1 of 1' };
    attempts.insert({ ...base, attemptNo: 1, promptVersion: 'generate-file@3#0123456789ab' });
    attempts.insert({ ...base, attemptNo: 2 });
    attempts.flush();
    const again = new AttemptRepository(openDatabase(path)).forRequest('r');
    expect(again.map((a) => [a.attemptNo, a.promptVersion])).toEqual([
      [1, 'generate-file@3#0123456789ab'],
      [2, undefined],
    ]);
  });

  it('writes a batch of rows on the next turn of the event loop, fewer only after flushMs, and all on flush', async () => {
    const db = openDatabase(join(tempDir(), 'data.db'));
    const attempts = new AttemptRepository(db, { flushMs: 60_000, batchRows: 4 });
    const stored = () => (db.prepare('SELECT COUNT(*) FROM attempts').pluck().get() as number);
    const record = (n: number) => ({ requestId: `r${n}`, attemptNo: 1, startedAt: '2025-01-01T00:00:00.000Z', task: 'code', providerId: 'a', model: 'm', outcome: 'ok' as const, reason: 'r' });
    for (let n = 0; n < 3; n++) attempts.insert(record(n));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stored()).toBe(0);
    attempts.insert(record(3));
    // Not while the call that recorded it is still running.
    expect(stored()).toBe(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(stored()).toBe(4);
    attempts.insert(record(4));
    attempts.flush();
    expect(stored()).toBe(5);
  });

  it('lists calls and skipped targets apart, each with its own limit; a local call without a price costs 0, a cloud one stays unknown', () => {
    const db = openDatabase(join(tempDir(), 'data.db'));
    const providers = new ProviderRepository(db);
    providers.add({ id: 'here', type: 'openai', label: 'Here', location: 'local', baseUrl: 'http://127.0.0.1:8080/v1', models: ['m'], limits: {}, enabled: true });
    providers.add({ id: 'away', type: 'openai', label: 'Away', location: 'cloud', baseUrl: 'https://example.com/v1', models: ['m'], limits: {}, enabled: true });
    const attempts = new AttemptRepository(db);
    const at = (n: number) => `2025-01-01T00:00:${String(n).padStart(2, '0')}.000Z`;
    let n = 0;
    const add = (providerId: string, outcome: 'ok' | 'skipped' | 'error', extra: { costUsd?: number } = {}) =>
      attempts.insert({ requestId: `r${n}`, attemptNo: 1, startedAt: at(n++), task: 'code', providerId, model: 'm', outcome, reason: outcome === 'skipped' ? 'circuit open' : 'first in order', ...extra });
    add('here', 'ok');
    add('away', 'ok');
    add('away', 'ok', { costUsd: 0.25 });
    add('gone', 'ok');
    for (let i = 0; i < 5; i++) add('away', 'skipped');
    add('here', 'error');

    const calls = attempts.recent(3, 'calls');
    // Newest first, the five skips newer than three of the calls pushed none of them out.
    expect(calls.map((call) => [call.providerId, call.outcome, call.location, call.costUsd])).toEqual([
      ['here', 'error', 'local', 0],
      ['gone', 'ok', undefined, undefined],
      ['away', 'ok', 'cloud', 0.25],
    ]);
    expect(attempts.recent(10, 'calls').find((call) => call.requestId === 'r1')).toMatchObject({ location: 'cloud' });
    expect(attempts.recent(10, 'calls').find((call) => call.requestId === 'r1')?.costUsd).toBeUndefined();
    const skipped = attempts.recent(10, 'skipped');
    expect(skipped).toHaveLength(5);
    expect(skipped.every((skip) => skip.outcome === 'skipped' && skip.reason === 'circuit open' && skip.costUsd === undefined)).toBe(true);
    expect(attempts.recent(100)).toHaveLength(10);
  });
});
