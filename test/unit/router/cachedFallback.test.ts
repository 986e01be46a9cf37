// A fallback answered from the response cache after an earlier target already streamed text:
// the caller must hear `restart` before the kept answer, as before a live attempt's text, or the
// streamed view shows the broken-off text and the kept answer run together.
import { describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../../../src-shared/domain/provider.ts';
import type { LlmProvider } from '../../../src-main/providers/LlmProvider.ts';
import { Router } from '../../../src-main/router/Router.ts';
import type { CallControls } from '../../../src-main/router/routerTypes.ts';
import type { AttemptRecord, RouterEvent } from '../../../src-main/modelCall/modelCallTypes.ts';
import { scriptedProvider } from '../../support/scriptedProvider.ts';

const cloud = (id: string): ProviderConfig => ({ id, type: 'openai', label: id, location: 'cloud', models: ['m'], limits: {}, enabled: true });

describe('a fallback answered from the response cache', () => {
  it('is preceded by a restart when the target before it failed after streaming', async () => {
    const configs = [cloud('a'), cloud('b')];
    const providers = new Map([
      ['a', scriptedProvider('a', [{ fail: 'connection', afterText: 'broken off ' }])],
      ['b', scriptedProvider('b', [{ text: 'never asked' }])],
    ]);
    const controls: CallControls = {
      cached: (target) => (target.providerId === 'b' ? { text: 'the kept answer', inputTokens: 5, outputTokens: 3 } : undefined),
      keep: () => undefined,
      admit: () => ({ release() {} }),
      rateSlot: () => ({ settle() {} }),
    };
    const attempts: AttemptRecord[] = [];
    const router = new Router(
      {
        providers: () => configs,
        routing: () => ({}),
        privacyMode: () => 'cloud-allowed',
        provider: (config) => providers.get(config.id) as LlmProvider,
        defaultModel: (config) => config.models[0],
        hasKey: () => true,
        recordAttempt: (record) => attempts.push(record),
        controls,
      },
      { maxRetries: 0, baseDelayMs: 5, maxDelayMs: 50, random: () => 0.5 },
    );
    const events: RouterEvent[] = [];
    const result = await router.chat({ task: 'code', messages: [{ role: 'user', content: 'write code' }], onEvent: (event) => events.push(event) });
    expect(result.text).toBe('the kept answer');
    expect(providers.get('b')?.calls).toHaveLength(0);
    const types = events.map((event) => event.type);
    const restart = types.indexOf('restart');
    expect(restart).toBeGreaterThan(types.indexOf('text'));
    expect(types.lastIndexOf('text')).toBeGreaterThan(restart);
    // What the caller shows after the restart is the kept answer alone.
    const after = events.slice(restart + 1).flatMap((event) => (event.type === 'text' ? [event.text] : []));
    expect(after.join('')).toBe('the kept answer');
  });
});
