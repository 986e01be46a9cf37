import { afterEach, describe, expect, it } from 'vitest';
import type { Telemetry as TelemetrySettings } from '../../src-shared/domain/settings.ts';
import type { AttemptRecord } from '../../src-main/modelCall/modelCallTypes.ts';
import { AppLog } from '../../src-main/observability/AppLog.ts';
import { Telemetry } from '../../src-main/observability/Telemetry.ts';
import { startOtlpReceiver, type OtlpReceiver } from '../support/otlpReceiver.ts';
import { createCore } from '../../src-main/core/createCore.ts';
import { coreCaller } from '../support/coreCaller.ts';
import { startFakeOpenAiServer } from '../support/fakes/fakeOpenAiServer.ts';
import { useTempDirs } from '../support/useTempDirs.ts';

/**
 * The telemetry setting read on every event, with the real SDK and exporter: a new address takes
 * effect at once (the old exporter sends what it holds first), off sends nothing more, a
 * collector that is down costs a bounded wait.
 */
describe('telemetry follows its setting', () => {
  const tempDir = useTempDirs();
  const receivers: OtlpReceiver[] = [];
  afterEach(async () => {
    await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
  });

  const call = (requestId: string): AttemptRecord => ({ requestId, attemptNo: 1, startedAt: new Date().toISOString(), task: 'interview', providerId: 'box', model: 'm1', outcome: 'ok', reason: 'only target', latencyMs: 12, inputTokens: 5, outputTokens: 7 });
  const names = (receiver: OtlpReceiver) => receiver.spans().map((span) => span.attributes['service_creator.request_id']);

  it('sends to the address set now, stops when turned off, and survives a collector that is down', async () => {
    const first = await startOtlpReceiver();
    const second = await startOtlpReceiver();
    receivers.push(first, second);
    let settings: TelemetrySettings = { enabled: true, endpoint: first.url, includePrompts: false };
    const dir = tempDir();
    const log = new AppLog({ dir, kind: 'cli' });
    const telemetry = new Telemetry({ settings: () => settings, serviceVersion: '0.0.0-test', processKind: 'cli', log });

    telemetry.record({ kind: 'attempt', record: call('a'), providerType: 'openai' });
    await telemetry.flush();
    expect(names(first)).toEqual(['a']);

    settings = { ...settings, endpoint: second.url };
    telemetry.record({ kind: 'attempt', record: call('b'), providerType: 'openai' });
    await telemetry.flush();
    expect(names(first)).toEqual(['a']);
    expect(names(second)).toEqual(['b']);

    settings = { ...settings, enabled: false };
    telemetry.record({ kind: 'attempt', record: call('c'), providerType: 'openai' });
    await telemetry.flush();
    expect([...names(first), ...names(second)]).toEqual(['a', 'b']);
    expect(telemetry.loaded).toBe(false);

    // A collector nobody listens on (the exporter retries it): flushing and closing give up within their bounds.
    const down = await startOtlpReceiver();
    await down.close();
    settings = { enabled: true, endpoint: down.url, includePrompts: false };
    telemetry.record({ kind: 'attempt', record: call('d'), providerType: 'openai' });
    const started = Date.now();
    await telemetry.flush(1_000);
    await telemetry.close(1_000);
    expect(Date.now() - started).toBeLessThan(3_500);
    log.close();
  });

  it('turned off, the spans the batch still holds are dropped, never sent: noticed at the next event, or at once when the settings change', async () => {
    const receiver = await startOtlpReceiver();
    receivers.push(receiver);
    let settings: TelemetrySettings = { enabled: true, endpoint: receiver.url, includePrompts: false };
    const log = new AppLog({ dir: tempDir(), kind: 'cli' });
    const telemetry = new Telemetry({ settings: () => settings, serviceVersion: '0.0.0-test', processKind: 'cli', log });
    const batchTimer = () => new Promise((resolve) => setTimeout(resolve, 2_600));

    telemetry.record({ kind: 'attempt', record: call('sent'), providerType: 'openai' });
    await telemetry.flush();
    expect(names(receiver)).toEqual(['sent']);

    // Held in the batch (sent within 2 s); the user turns telemetry off; the next call's event notices.
    telemetry.record({ kind: 'attempt', record: call('held'), providerType: 'openai' });
    settings = { ...settings, enabled: false };
    telemetry.record({ kind: 'attempt', record: call('after'), providerType: 'openai' });
    await batchTimer();
    expect(names(receiver)).toEqual(['sent']);
    expect(telemetry.loaded).toBe(false);

    // On again; a span held; turned off with no call after it: the settings' change drops it.
    settings = { ...settings, enabled: true };
    telemetry.record({ kind: 'attempt', record: call('sent again'), providerType: 'openai' });
    await telemetry.flush();
    telemetry.record({ kind: 'attempt', record: call('held again'), providerType: 'openai' });
    settings = { ...settings, enabled: false };
    telemetry.settingsChanged();
    await batchTimer();
    expect(names(receiver)).toEqual(['sent', 'sent again']);
    expect(telemetry.loaded).toBe(false);
    await telemetry.close();
    log.close();
  });

  it('turned off by another process this one hears nothing from (no watch, no event): the batch is dropped when it comes due; on again, spans go out again', async () => {
    const receiver = await startOtlpReceiver();
    receivers.push(receiver);
    let settings: TelemetrySettings = { enabled: true, endpoint: receiver.url, includePrompts: false };
    const log = new AppLog({ dir: tempDir(), kind: 'cli' });
    const telemetry = new Telemetry({ settings: () => settings, serviceVersion: '0.0.0-test', processKind: 'cli', log });
    telemetry.record({ kind: 'attempt', record: call('sent'), providerType: 'openai' });
    await telemetry.flush();
    telemetry.record({ kind: 'attempt', record: call('held'), providerType: 'openai' });
    // Only the stored setting changes (another process wrote it); this one records nothing more.
    settings = { ...settings, enabled: false };
    await new Promise((resolve) => setTimeout(resolve, 2_600));
    expect(names(receiver)).toEqual(['sent']);
    settings = { ...settings, enabled: true };
    telemetry.record({ kind: 'attempt', record: call('on again'), providerType: 'openai' });
    await telemetry.flush();
    expect(names(receiver)).toEqual(['sent', 'on again']);
    await telemetry.close();
    log.close();
  });

  it('turned off from Settings (settings.set) while a call\'s span waits to be sent: the span never leaves', async () => {
    const receiver = await startOtlpReceiver();
    receivers.push(receiver);
    const server = await startFakeOpenAiServer({ defaultStep: { reply: 'hello' }, models: ['m1'] });
    const core = createCore({ dataDir: tempDir(), host: 'cli', env: {} });
    try {
      const call = coreCaller(core);
      await call('providers.add', { config: { id: 'box', type: 'openai', label: 'Box', location: 'local', baseUrl: server.url, models: ['m1'] } });
      await call('settings.set', { telemetry: { enabled: true, endpoint: receiver.url, includePrompts: false } });
      expect((await core.gateway.chat({ task: 'code', messages: [{ role: 'user', content: 'hi' }] })).text).toBe('hello');
      await call('settings.set', { telemetry: { enabled: false, endpoint: receiver.url, includePrompts: false } });
      // Longer than the batch's own timer (2 s), after which it would have gone out.
      await new Promise((resolve) => setTimeout(resolve, 2_600));
      await core.observability.flush();
      expect(receiver.requests).toEqual([]);
    } finally {
      await core.dispose();
      await server.close();
    }
  });

  it('sends no span for a call that started while on and ended after telemetry was turned off, and loads no SDK for it', async () => {
    const receiver = await startOtlpReceiver();
    receivers.push(receiver);
    let settings: TelemetrySettings = { enabled: true, endpoint: receiver.url, includePrompts: false };
    const log = new AppLog({ dir: tempDir(), kind: 'cli' });
    const telemetry = new Telemetry({ settings: () => settings, serviceVersion: '0.0.0-test', processKind: 'cli', log });

    // Two calls read the configuration at generation 5 (telemetry on); the first ends at once.
    telemetry.record({ kind: 'attempt', record: call('early'), providerType: 'openai' }, 5);
    await telemetry.flush();
    expect(names(receiver)).toEqual(['early']);

    // The user turns it off (the configuration moves on); the second call, slow, ends afterwards.
    settings = { ...settings, enabled: false };
    telemetry.record({ kind: 'attempt', record: call('late'), providerType: 'openai' }, 5);
    await telemetry.flush();
    expect(names(receiver)).toEqual(['early']);
    expect(telemetry.loaded).toBe(false);
    await telemetry.close();
    log.close();
  });

  it('sends to a *.localhost collector on this machine without asking a DNS server where it is (Local only lets it through as loopback)', async () => {
    const receiver = await startOtlpReceiver();
    receivers.push(receiver);
    const endpoint = receiver.url.replace('127.0.0.1', 'collector.localhost');
    const log = new AppLog({ dir: tempDir(), kind: 'cli' });
    const telemetry = new Telemetry({ settings: () => ({ enabled: true, endpoint, includePrompts: false }), serviceVersion: '0.0.0-test', processKind: 'cli', log });
    telemetry.record({ kind: 'attempt', record: call('named'), providerType: 'openai' });
    await telemetry.flush();
    expect(names(receiver)).toEqual(['named']);
    await telemetry.close();
    log.close();
  });

  it('sends an event recorded after the address changed to the new address, even while the SDK is still loading for the old one', async () => {
    const first = await startOtlpReceiver();
    const second = await startOtlpReceiver();
    receivers.push(first, second);
    let settings: TelemetrySettings = { enabled: true, endpoint: first.url, includePrompts: false };
    const log = new AppLog({ dir: tempDir(), kind: 'cli' });
    const telemetry = new Telemetry({ settings: () => settings, serviceVersion: '0.0.0-test', processKind: 'cli', log });
    telemetry.record({ kind: 'attempt', record: call('to-first'), providerType: 'openai' });
    // The SDK is loading (a dynamic import): the user corrects the address meanwhile.
    settings = { ...settings, endpoint: second.url };
    telemetry.record({ kind: 'attempt', record: call('to-second'), providerType: 'openai' });
    await telemetry.flush();
    expect(names(first)).toEqual(['to-first']);
    expect(names(second)).toEqual(['to-second']);
    await telemetry.close();
    log.close();
  });
});
