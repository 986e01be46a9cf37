import { describe, expect, it } from 'vitest';
import type { RoutingStrategies } from '../../../src-shared/domain/balanceStrategy.ts';
import type { ProviderConfig, Routing } from '../../../src-shared/domain/provider.ts';
import type { LlmProvider } from '../../../src-main/providers/LlmProvider.ts';
import { Router } from '../../../src-main/router/Router.ts';
import type { RouterDeps, RouterOptions } from '../../../src-main/router/routerTypes.ts';
import { scriptedProvider, type Step } from '../../support/scriptedProvider.ts';
import { seededRandom } from '../../support/seededRandom.ts';

type AttemptRecord = Parameters<RouterDeps['recordAttempt']>[0];
type Pricing = NonNullable<ReturnType<NonNullable<RouterDeps['pricing']>>>;
type RouterEvent = Parameters<NonNullable<Parameters<Router['chat']>[0]['onEvent']>>[0];

const server = (id: string): ProviderConfig => ({ id, type: 'openai', label: id, location: 'cloud', models: ['m'], limits: {}, enabled: true });
const ask = { task: 'code' as const, messages: [{ role: 'user' as const, content: 'write code' }] };

/** Two or more equivalent targets of the code task under one strategy, through the real Router. */
function setup(
  ids: string[],
  strategy: RoutingStrategies[keyof RoutingStrategies],
  options: Partial<RouterOptions> & { scripts?: Record<string, Step[]>; weights?: Record<string, number>; prices?: Record<string, Pricing>; firstTokenDelays?: Record<string, number[]>; listed?: string[] } = {},
) {
  const clock = { now: 0 };
  const providers = new Map(ids.map((id) => [id, scriptedProvider(id, options.scripts?.[id] ?? [{ text: `hello from ${id}` }])]));
  // An injected clock: a provider "takes" its scripted time to first token by moving the clock.
  for (const [id, delays] of Object.entries(options.firstTokenDelays ?? {})) {
    const provider = providers.get(id);
    if (!provider) continue;
    const chat = provider.chat.bind(provider);
    provider.chat = async function* (request, signal) {
      clock.now += delays[Math.min(provider.calls.length, delays.length - 1)] ?? 0;
      yield* chat(request, signal);
    };
  }
  const routing: Routing = { code: (options.listed ?? ids).map((id) => ({ providerId: id, model: 'm', ...(options.weights?.[id] === undefined ? {} : { weight: options.weights[id] }) })) };
  const attempts: AttemptRecord[] = [];
  const router = new Router(
    {
      providers: () => ids.map(server),
      routing: () => routing,
      strategies: () => ({ code: strategy }),
      privacyMode: () => 'cloud-allowed',
      provider: (config) => providers.get(config.id) as LlmProvider,
      defaultModel: (config) => config.models[0],
      hasKey: () => true,
      recordAttempt: (record) => attempts.push(record),
      pricing: (providerId) => options.prices?.[providerId],
    },
    { baseDelayMs: 1, maxDelayMs: 5, maxRetries: 0, now: () => clock.now, ...options },
  );
  const calls = (id: string) => providers.get(id)?.calls.length ?? 0;
  return { router, attempts, calls, clock };
}

describe('load balancing through the Router', () => {
  it('weighted: a 3 to 1 split over 1,000 calls lands within 5 % of 750 / 250, each attempt saying why', async () => {
    const { router, calls, attempts } = setup(['a', 'b'], 'weighted', { weights: { a: 3, b: 1 }, random: seededRandom(42) });
    for (let i = 0; i < 1_000; i++) await router.chat(ask);
    expect(calls('a') + calls('b')).toBe(1_000);
    expect(Math.abs(calls('a') - 750)).toBeLessThanOrEqual(50);
    expect(Math.abs(calls('b') - 250)).toBeLessThanOrEqual(50);
    expect(attempts.every((a) => a.outcome === 'ok' && a.strategy === 'weighted')).toBe(true);
    expect(attempts.find((a) => a.providerId === 'a')?.reason).toMatch(/^weighted: drawn with weight 3 of 4 \(75 %\); routing for code/);
  });

  it('least-latency moves the traffic off a target that turns slow, and says by how much', async () => {
    // a answers in 10 ms, then from its 4th call in 400 ms; b always in 50 ms.
    const { router, calls, attempts } = setup(['a', 'b'], 'least-latency', { firstTokenDelays: { a: [10, 10, 10, 400], b: [50] } });
    const answeredBy: string[] = [];
    for (let i = 0; i < 30; i++) answeredBy.push((await router.chat(ask)).target.providerId);
    // a and b are measured first (b once, as not measured yet), then a is the faster until it slows.
    expect(answeredBy.slice(0, 5)).toEqual(['a', 'b', 'a', 'a', 'a']);
    expect(calls('a')).toBe(4);
    expect(answeredBy.slice(5)).toEqual(Array(25).fill('b'));
    expect(attempts.at(-1)?.reason).toMatch(/^least-latency: 50 ms average to first token vs 127 ms average to first token for a\/m/);
    expect(attempts.at(-1)?.strategy).toBe('least-latency');
  });

  it('least-latency: a target refusing before its first token (404, 400, unavailable) counts as waited out, not as never measured', async () => {
    for (const kind of ['not-found', 'bad-request', 'unavailable'] as const) {
      // a always fails at once, in a way its circuit does not count; b answers in 50 ms.
      const { router, calls } = setup(['a', 'b'], 'least-latency', { scripts: { a: Array(20).fill({ fail: kind }) }, firstTokenDelays: { b: [50] } });
      for (let i = 0; i < 20; i++) expect((await router.chat(ask)).target.providerId).toBe('b');
      // Asked once (not measured yet, it went first), then never again while b answers.
      expect(calls('a'), kind).toBe(1);
    }
  });

  it('least-cost sends the call to the cheapest target and names both prices', async () => {
    const { router, attempts } = setup(['dear', 'cheap'], 'least-cost', { prices: { dear: { inputPerMillion: 10, outputPerMillion: 30 }, cheap: { inputPerMillion: 1, outputPerMillion: 2 } } });
    const result = await router.chat({ ...ask, maxTokens: 1_000 });
    expect(result.target.providerId).toBe('cheap');
    expect(attempts[0]?.reason).toMatch(/^least-cost: about \$0\.0020 for this call vs about \$0\.03 for dear\/m;/);
  });

  it('an open circuit takes its target out: every call then goes to the other first, none even passes it over', async () => {
    const { router, calls, attempts } = setup(['a', 'b'], 'weighted', {
      scripts: { a: [{ fail: 'server', status: 500 }] },
      breakerThreshold: 3,
      breakerHalfOpenAfterMs: 60_000,
      random: seededRandom(1),
    });
    while (calls('a') < 3) expect((await router.chat(ask)).target.providerId).toBe('b');
    expect(router.breakerStates().find((s) => s.providerId === 'a')?.state).toBe('open');
    attempts.length = 0;
    for (let i = 0; i < 50; i++) expect((await router.chat(ask)).target.providerId).toBe('b');
    expect(calls('a')).toBe(3);
    expect(attempts.map((a) => `${a.providerId} ${a.outcome}`)).toEqual(Array(50).fill('b ok'));
  });

  it('after the cool-down an open target gets exactly one probe, however many calls arrive at once', async () => {
    const { router, calls } = setup(['a', 'b'], 'least-latency', {
      scripts: { a: [{ fail: 'server' }, { fail: 'server' }, { text: 'a is back', delayMs: 30 }] },
      breakerThreshold: 2,
      breakerHalfOpenAfterMs: 50,
    });
    await router.chat(ask);
    await router.chat(ask);
    expect(router.breakerStates().find((s) => s.providerId === 'a')?.state).toBe('open');
    await new Promise((resolve) => setTimeout(resolve, 80));
    const answers = await Promise.all(Array.from({ length: 5 }, () => router.chat(ask)));
    expect(calls('a')).toBe(3);
    expect(answers.map((a) => a.target.providerId).sort()).toEqual(['a', 'b', 'b', 'b', 'b']);
    expect(router.breakerStates().find((s) => s.providerId === 'a')?.state).toBe('closed');
  });

  it('a cancelled call frees its slot: the target it was on is no longer counted as busy', async () => {
    // Every answer comes at once (the clock never moves), so the calls under way decide; on a tie, the listed order (a first).
    const { router } = setup(['a', 'b'], 'least-latency', { scripts: { a: [{ hang: true }], b: [{ hang: true }, { text: 'b again' }] } });
    const start = () => {
      const cancel = new AbortController();
      let onAttempt!: (providerId: string) => void;
      const attempt = new Promise<string>((resolve) => (onAttempt = resolve));
      const call = router.chat({ ...ask, signal: cancel.signal, onEvent: (event: RouterEvent) => event.type === 'attempt' && onAttempt(event.target.providerId) });
      return { cancel, attempt, call };
    };
    const onA = start();
    expect(await onA.attempt).toBe('a');
    const onB = start();
    expect(await onB.attempt).toBe('b');
    onB.cancel.abort(new Error('user stopped'));
    await expect(onB.call).rejects.toMatchObject({ code: 'CANCELLED' });
    // a still has its call under way, b none any more: b it is (had b kept the cancelled one, the tie would pick a).
    const after = await router.chat(ask);
    expect(after.target.providerId).toBe('b');
    expect(after.text).toBe('b again');
    onA.cancel.abort(new Error('user stopped'));
    await expect(onA.call).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('a sticky key keeps the calls of one run on one target while it is healthy', async () => {
    const { router, attempts } = setup(['a', 'b'], 'weighted', { random: seededRandom(3) });
    const first = (await router.chat({ ...ask, stickyKey: 'run-1' })).target.providerId;
    for (let i = 0; i < 20; i++) expect((await router.chat({ ...ask, stickyKey: 'run-1' })).target.providerId).toBe(first);
    expect(attempts.some((a) => a.reason.startsWith('sticky: the earlier calls of this run went here'))).toBe(true);
    const others = new Set<string>();
    for (let i = 0; i < 20; i++) others.add((await router.chat(ask)).target.providerId);
    expect([...others].sort()).toEqual(['a', 'b']);
  });

  it('a target listed twice is tried once per call: a failing one is not asked again after the fallback failed too', async () => {
    const { router, calls, attempts } = setup(['a', 'b'], 'ordered', { listed: ['a', 'b', 'a'], scripts: { a: [{ fail: 'bad-request', status: 400 }], b: [{ fail: 'bad-request', status: 400 }] } });
    await expect(router.chat(ask)).rejects.toThrow();
    expect(calls('a')).toBe(1);
    expect(attempts.map((a) => `${a.providerId} ${a.outcome}`)).toEqual(['a error', 'b error']);
  });
});
