import { describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../../../src-shared/domain/provider.ts';
import type { ChatChunk } from '../../../src-main/modelCall/modelCallTypes.ts';
import { Router } from '../../../src-main/router/Router.ts';
import type { RouterDeps, RouterOptions } from '../../../src-main/router/routerTypes.ts';
import { scriptedProvider } from '../../support/scriptedProvider.ts';

/** What an attempt records of its time and tokens, whatever the wall clock or the server says. */
type AttemptRecord = Parameters<RouterDeps['recordAttempt']>[0];
const config: ProviderConfig = { id: 'p', type: 'openai', label: 'p', location: 'cloud', models: ['m'], limits: {}, enabled: true };
const ask = { task: 'code' as const, messages: [{ role: 'user' as const, content: 'write code' }] };

function router(chunks: (tick: () => void) => ChatChunk[], options: Partial<RouterOptions>, onChunk: () => void = () => undefined) {
  const provider = scriptedProvider('p', [{ text: 'unused' }]);
  provider.chat = async function* () {
    for (const chunk of chunks(onChunk)) yield chunk;
  };
  const attempts: AttemptRecord[] = [];
  const made = new Router(
    {
      providers: () => [config],
      routing: () => ({ code: [{ providerId: 'p', model: 'm' }] }),
      privacyMode: () => 'cloud-allowed',
      provider: () => provider,
      defaultModel: (c) => c.models[0],
      hasKey: () => true,
      recordAttempt: (record) => attempts.push(record),
      pricing: () => ({ inputPerMillion: 1, outputPerMillion: 2 }),
    },
    { maxRetries: 0, ...options },
  );
  return { router: made, attempts };
}

describe('an attempt’s measures', () => {
  it('a wall clock set back an hour during the call changes when it started, never how long it took', async () => {
    let wall = Date.parse('2026-12-03T10:00:00.000Z');
    let mono = 1_000;
    const step = () => {
      wall -= 3_600_000;
      mono += 7;
    };
    const { router: r, attempts } = router(
      (tick) => {
        tick();
        return [{ type: 'text', text: 'hi' }, { type: 'usage', inputTokens: 5, outputTokens: 1 }, { type: 'finish', reason: 'stop' }];
      },
      { now: () => wall, clock: () => mono },
      step,
    );
    await r.chat(ask);
    expect(attempts[0]).toMatchObject({ startedAt: '2026-12-03T10:00:00.000Z', latencyMs: 7, firstTokenMs: 7 });
  });

  it('with the default clocks the durations are whole milliseconds (the attempts table keeps integers)', async () => {
    const { router: r, attempts } = router(() => [{ type: 'text', text: 'hi' }, { type: 'finish', reason: 'stop' }], {});
    await r.chat(ask);
    expect(Number.isInteger(attempts[0]?.latencyMs)).toBe(true);
    expect(Number.isInteger(attempts[0]?.firstTokenMs)).toBe(true);
    expect(attempts[0]?.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('token counts a server got wrong (a fraction, a negative, 1e300, NaN, 2^53 - 1) are unknown: the call answers, costs unknown, and counts its estimate', async () => {
    for (const [inputTokens, outputTokens] of [
      [12.5, 3],
      [-4, 3],
      [5, 1e300],
      [Number.NaN, 3],
      [2 ** 60, 3],
      [Number.MAX_SAFE_INTEGER, 3], // whole, but no call has that many: priced, it would charge a budget millions
      [5, 1_000_000_000],
    ]) {
      const { router: r, attempts } = router(() => [{ type: 'text', text: 'an answer' }, { type: 'usage', inputTokens: inputTokens as number, outputTokens: outputTokens as number }, { type: 'finish', reason: 'stop' }], {});
      const result = await r.chat(ask);
      expect(result.text).toBe('an answer');
      expect(Number.isSafeInteger(result.inputTokens) && Number.isSafeInteger(result.outputTokens), `${inputTokens}/${outputTokens}`).toBe(true);
      expect(attempts[0]?.outcome).toBe('ok');
      expect(attempts[0]?.costUsd).toBeUndefined();
      const recorded = [attempts[0]?.inputTokens, attempts[0]?.outputTokens].filter((n) => n !== undefined);
      expect(recorded.every((n) => Number.isSafeInteger(n) && (n as number) >= 0)).toBe(true);
    }
  });
});

describe('the call’s deadline', () => {
  it('a wall clock set forward a day during a call (a laptop waking) does not end it: the next target is still tried', async () => {
    let wall = Date.parse('2026-12-03T10:00:00.000Z');
    let mono = 1_000;
    const first = scriptedProvider('first', [{ fail: 'server' }]);
    const failing = first.chat.bind(first);
    first.chat = async function* (request, signal) {
      wall += 86_400_000;
      mono += 5;
      yield* failing(request, signal);
    };
    const second = scriptedProvider('second', [{ text: 'from second' }]);
    const providers = new Map([
      ['first', first],
      ['second', second],
    ]);
    const made = new Router(
      {
        providers: () => ['first', 'second'].map((id) => ({ ...config, id, label: id })),
        routing: () => ({ code: [{ providerId: 'first', model: 'm' }, { providerId: 'second', model: 'm' }] }),
        privacyMode: () => 'cloud-allowed',
        provider: (c) => providers.get(c.id) as NonNullable<ReturnType<typeof providers.get>>,
        defaultModel: (c) => c.models[0],
        hasKey: () => true,
        recordAttempt: () => undefined,
      },
      { maxRetries: 0, now: () => wall, clock: () => mono },
    );
    expect((await made.chat(ask)).text).toBe('from second');
  });
});
