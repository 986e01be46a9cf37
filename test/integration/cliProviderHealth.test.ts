// Provider health, logs and telemetry through the real CLI process (bin/service-creator.js), with
// a fake OpenAI-compatible server and a loopback OpenTelemetry collector on 127.0.0.1.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProviderHealth } from '../../src-shared/domain/providerHealth.ts';
import { parseJsonLines } from '../support/bufferIo.ts';
import { runBin, type ProcessResult } from '../support/cliProcess.ts';
import { startFakeOpenAiServer, type FakeServer } from '../support/fakes/fakeOpenAiServer.ts';
import { startOtlpReceiver, type OtlpReceiver } from '../support/otlpReceiver.ts';
import { assertNotInFiles, plantedSecret } from '../support/plantedSecret.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

let home: string;
let env: NodeJS.ProcessEnv;
const closers: (() => Promise<void>)[] = [];

beforeEach(() => {
  home = createTempDir('sc-int-health-');
  env = { SERVICE_CREATOR_HOME: home, FAKE_KEY: plantedSecret };
});
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});
afterAll(() => removeTempDirs());

const sc = (...args: string[]): Promise<ProcessResult> => runBin(args, env);

function jsonResult<T>(result: ProcessResult, type: string): T {
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const lines = parseJsonLines(result.stdout).filter((line) => line.type !== 'text');
  expect(lines.map((line) => line.type)).toEqual([type]);
  return lines[0] as T;
}

async function fakeProvider(): Promise<FakeServer> {
  // Three answers, then a refusal (400: not retried, one failed attempt).
  const server = await startFakeOpenAiServer({
    models: ['m1'],
    script: [{ reply: 'one' }, { reply: 'two' }, { reply: 'three' }, { status: 400, body: { error: { message: 'bad request', type: 'invalid_request_error' } } }],
  });
  closers.push(() => server.close());
  const added = await sc('providers', 'add', '--id', 'box', '--type', 'openai', '--local', '--base-url', server.url, '--model', 'm1', '--api-key-env', 'FAKE_KEY', '--json');
  expect(added.code, added.stderr).toBe(0);
  return server;
}

describe('providers health', () => {
  it('says each target’s calls, failures and latency over the hour and the day, in JSON and in words', async () => {
    const empty = await sc('providers', 'health');
    expect(empty.code).toBe(0);
    expect(empty.stdout).toContain('No model calls in the last day');

    await fakeProvider();
    for (let index = 0; index < 3; index += 1) expect((await sc('chat', '--task', 'code', '--prompt', `question ${index}`, '--json')).code).toBe(0);
    expect((await sc('chat', '--task', 'code', '--prompt', 'the refused one', '--json')).code).toBe(1);

    const { health } = jsonResult<{ health: ProviderHealth }>(await sc('providers', 'health', '--json'), 'providerHealth');
    expect(health.targets).toHaveLength(1);
    const [target] = health.targets;
    expect(target).toMatchObject({ providerId: 'box', model: 'm1', label: 'box', breaker: 'closed' });
    for (const window of target?.windows ?? []) {
      expect(window).toMatchObject({ calls: 4, errors: 1, errorRate: 0.25, skippedWhilePaused: 0 });
      expect(window.p50Ms).toBeGreaterThanOrEqual(0);
      expect(window.p95Ms).toBeGreaterThanOrEqual(window.p50Ms ?? 0);
    }
    expect(target?.windows.map((window) => window.window)).toEqual(['hour', 'day']);

    const text = await sc('providers', 'health');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^box · m1: working\n {2}last hour: 1 of 4 calls failed \(25%\); typically \d+ ms, 1 in 20 slower than \d+ ms\n {2}last day: 1 of 4 calls failed/);

    // Each CLI command logged its calls to the CLI's own file; the key is in no file of the data folder.
    const log = readFileSync(join(home, 'logs', 'service-creator-cli.log'), 'utf8');
    const calls = log.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => String(line.msg).startsWith('model call'));
    expect(calls.map((line) => [line.msg, line.outcome, line.provider, line.model, line.task])).toEqual([
      ['model call', 'ok', 'box', 'm1', 'code'],
      ['model call', 'ok', 'box', 'm1', 'code'],
      ['model call', 'ok', 'box', 'm1', 'code'],
      ['model call failed', 'error', 'box', 'm1', 'code'],
    ]);
    expect(log).not.toContain('question 0');
    assertNotInFiles(home, plantedSecret);
  });
});

describe('settings telemetry', () => {
  it('turns export on and off; on, a chat command sends its trace before it exits; off, nothing', async () => {
    const receiver: OtlpReceiver = await startOtlpReceiver();
    closers.push(() => receiver.close());
    await fakeProvider();

    const missing = await sc('settings', 'telemetry', '--on');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("Give the collector's address");
    const bad = await sc('settings', 'telemetry', '--on', '--endpoint', 'ftp://collector.example', '--json');
    expect(bad.code).toBe(1);
    expect(parseJsonLines(bad.stdout).at(-1)).toMatchObject({ type: 'error', error: { code: 'INVALID_INPUT', message: expect.stringContaining('http:// or https://') } });

    const on = await sc('settings', 'telemetry', '--on', '--endpoint', receiver.url);
    expect(on.code, on.stderr).toBe(0);
    expect(on.stdout).toBe(`Telemetry is on, to ${receiver.url} (timings, token counts, costs and outcomes; never prompts or code)\n`);
    const info = jsonResult<{ info: { networkUse: string[] } }>(await sc('info', '--json'), 'info');
    expect(info.info.networkUse).toContainEqual(expect.stringMatching(/^OpenTelemetry collector \(127\.0\.0\.1:\d+\)/));

    expect((await sc('chat', '--task', 'code', '--prompt', 'traced question', '--json')).code).toBe(0);
    const spans = receiver.spans();
    expect(spans.map((span) => [span.name, span.attributes['service_creator.task'], span.attributes['service_creator.target'], span.attributes['service_creator.outcome']])).toEqual([['chat m1', 'code', 'box/m1', 'ok']]);
    expect(Buffer.concat(receiver.bodies).includes('traced question')).toBe(false);

    const off = await sc('settings', 'telemetry', '--off', '--json');
    expect(jsonResult<{ settings: { telemetry: { enabled: boolean; endpoint: string } } }>(off, 'settings').settings.telemetry).toEqual({ enabled: false, endpoint: receiver.url, includePrompts: false });
    const before = receiver.requests.length;
    expect((await sc('chat', '--task', 'code', '--prompt', 'untraced', '--json')).code).toBe(0);
    expect(receiver.requests.length).toBe(before);
  });
});

describe('settings telemetry refuses an address that could forge a line or carry a token', () => {
  it('says why in words, stores nothing, and `settings get` shows no line the address drew', async () => {
    expect((await sc('settings', 'set', 'privacyMode', 'cloud-allowed')).code).toBe(0);
    const forged = await sc('settings', 'telemetry', '--on', '--endpoint', 'http://127.0.0.1:4318/\nprivacyMode: local-only');
    expect(forged.code).toBe(1);
    expect(forged.stderr).toBe('Error: The address cannot hold spaces, control characters or invisible characters (--endpoint)\n');
    const token = await sc('settings', 'telemetry', '--on', '--endpoint', 'http://127.0.0.1:4318/v1/traces?api_key=hunter2hunter2', '--json');
    expect(token.code).toBe(1);
    const refusal = parseJsonLines(token.stdout).at(-1) as { error: { code: string; message: string } };
    expect(refusal.error.code).toBe('INVALID_INPUT');
    expect(refusal.error.message).toMatch(/^Leave out anything after \? or #/);
    expect(refusal.error.message).not.toContain('hunter2');
    // A key in the address's path (a collector that takes its token there): refused as well, never stored.
    const inPath = await sc('settings', 'telemetry', '--on', '--endpoint', 'https://otel.example.com/ingest/sk-proj-Abcdefghij0123456789KLMNOP/v1/traces');
    expect(inPath.code).toBe(1);
    expect(inPath.stderr).toMatch(/^Error: The collector's address cannot hold a key/);
    expect(inPath.stderr).not.toContain('Abcdefghij0123456789');
    const shown = await sc('settings', 'get');
    expect(shown.code).toBe(0);
    expect(shown.stdout).not.toContain('Abcdefghij0123456789');
    expect(shown.stdout.split('\n').filter((line) => line.startsWith('privacyMode'))).toEqual(['privacyMode: cloud-allowed']);
    expect(shown.stdout).toContain('telemetry: off');
    expect(shown.stdout).not.toContain('hunter2');
  });
});
