// Local-only mode promises that cloud providers are "never contacted, not even for a health
// check". Adding, editing, listing and key changes send nothing to a cloud provider there; the
// explicit check is refused in words naming the host; a server marked local is still checked.
// In the modes that allow the cloud, `providers add` with a key the provider rejects fails.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectClient } from '../support/bridgeClient.ts';
import { parseJsonLines } from '../support/bufferIo.ts';
import { runBin, startBin, type ProcessResult, type RunningCli } from '../support/cliProcess.ts';
import { startFakeOpenAiServer, type FakeServer } from '../support/fakes/fakeOpenAiServer.ts';
import { plantedSecret } from '../support/plantedSecret.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

let home: string;
let env: NodeJS.ProcessEnv;
const fakes: FakeServer[] = [];
const running: RunningCli[] = [];

beforeEach(() => {
  home = createTempDir('sc-int-local-only-');
  env = { SERVICE_CREATOR_HOME: home, FAKE_KEY: plantedSecret };
});

afterEach(async () => {
  for (const cli of running.splice(0)) {
    cli.child.kill('SIGKILL');
    await cli.exited;
  }
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
});

afterAll(() => removeTempDirs());

function sc(...args: string[]): Promise<ProcessResult> {
  return runBin(args, env);
}

async function fake(options: Parameters<typeof startFakeOpenAiServer>[0] = {}): Promise<FakeServer> {
  const server = await startFakeOpenAiServer({ models: ['m1'], ...options });
  fakes.push(server);
  return server;
}

function jsonLine(result: ProcessResult, type: string): Record<string, unknown> {
  const line = parseJsonLines(result.stdout).find((entry) => entry.type === type);
  if (!line) throw new Error(`no "${type}" line (exit ${result.code}); stdout: ${result.stdout}; stderr: ${result.stderr}`);
  return line;
}

describe('Local-only mode (the default) sends nothing to a cloud provider', () => {
  it('add, list, edit, key changes and status: zero requests; the explicit check is refused naming the host', async () => {
    const cloud = await fake();
    const host = new URL(cloud.url).host;
    const added = await sc('providers', 'add', '--id', 'gpt', '--type', 'openai', '--cloud', '--base-url', cloud.url, '--model', 'm1', '--api-key-env', 'FAKE_KEY', '--json');
    expect(added.code).toBe(0);
    expect(jsonLine(added, 'provider').provider).toMatchObject({ state: 'unknown', detail: expect.stringContaining('Not checked: Local-only mode'), keyConfigured: true });
    const listed = await sc('providers', 'list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/gpt \[openai, cloud\] unknown: Not checked: Local-only mode .*\(this one is at 127\.0\.0\.1:\d+\)/);

    const tested = await sc('providers', 'test', 'gpt');
    expect(tested.code).toBe(1);
    expect(tested.stderr).toContain(`would contact ${host}`);
    expect(tested.stderr).toMatch(/Local first or Cloud allowed/);
    expect(tested.stderr).toContain('settings set privacyMode local-first');

    // The same through the bridge, as the UI does it: list, edit, add with a key, test.
    const serve = startBin(['serve', '--json'], env);
    running.push(serve);
    const listening = await serve.waitForJson<{ url: string; port: number }>('listening');
    const client = await connectClient(listening.port, listening.url.split('#token=')[1] as string);
    const config = { id: 'gpt', type: 'openai', label: 'GPT', location: 'cloud', baseUrl: cloud.url, models: ['m1', 'm2'], apiKeyEnv: 'FAKE_KEY' };
    expect(await client.invoke('providers.list')).toMatchObject({ ok: true });
    expect(await client.invoke('providers.update', { config })).toMatchObject({ ok: true, value: { state: 'unknown' } });
    expect(await client.invoke('providers.add', { config: { ...config, id: 'gpt2', apiKeyEnv: undefined }, apiKey: 'sk-not-sent-anywhere-000000' })).toMatchObject({
      ok: false, // no keychain on this machine: refused before anything is saved or sent
    });
    expect(await client.invoke('providers.test', { id: 'gpt' })).toMatchObject({
      ok: false,
      error: { code: 'BLOCKED_BY_PRIVACY_MODE', message: expect.stringContaining(`would contact ${host}`) },
    });
    // Let any background check that would have been started finish before counting.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await client.invoke('providers.list')).toMatchObject({ ok: true, value: { providers: [{ state: 'unknown' }] } });
    await client.close();
    expect(cloud.requests.map((request) => `${request.method} ${request.path}`)).toEqual([]);

    // A server marked local is checked as before, in the same mode.
    const local = await fake();
    const localAdded = await sc('providers', 'add', '--id', 'lan', '--type', 'openai', '--base-url', local.url, '--model', 'm1', '--local', '--json');
    expect(localAdded.code).toBe(0);
    expect(jsonLine(localAdded, 'provider').provider).toMatchObject({ state: 'healthy' });
    const localTested = await sc('providers', 'test', 'lan');
    expect(localTested.code).toBe(0);
    expect(localTested.stderr).toContain(`Checking lan at ${new URL(local.url).host}`);
    expect(local.count('/v1/models')).toBe(2);
    expect(cloud.requests).toEqual([]);
  }, 180_000);
});

describe('providers add where the cloud is allowed', () => {
  it('exits non-zero and keeps nothing when the provider rejects the key; a good key is added', async () => {
    expect((await sc('settings', 'set', 'privacyMode', 'local-first')).code).toBe(0);
    const rejecting = await fake({ routeScript: { 'GET /v1/models': [{ status: 401 }] } });
    const refused = await sc('providers', 'add', '--id', 'gpt', '--type', 'openai', '--cloud', '--base-url', rejecting.url, '--model', 'm1', '--api-key-env', 'FAKE_KEY');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/^Error: gpt was not added: .*Check the key and run the command again\.\n$/);
    expect(rejecting.count('/v1/models')).toBe(1);

    const good = await fake();
    const added = await sc('providers', 'add', '--id', 'gpt', '--type', 'openai', '--cloud', '--base-url', good.url, '--model', 'm1', '--api-key-env', 'FAKE_KEY', '--json');
    expect(added.code).toBe(0);
    expect(jsonLine(added, 'provider').provider).toMatchObject({ config: { id: 'gpt' }, state: 'healthy' });
    expect(good.requests.map((request) => request.apiKey)).toEqual([plantedSecret]);
  }, 120_000);
});
