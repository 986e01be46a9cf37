import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src-main/core/createCore.ts';
import type { ProviderHealth } from '../../../src-shared/domain/providerHealth.ts';
import { describeHealth } from '../../../src-main/cli/commands/providersHealthCommand.ts';
import { coreCaller } from '../../support/coreCaller.ts';
import { startFakeOpenAiServer, type FakeServer } from '../../support/fakes/fakeOpenAiServer.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

/**
 * Provider health from the real router: a server that fails every request opens its target's
 * breaker (threshold 2 here); providers.health then says the breaker is open and counts the calls
 * the router sent elsewhere because of it (recognised from the router's own skip reason).
 */
describe('provider health through the router', () => {
  const tempDir = useTempDirs();
  const open: { core: Core; server: FakeServer }[] = [];
  afterEach(async () => {
    for (const item of open.splice(0)) {
      await item.core.dispose();
      await item.server.close();
    }
  });

  it('shows an open breaker and the calls skipped while it was open', async () => {
    const server = await startFakeOpenAiServer({ models: ['m1'], defaultStep: { status: 500, body: { error: { message: 'down', type: 'server_error' } } } });
    const core = createCore({ dataDir: tempDir(), host: 'cli', env: {}, routerOptions: { baseDelayMs: 1, maxDelayMs: 2, maxRetries: 0, breakerThreshold: 2, breakerHalfOpenAfterMs: 60_000 } });
    open.push({ core, server });
    const call = coreCaller(core);
    await call('providers.add', { config: { id: 'flaky', type: 'openai', label: 'Flaky box', location: 'local', baseUrl: server.url, models: ['m1'] } });
    for (let index = 0; index < 4; index += 1) await expect(core.gateway.chat({ task: 'code', messages: [{ role: 'user', content: `try ${index}` }] })).rejects.toThrow();

    const health = await call<ProviderHealth>('providers.health');
    expect(health.targets).toHaveLength(1);
    const [target] = health.targets;
    expect(target).toMatchObject({ providerId: 'flaky', model: 'm1', label: 'Flaky box', breaker: 'open' });
    // Two calls reached the server and failed; the next two were refused by the open breaker.
    expect(server.count('/v1/chat/completions')).toBe(2);
    expect(target?.windows[0]).toMatchObject({ window: 'hour', calls: 2, errors: 2, errorRate: 1, p50Ms: null, skippedWhilePaused: 2 });
    // In words, as `providers health` prints it.
    expect(describeHealth(health).split('\n').slice(0, 2)).toEqual([
      'Flaky box · m1: paused after repeated failures',
      '  last hour: 2 of 2 calls failed (100%); no answer yet; 2 calls not sent to it while it was paused',
    ]);
  });
});
