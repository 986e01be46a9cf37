// A call its first target's cached answer settles is answered before the router sets up its walk
// of the targets (hitOnFirstTarget): it must answer exactly as the walk did (one attempt, a hit
// that cost 0, the text heard as streamed), ask the cache once per target (a miss is not counted
// twice), leave a skipped first target to the walk, refuse a call with no time, and fail as a
// rejected promise, never a throw.
import { describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../../../src-shared/domain/provider.ts';
import type { LlmProvider } from '../../../src-main/providers/LlmProvider.ts';
import { Router } from '../../../src-main/router/Router.ts';
import type { CallControls, KeptAnswer } from '../../../src-main/router/routerTypes.ts';
import type { AttemptRecord, RouteRequest, RouterEvent } from '../../../src-main/modelCall/modelCallTypes.ts';
import { scriptedProvider } from '../../support/scriptedProvider.ts';

const cloud = (id: string, extra: Partial<ProviderConfig> = {}): ProviderConfig => ({ id, type: 'openai', label: id, location: 'cloud', models: ['m'], limits: {}, enabled: true, ...extra });
const kept: KeptAnswer = { text: 'the kept answer', inputTokens: 5, outputTokens: 3 };

function setUp(options: { configs: ProviderConfig[]; keptFor?: string[]; cached?: CallControls['cached']; hasKey?: (config: ProviderConfig) => boolean }) {
  const providers = new Map(options.configs.map((config) => [config.id, scriptedProvider(config.id, [{ text: `live from ${config.id}` }])]));
  const asked: string[] = [];
  const controls: CallControls = {
    cached:
      options.cached ??
      ((target) => {
        asked.push(target.providerId);
        return options.keptFor?.includes(target.providerId) ? kept : undefined;
      }),
    keep: () => undefined,
    admit: () => ({ release() {} }),
    rateSlot: () => ({ settle() {} }),
  };
  const attempts: AttemptRecord[] = [];
  const router = new Router(
    {
      providers: () => options.configs,
      routing: () => ({}),
      privacyMode: () => 'cloud-allowed',
      provider: (config) => providers.get(config.id) as LlmProvider,
      defaultModel: (config) => config.models[0],
      hasKey: options.hasKey ?? (() => true),
      recordAttempt: (record) => attempts.push(record),
      controls,
    },
    { maxRetries: 0, baseDelayMs: 5, maxDelayMs: 50, random: () => 0.5 },
  );
  return { router, providers, asked, attempts };
}

const ask = (extra: Partial<RouteRequest> = {}): RouteRequest => ({ task: 'code', messages: [{ role: 'user', content: 'write code' }], projectId: 'p1', runId: 'r1', promptVersion: 'generate-file@3#0123456789ab', ...extra });

describe('a call answered from the cache of its first target', () => {
  it('is one attempt, a hit that cost 0, with the text heard as streamed and nothing sent', async () => {
    const { router, providers, asked, attempts } = setUp({ configs: [cloud('a'), cloud('b')], keptFor: ['a'] });
    const events: RouterEvent[] = [];
    const result = await router.chat(ask({ onEvent: (event) => events.push(event) }));
    expect(result).toMatchObject({ text: 'the kept answer', finishReason: 'stop', inputTokens: 5, outputTokens: 3, target: { providerId: 'a', model: 'm' } });
    expect(providers.get('a')?.calls).toHaveLength(0);
    expect(asked).toEqual(['a']);
    expect(events).toEqual([{ type: 'text', text: 'the kept answer' }]);
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({ requestId: result.requestId, attemptNo: 1, task: 'code', projectId: 'p1', runId: 'r1', promptVersion: 'generate-file@3#0123456789ab', providerId: 'a', outcome: 'ok', cacheHit: true, costUsd: 0, latencyMs: 0 });
    expect(result.attempts).toEqual(attempts);
  });

  it('asks the cache once for the first target on a miss, then the walk sends the call there', async () => {
    const { router, providers, asked, attempts } = setUp({ configs: [cloud('a'), cloud('b')] });
    const result = await router.chat(ask());
    expect(result.text).toBe('live from a');
    expect(asked).toEqual(['a']);
    expect(providers.get('a')?.calls).toHaveLength(1);
    expect(attempts.map((attempt) => [attempt.providerId, attempt.outcome, attempt.cacheHit, attempt.promptVersion])).toEqual([['a', 'ok', undefined, 'generate-file@3#0123456789ab']]);
  });

  it('leaves a skipped first target to the walk, which records the skip before the next target’s hit', async () => {
    const { router, asked, attempts } = setUp({ configs: [cloud('a'), cloud('b')], keptFor: ['a', 'b'], hasKey: (config) => config.id !== 'a' });
    const result = await router.chat(ask());
    expect(result.target.providerId).toBe('b');
    expect(asked).toEqual(['b']);
    expect(attempts.map((attempt) => [attempt.attemptNo, attempt.providerId, attempt.outcome, attempt.cacheHit])).toEqual([
      [1, 'a', 'skipped', undefined],
      [2, 'b', 'ok', true],
    ]);
  });

  it('gives no answer to a call with no time left, cached or not, as the walk did', async () => {
    const { router, asked, attempts } = setUp({ configs: [cloud('a')], keptFor: ['a'] });
    await expect(router.chat(ask({ deadlineMs: 0 }))).rejects.toMatchObject({ code: expect.any(String) });
    expect(asked).toEqual([]);
    expect(attempts).toEqual([]);
  });

  it('fails as a rejected promise when the cache throws, never as a throw', async () => {
    const { router } = setUp({
      configs: [cloud('a')],
      cached: () => {
        throw new Error('the cache broke');
      },
    });
    let call: Promise<unknown> | undefined;
    expect(() => {
      call = router.chat(ask());
    }).not.toThrow();
    await expect(call).rejects.toThrow('the cache broke');
  });
});
