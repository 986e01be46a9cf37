import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AttemptRepository } from '../../../src-main/store/AttemptRepository.ts';
import { openDatabase } from '../../../src-main/store/openDatabase.ts';
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
});
