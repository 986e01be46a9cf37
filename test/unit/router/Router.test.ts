import { describe, expect, it } from 'vitest';
import type { ProviderConfig, Routing } from '../../../src-shared/domain/provider.ts';
import type { PrivacyMode } from '../../../src-shared/domain/settings.ts';
import type { LlmProvider } from '../../../src-main/providers/LlmProvider.ts';
import { Router } from '../../../src-main/router/Router.ts';
import { ProviderError } from '../../../src-main/providers/ProviderError.ts';
import { scriptedProvider, type Step } from '../../support/scriptedProvider.ts';
import type { AttemptRecord, RouterEvent } from '../../../src-main/modelCall/modelCallTypes.ts';
import { type RouterOptions } from '../../../src-main/router/routerTypes.ts';

const local = (id: string): ProviderConfig => ({ id, type: 'llama-cpp', label: id, location: 'local', models: ['m'], limits: {}, enabled: true });
const cloud = (id: string): ProviderConfig => ({ id, type: 'openai', label: id, location: 'cloud', models: ['m'], limits: {}, enabled: true });

function setup(
  configs: ProviderConfig[],
  scripts: Record<string, Step[]>,
  options: Partial<RouterOptions> & { mode?: PrivacyMode; routing?: Routing; contextLengths?: Record<string, number> } = {},
) {
  const providers = new Map<string, ReturnType<typeof scriptedProvider>>();
  for (const config of configs) {
    providers.set(config.id, scriptedProvider(config.id, scripts[config.id] ?? [{ text: `hello from ${config.id}` }], { contextLength: options.contextLengths?.[config.id] ?? 8192 }));
  }
  const attempts: AttemptRecord[] = [];
  const statusChanges: string[] = [];
  const router = new Router(
    {
      providers: () => configs,
      routing: () => options.routing ?? {},
      privacyMode: () => options.mode ?? 'cloud-allowed',
      provider: (config) => providers.get(config.id) as LlmProvider,
      defaultModel: (config) => config.models[0],
      hasKey: () => true,
      recordAttempt: (record) => attempts.push(record),
      pricing: () => ({ inputPerMillion: 1, outputPerMillion: 2 }),
      onStatusChange: (id) => statusChanges.push(id),
    },
    { baseDelayMs: 5, maxDelayMs: 50, random: () => 0.5, breakerHalfOpenAfterMs: 100, ...options },
  );
  const calls = (id: string) => providers.get(id)?.calls.length ?? 0;
  return { router, attempts, calls, statusChanges };
}

const ask = { task: 'code' as const, messages: [{ role: 'user' as const, content: 'write code' }] };

describe('Router', () => {
  it('answers from the first target, streams text, and records one attempt with tokens, latency and cost', async () => {
    const { router, attempts } = setup([cloud('a'), local('b')], {});
    const events: RouterEvent[] = [];
    const result = await router.chat({ ...ask, onEvent: (event) => events.push(event) });
    expect(result.text).toBe('hello from a');
    expect(events.filter((e) => e.type === 'text').map((e) => (e as { text: string }).text).join('')).toBe('hello from a');
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({ providerId: 'a', outcome: 'ok', inputTokens: 10, task: 'code', reason: expect.stringContaining('default order') });
    expect(attempts[0]?.costUsd).toBeGreaterThan(0);
    expect(attempts[0]?.firstTokenMs).toBeGreaterThanOrEqual(0);
  });

  it('a model on this machine costs 0, whatever a price table says of its name', async () => {
    const { router, attempts } = setup([local('a')], {});
    await router.chat(ask);
    expect(attempts[0]).toMatchObject({ providerId: 'a', outcome: 'ok', costUsd: 0 });
  });

  it('retries 500 twice then succeeds on the same target', async () => {
    const { router, calls, attempts } = setup([cloud('a')], { a: [{ fail: 'server', status: 500 }, { fail: 'server', status: 500 }, { text: 'ok' }] });
    const result = await router.chat(ask);
    expect(result.text).toBe('ok');
    expect(calls('a')).toBe(3);
    expect(attempts.map((a) => a.outcome)).toEqual(['error', 'error', 'ok']);
  });

  it('honours Retry-After on 429', async () => {
    const { router, calls } = setup([cloud('a')], { a: [{ fail: 'rate-limited', status: 429, retryAfterMs: 300 }, { text: 'ok' }] });
    const started = performance.now();
    await router.chat(ask);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(calls('a')).toBe(2);
  });

  it('does not retry 401: marks the key rejected and falls back', async () => {
    const { router, calls, attempts, statusChanges } = setup([cloud('a'), cloud('b')], { a: [{ fail: 'auth', status: 401 }] });
    const result = await router.chat(ask);
    expect(result.target.providerId).toBe('b');
    expect(calls('a')).toBe(1);
    expect(router.isKeyRejected('a')).toBe(true);
    expect(statusChanges).toContain('a');
    expect(attempts[1]?.reason).toContain('fallback after a/m failed (auth 401)');
    await router.chat(ask);
    expect(calls('a')).toBe(1);
  });

  it.each([
    ['bad-request', 400],
    ['not-found', 404],
  ] as const)('does not retry %s', async (kind, status) => {
    const { router, calls } = setup([cloud('a'), cloud('b')], { a: [{ fail: kind, status }] });
    await router.chat(ask);
    expect(calls('a')).toBe(1);
    expect(calls('b')).toBe(1);
  });

  it('gives up on a target after the retries and falls back to the next', async () => {
    const { router, calls } = setup([cloud('a'), cloud('b')], { a: [{ fail: 'server', status: 503 }] }, { maxRetries: 2 });
    const result = await router.chat(ask);
    expect(result.target.providerId).toBe('b');
    expect(calls('a')).toBe(3);
  });

  it('local-only never calls a cloud provider, even when local fails', async () => {
    const { router, calls, attempts } = setup([local('a'), cloud('b')], { a: [{ fail: 'server' }] }, { mode: 'local-only' });
    await expect(router.chat(ask)).rejects.toMatchObject({ code: 'NO_ROUTE' });
    expect(calls('b')).toBe(0);
    expect(attempts.find((a) => a.providerId === 'b')).toMatchObject({ outcome: 'skipped', reason: 'cloud provider not allowed in local-only mode' });
  });

  it('local-first tries local targets before cloud ones whatever the routing order', async () => {
    const { router, attempts } = setup([cloud('c'), local('l')], { l: [{ fail: 'server' }] }, { mode: 'local-first', maxRetries: 0 });
    const result = await router.chat(ask);
    expect(attempts.map((a) => a.providerId)).toEqual(['l', 'c']);
    expect(result.target.providerId).toBe('c');
  });

  it('times out waiting for the first token and falls back', async () => {
    const { router, attempts } = setup([cloud('a'), cloud('b')], { a: [{ hang: true }] }, { firstTokenTimeoutMs: 50, maxRetries: 0 });
    const result = await router.chat(ask);
    expect(result.target.providerId).toBe('b');
    expect(attempts[0]).toMatchObject({ outcome: 'error', errorKind: 'timeout', message: expect.stringContaining('first token') });
  });

  it('tells the caller to restart when an attempt fails after streaming', async () => {
    const { router } = setup([cloud('a'), cloud('b')], { a: [{ fail: 'connection', afterText: 'partial ' }] }, { maxRetries: 0 });
    const events: RouterEvent[] = [];
    const result = await router.chat({ ...ask, onEvent: (event) => events.push(event) });
    expect(result.text).toBe('hello from b');
    const types = events.map((e) => e.type);
    expect(types.indexOf('restart')).toBeGreaterThan(types.indexOf('text'));
    expect(events.find((e) => e.type === 'restart')).toMatchObject({ reason: expect.stringContaining('failed after streaming') });
  });

  it('after a context-length error tries the next target on its own window: one overflow never changes another target\'s size check', async () => {
    const { router, calls, attempts } = setup(
      [cloud('small'), cloud('same'), cloud('big')],
      { small: [{ fail: 'context-length', status: 400 }] },
      { contextLengths: { small: 4096, same: 4096, big: 128_000 } },
    );
    const result = await router.chat(ask);
    expect(result.target.providerId).toBe('same');
    expect([calls('small'), calls('same'), calls('big')]).toEqual([1, 1, 0]);
    expect(attempts.filter((a) => a.outcome === 'skipped')).toEqual([]);
  });

  it('the sequence from the field: a small-context local model overflows a ~560-token prompt, and the next 8192-token target answers it', async () => {
    // The local model said 8192 but ran with less; before, the next target was skipped as
    // "needs about 8193 tokens, has 8192". Now it is judged on its own window and the prompt's count.
    const prompt = { task: 'code' as const, messages: [{ role: 'user' as const, content: Array.from({ length: 560 }, (_, i) => `word${i % 10}`).join(' ') }] };
    const { router, calls, attempts } = setup(
      [local('tiny'), local('lm'), cloud('big')],
      { tiny: [{ fail: 'context-length', status: 400 }], lm: [{ text: 'answered' }] },
      { contextLengths: { tiny: 8192, lm: 8192, big: 128_000 } },
    );
    const result = await router.chat(prompt);
    expect(result.text).toBe('answered');
    expect(result.target.providerId).toBe('lm');
    expect([calls('tiny'), calls('lm'), calls('big')]).toEqual([1, 1, 0]);
    expect(attempts.map((a) => [a.providerId, a.outcome, a.errorKind])).toEqual([
      ['tiny', 'error', 'context-length'],
      ['lm', 'ok', undefined],
    ]);
    expect(attempts.some((a) => /needs about 8193|which this prompt overflowed/.test(a.reason))).toBe(false);
    // The next target is still skipped when its own window cannot hold the counted prompt.
    const tight = setup([local('tiny'), local('lm'), cloud('big')], { tiny: [{ fail: 'context-length', status: 400 }] }, { contextLengths: { tiny: 8192, lm: 300, big: 128_000 } });
    expect((await tight.router.chat(prompt)).target.providerId).toBe('big');
    expect(tight.attempts.find((a) => a.providerId === 'lm')?.reason).toMatch(/^context too small: needs about \d+ tokens, m has 300$/);
  });

  it('skips a target whose context cannot hold the prompt', async () => {
    const { router, calls } = setup([cloud('a'), cloud('b')], {}, { contextLengths: { a: 10 } });
    const result = await router.chat({ task: 'code', messages: [{ role: 'user', content: 'x'.repeat(400) }] });
    expect(result.target.providerId).toBe('b');
    expect(calls('a')).toBe(0);
  });

  it('opens the circuit after N failures, half-opens after the cool-down, closes on success', async () => {
    const { router, calls } = setup([cloud('a'), cloud('b')], { a: [{ fail: 'server' }, { fail: 'server' }, { fail: 'server' }, { text: 'back' }] }, {
      maxRetries: 0,
      breakerThreshold: 3,
      breakerHalfOpenAfterMs: 150,
    });
    for (let i = 0; i < 3; i++) await router.chat(ask);
    expect(router.breakerStates().find((s) => s.providerId === 'a')?.state).toBe('open');
    await router.chat(ask);
    expect(calls('a')).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const result = await router.chat(ask);
    expect(result.text).toBe('back');
    expect(router.breakerStates().find((s) => s.providerId === 'a')?.state).toBe('closed');
  });

  it('while a half-open target\'s probe is under way, other calls go to the next target instead of waiting for the probe; with no target after it they wait', async () => {
    const fail = { fail: 'server' as const };
    const open = async (router: Router) => {
      for (let i = 0; i < 2; i++) await router.chat(ask).catch(() => undefined);
      expect(router.breakerStates().find((s) => s.providerId === 'a')?.state).toBe('open');
      await new Promise((resolve) => setTimeout(resolve, 130));
    };
    // Listed order (the default strategy): the probe takes 400 ms; the other calls do not wait for it.
    const two = setup([cloud('a'), cloud('b')], { a: [fail, fail, { text: 'a is back', delayMs: 400 }] }, { maxRetries: 0, breakerThreshold: 2 });
    await open(two.router);
    const started = performance.now();
    const probe = two.router.chat(ask);
    const others = await Promise.all(Array.from({ length: 3 }, () => two.router.chat(ask)));
    expect(others.map((answer) => answer.target.providerId)).toEqual(['b', 'b', 'b']);
    expect(performance.now() - started).toBeLessThan(300);
    expect((await probe).text).toBe('a is back');
    expect(two.attempts.filter((a) => a.outcome === 'skipped').map((a) => a.reason)).toEqual(Array(3).fill('circuit half-open: its one probe is under way, so this call goes to the next target'));
    // The only target: the calls wait for its probe, and it answers them all.
    const one = setup([cloud('a')], { a: [fail, fail, { text: 'a is back', delayMs: 100 }] }, { maxRetries: 0, breakerThreshold: 2 });
    await open(one.router);
    const answers = await Promise.all(Array.from({ length: 3 }, () => one.router.chat(ask)));
    expect(answers.map((answer) => answer.text)).toEqual(['a is back', 'a is back', 'a is back']);
    expect(one.calls('a')).toBe(5);
  });

  it('before a request leaves the machine the router says so (the audit writes it ahead); when that cannot be done, nothing is sent and no egress is reported', async () => {
    const sent: { providerId: string; attemptNo: number; bytes: number }[] = [];
    const writes = setup([cloud('a')], {});
    const router = new Router({
      providers: () => [cloud('a')],
      routing: () => ({}),
      privacyMode: () => 'cloud-allowed',
      provider: () => scriptedProvider('a', [{ text: 'ok' }]) as LlmProvider,
      defaultModel: (config) => config.models[0],
      hasKey: () => true,
      recordAttempt: (record) => writes.attempts.push(record),
      sending: (attempt) => void sent.push({ providerId: attempt.providerId, attemptNo: attempt.attemptNo, bytes: attempt.egress.bytesSent }),
    });
    expect((await router.chat(ask)).text).toBe('ok');
    expect(sent).toEqual([{ providerId: 'a', attemptNo: 1, bytes: writes.attempts[0]?.egress?.bytesSent }]);
    expect(writes.attempts[0]?.egress?.bytesSent).toBeGreaterThan(0);

    const provider = scriptedProvider('a', [{ text: 'never' }]);
    const refused: AttemptRecord[] = [];
    const closed = new Router({
      providers: () => [cloud('a')],
      routing: () => ({}),
      privacyMode: () => 'cloud-allowed',
      provider: () => provider as LlmProvider,
      defaultModel: (config) => config.models[0],
      hasKey: () => true,
      recordAttempt: (record) => refused.push(record),
      sending: () => {
        throw new ProviderError('a', 'unavailable', 'nothing was sent: the audit trail cannot be written (disk full)');
      },
    }, { maxRetries: 0 });
    await expect(closed.chat(ask)).rejects.toMatchObject({ code: 'NO_ROUTE' });
    expect(provider.calls).toHaveLength(0);
    expect(refused).toMatchObject([{ providerId: 'a', outcome: 'error', errorKind: 'unavailable', message: expect.stringContaining('audit trail cannot be written') }]);
    expect(refused[0]?.egress).toBeUndefined();
  });

  it('a success resets the count of consecutive failures: the circuit opens only after N failures in a row', async () => {
    const fail = { fail: 'server' as const };
    const { router } = setup([cloud('a'), cloud('b')], { a: [fail, fail, { text: 'ok' }, fail, fail, { text: 'ok' }, fail, fail, fail] }, { maxRetries: 0, breakerThreshold: 3 });
    const state = () => router.breakerStates().find((s) => s.providerId === 'a')?.state;
    for (let i = 0; i < 6; i++) await router.chat(ask);
    expect(state()).toBe('closed');
    for (let i = 0; i < 2; i++) await router.chat(ask);
    expect(state()).toBe('closed');
    await router.chat(ask);
    expect(state()).toBe('open');
  });

  it('a 400 (not the backend failing) never counts against the circuit', async () => {
    const bad = { fail: 'bad-request' as const };
    const { router } = setup([cloud('a'), cloud('b')], { a: [bad, bad, bad, bad] }, { maxRetries: 0, breakerThreshold: 2 });
    for (let i = 0; i < 4; i++) expect((await router.chat(ask)).target.providerId).toBe('b');
    expect(router.breakerStates().find((s) => s.providerId === 'a')?.state).toBe('closed');
  });

  it('times out attempts under way at once by their own limits, a short one started after a long one included (one shared timer)', async () => {
    const slowHung = { ...cloud('slow-hung'), firstTokenTimeoutMs: 600 };
    const fastHung = { ...cloud('fast-hung'), firstTokenTimeoutMs: 80 };
    const first = setup([slowHung, cloud('b')], { 'slow-hung': [{ hang: true }] }, { maxRetries: 0 });
    const second = setup([fastHung, cloud('c')], { 'fast-hung': [{ hang: true }] }, { maxRetries: 0 });
    const started = performance.now();
    const slow = first.router.chat(ask).then(() => performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const fast = second.router.chat(ask).then(() => performance.now() - started);
    const [slowMs, fastMs] = await Promise.all([slow, fast]);
    expect(fastMs).toBeGreaterThanOrEqual(95);
    expect(fastMs).toBeLessThan(450);
    expect(slowMs).toBeGreaterThanOrEqual(595);
    expect(second.attempts[0]).toMatchObject({ providerId: 'fast-hung', errorKind: 'timeout', message: expect.stringContaining('no first token within 80 ms') });
    expect(first.attempts[0]).toMatchObject({ providerId: 'slow-hung', errorKind: 'timeout', message: expect.stringContaining('no first token within 600 ms') });
  });

  it('cancellation stops the generation and does not fall back', async () => {
    const { router, calls, attempts } = setup([cloud('a'), cloud('b')], { a: [{ hang: true, afterText: 'x' }] });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user pressed stop')), 50);
    await expect(router.chat({ ...ask, signal: controller.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(calls('b')).toBe(0);
    expect(attempts.at(-1)).toMatchObject({ outcome: 'cancelled' });
  });

  it('explains every skipped target when nothing can answer', async () => {
    const disabled = { ...cloud('off'), enabled: false };
    const { router } = setup([disabled], {}, { routing: { code: [{ providerId: 'ghost', model: 'x' }, { providerId: 'off', model: 'm' }] } });
    await expect(router.chat(ask)).rejects.toMatchObject({
      code: 'NO_ROUTE',
      message: expect.stringMatching(/ghost\/x: skipped \(provider "ghost" is not configured\).*off\/m: skipped \(provider "off" is disabled\)/),
    });
  });

  it('with no providers at all says so', async () => {
    const { router } = setup([], {});
    await expect(router.chat(ask)).rejects.toMatchObject({ code: 'NO_ROUTE', message: expect.stringContaining('No provider is configured') });
  });
});

describe('Router failure budgets: hung targets, 429 storms, the overall deadline', () => {
  it('a first-token timeout falls back at once: exactly one request to the hung target', async () => {
    const { router, calls, attempts } = setup([cloud('hung'), cloud('b')], { hung: [{ hang: true }] }, { firstTokenTimeoutMs: 60, maxRetries: 2 });
    const started = performance.now();
    const result = await router.chat(ask);
    expect(result.target.providerId).toBe('b');
    expect(calls('hung')).toBe(1);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(attempts[0]).toMatchObject({ providerId: 'hung', outcome: 'error', errorKind: 'timeout', message: expect.stringContaining('no first token within 60 ms') });
  });

  it("honours a provider's own first-token timeout over the router's default", async () => {
    const hung = { ...cloud('hung'), firstTokenTimeoutMs: 1_000 };
    const { router, calls } = setup([hung, cloud('b')], { hung: [{ hang: true }] }, { firstTokenTimeoutMs: 30_000 });
    const started = performance.now();
    expect((await router.chat(ask)).target.providerId).toBe('b');
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(990);
    expect(elapsed).toBeLessThan(5_000);
    expect(calls('hung')).toBe(1);
  });

  it("honours a provider's own total timeout", async () => {
    const slow = { ...cloud('slow'), totalTimeoutMs: 1_000 };
    const { router, attempts } = setup([slow, cloud('b')], { slow: [{ text: 'a slow answer, word by word', chunks: 30, delayMs: 100 }] }, { totalTimeoutMs: 60_000 });
    const events: RouterEvent[] = [];
    const result = await router.chat({ ...ask, onEvent: (event) => events.push(event) });
    expect(result.target.providerId).toBe('b');
    expect(attempts[0]).toMatchObject({ errorKind: 'timeout', message: expect.stringContaining('no complete answer within 1 s') });
    // Text had streamed before the timeout: the caller was told to discard it.
    expect(events.map((e) => e.type)).toContain('restart');
  });

  it('rides out a 429 storm with Retry-After: 0 on its own budget (more tries than maxRetries), without opening the circuit', async () => {
    const storm = Array.from({ length: 6 }, () => ({ fail: 'rate-limited' as const, status: 429, retryAfterMs: 0 }));
    const { router, calls, attempts } = setup([cloud('a')], { a: [...storm, { text: 'finally' }] }, { maxRetries: 2, breakerThreshold: 3 });
    const result = await router.chat(ask);
    expect(result.text).toBe('finally');
    expect(calls('a')).toBe(7);
    expect(attempts.map((a) => a.outcome)).toEqual([...storm.map(() => 'error'), 'ok']);
    expect(router.breakerStates()).toEqual([{ providerId: 'a', model: 'm', state: 'closed' }]);
  });

  it('429 backoff grows even when Retry-After is 0', async () => {
    const storm = Array.from({ length: 4 }, () => ({ fail: 'rate-limited' as const, status: 429, retryAfterMs: 0 }));
    const { router, attempts } = setup([cloud('a')], { a: [...storm, { text: 'ok' }] }, { baseDelayMs: 40, maxDelayMs: 1_000, random: () => 1 });
    const started = performance.now();
    await router.chat(ask);
    // 40 + 80 + 160 + 320 ms of waiting.
    expect(performance.now() - started).toBeGreaterThanOrEqual(590);
    const gaps = attempts.slice(1).map((a, i) => Date.parse(a.startedAt) - Date.parse(attempts[i]?.startedAt ?? ''));
    expect(gaps[3]).toBeGreaterThan(gaps[0] ?? Infinity);
  });

  it('fails with a clear error naming the overall deadline and what was tried when it passes', async () => {
    const { router, calls } = setup([cloud('a')], { a: [{ fail: 'server', status: 503 }] }, { maxRetries: 1_000, baseDelayMs: 20, maxDelayMs: 40, breakerThreshold: 1_000 });
    const started = performance.now();
    const failure = router.chat({ ...ask, deadlineMs: 400 });
    await expect(failure).rejects.toMatchObject({ code: 'PROVIDER_FAILED', message: expect.stringMatching(/within its overall deadline of 400 ms.*Tried: a\/m: error \(server\)/) });
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(calls('a')).toBeGreaterThan(2);
  });

  it('the overall deadline cuts a hung attempt short and no further target is tried', async () => {
    const { router, calls, attempts } = setup([cloud('a'), cloud('b')], { a: [{ hang: true, afterText: 'x' }] }, { firstTokenTimeoutMs: 30_000, deadlineMs: 300 });
    await expect(router.chat(ask)).rejects.toMatchObject({ code: 'PROVIDER_FAILED', message: expect.stringContaining('overall deadline of 300 ms') });
    expect(calls('b')).toBe(0);
    expect(attempts[0]).toMatchObject({ errorKind: 'timeout', message: expect.stringContaining('overall deadline') });
  });

  it('cancelling during a long rate-limit wait ends the call at once', async () => {
    const { router } = setup([cloud('a')], { a: [{ fail: 'rate-limited', status: 429, retryAfterMs: 30_000 }] }, { maxDelayMs: 10_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user pressed stop')), 100);
    const started = performance.now();
    await expect(router.chat({ ...ask, signal: controller.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
