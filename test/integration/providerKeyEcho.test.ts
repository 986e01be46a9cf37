// A provider that quotes the key back in its error answers (a gateway's 401 "Incorrect API key
// provided: <key>", an error body echoing the request headers) must not get the key stored or
// shown: not in the database or its WAL, not in `usage.attempts`, not in any CLI output, not in
// any bridge frame. The key has no recognisable prefix, so only "the keys in use" (knownSecrets)
// can find it; a cut-off copy of it must go as well.
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectClient } from '../support/bridgeClient.ts';
import { runBin, startBin, type ProcessResult, type RunningCli } from '../support/cliProcess.ts';
import { startFakeAnthropicServer } from '../support/fakes/fakeAnthropicServer.ts';
import { startFakeOpenAiServer, type FakeServer, type FakeStep } from '../support/fakes/fakeOpenAiServer.ts';
import { assertNotInFiles } from '../support/plantedSecret.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

/** Random per run; no sk- prefix, so only the registry of keys in use recognises it. */
const key = `gw${randomBytes(24).toString('hex')}`;

let home: string;
let env: NodeJS.ProcessEnv;
let printed: string[];
const fakes: FakeServer[] = [];
const running: RunningCli[] = [];

beforeEach(() => {
  home = createTempDir('sc-int-key-echo-');
  env = { SERVICE_CREATOR_HOME: home, GATEWAY_KEY: key };
  printed = [];
});

afterEach(async () => {
  for (const cli of running.splice(0)) {
    cli.child.kill('SIGKILL');
    await cli.exited;
  }
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
});

afterAll(() => removeTempDirs());

async function sc(...args: string[]): Promise<ProcessResult> {
  const result = await runBin(args, env);
  printed.push(result.stdout, result.stderr);
  return result;
}

/** The error answers of a gateway that quotes the key, in full, cut off, and in echoed headers. */
function echoingSteps(): FakeStep[] {
  return [
    { status: 401, body: { error: { message: `Incorrect API key provided: ${key}. You can find your API key at https://gateway.example/keys.`, type: 'invalid_request_error', code: 'invalid_api_key' } } },
    { status: 401, body: { detail: 'unauthorized', request_headers: { authorization: `Bearer ${key}`, 'x-api-key': key } } },
    { status: 403, body: { error: { message: `key ${key.slice(0, 24)}… is not allowed for this model`, type: 'permission_error' } } },
  ];
}

function expectKeyNowhere(extra: string[] = []): void {
  assertNotInFiles(home, key);
  for (const text of [...printed, ...extra]) expect(text.includes(key.slice(0, 20)), `the key in: ${text.slice(0, 300)}`).toBe(false);
}

describe('a provider that quotes the key back', () => {
  it('OpenAI-compatible: the key reaches no file, no CLI output, no usage record and no bridge frame', async () => {
    const steps = [...echoingSteps(), ...echoingSteps(), ...echoingSteps()];
    const server = await startFakeOpenAiServer({ models: ['m1'], script: steps, routeScript: { 'GET /v1/models': [...steps] } });
    fakes.push(server);
    // Added while nothing is checked (Local-only), then checked and used with the key it quotes.
    expect((await sc('providers', 'add', '--id', 'gw', '--type', 'openai', '--cloud', '--base-url', server.url, '--model', 'm1', '--api-key-env', 'GATEWAY_KEY')).code).toBe(0);
    expect((await sc('settings', 'set', 'privacyMode', 'cloud-allowed')).code).toBe(0);
    expect((await sc('providers', 'test', 'gw')).code).toBe(1);
    expect(server.requests.at(-1)?.apiKey).toBe(key);
    const chat = await sc('chat', '--task', 'code', '--prompt', 'hi', '--json');
    expect(chat.code).toBe(1);
    const plain = await sc('chat', '--task', 'code', '--prompt', 'hi');
    expect(plain.code).toBe(1);
    expect(server.count('/v1/chat/completions')).toBeGreaterThanOrEqual(2);

    // The bridge: every channel a UI would read after this.
    const serve = startBin(['serve', '--json'], env);
    running.push(serve);
    const listening = await serve.waitForJson<{ url: string; port: number }>('listening');
    const client = await connectClient(listening.port, listening.url.split('#token=')[1] as string);
    const frames: string[] = [];
    const attempts = await client.invoke('usage.attempts', { limit: 50 });
    frames.push(JSON.stringify(attempts));
    if (!attempts.ok) throw new Error(attempts.error.message);
    const messages = (attempts.value as { message?: string }[]).map((attempt) => attempt.message ?? '');
    expect(messages.filter((message) => message.includes('[redacted]')).length).toBeGreaterThanOrEqual(2);
    for (const channel of ['providers.test', 'providers.list']) frames.push(JSON.stringify(await client.invoke(channel, channel === 'providers.test' ? { id: 'gw' } : undefined)));
    frames.push(JSON.stringify(await client.invoke('providers.setKey', { id: 'gw', apiKey: `${key}x` })));
    await client.close();
    serve.child.kill('SIGTERM');
    await serve.exited;
    printed.push(serve.stdout(), serve.stderr());
    expectKeyNowhere(frames);
    // The answers were really read: the rejection's own words survive, only the key is gone.
    expect(frames.join('\n')).toMatch(/Incorrect API key provided: \[redacted\]\. You can find/);
  }, 180_000);

  it('Anthropic: the same for its x-api-key errors', async () => {
    const steps: FakeStep[] = [
      { status: 401, body: { type: 'error', error: { type: 'authentication_error', message: `invalid x-api-key: ${key}` } } },
      { status: 401, body: { type: 'error', error: { type: 'authentication_error', message: `invalid key ${key.slice(0, 30)}` } } },
    ];
    const server = await startFakeAnthropicServer({ models: ['claude-x'], script: [...steps, ...steps, ...steps], routeScript: { 'GET /v1/models': [...steps, ...steps] } });
    fakes.push(server);
    expect((await sc('providers', 'add', '--id', 'ant', '--type', 'anthropic', '--base-url', server.url, '--model', 'claude-x', '--api-key-env', 'GATEWAY_KEY')).code).toBe(0);
    expect((await sc('settings', 'set', 'privacyMode', 'cloud-allowed')).code).toBe(0);
    const tested = await sc('providers', 'test', 'ant', '--json');
    expect(tested.code).toBe(1);
    const chat = await sc('chat', '--task', 'code', '--prompt', 'hi', '--json');
    expect(chat.code).toBe(1);
    expect(server.requests.filter((request) => request.apiKey === key).length).toBeGreaterThanOrEqual(2);
    expectKeyNowhere();
  }, 120_000);

  it('a server listing the key as a model name: no route takes it, so it is never printed, stored or logged', async () => {
    const server = await startFakeOpenAiServer({ models: [key, `m-${key.slice(0, 24)}`] });
    fakes.push(server);
    // On this machine, so it is used for what its server lists, with the key it is given.
    expect((await sc('providers', 'add', '--id', 'lan', '--type', 'openai', '--base-url', server.url, '--api-key-env', 'GATEWAY_KEY')).code).toBe(0);
    await sc('chat', '--task', 'code', '--prompt', 'hi');
    await sc('providers', 'list');
    await sc('usage', '--by', 'model');
    await sc('usage', '--by', 'model', '--csv');
    expectKeyNowhere();
  }, 120_000);
});
