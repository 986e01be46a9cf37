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
});
