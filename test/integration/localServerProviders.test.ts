// A server on loopback is local by default: added through the real CLI with no --local and no
// --model, it answers a chat in Local-only mode (the default) with the first model its server
// lists. A server that lists none is "not usable" and says why; a host that is not loopback is
// cloud until marked local, and Local-only mode sends it nothing.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseJsonLines } from '../support/bufferIo.ts';
import { runBin, type ProcessResult } from '../support/cliProcess.ts';
import { startFakeOpenAiServer, type FakeOpenAiOptions, type FakeServer } from '../support/fakes/fakeOpenAiServer.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

const chatPath = '/v1/chat/completions';
let env: NodeJS.ProcessEnv;
const fakes: FakeServer[] = [];

beforeEach(() => {
  env = { SERVICE_CREATOR_HOME: createTempDir('sc-int-local-server-'), FAKE_KEY: 'sk-not-used-0123456789' };
});

afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
});

afterAll(() => removeTempDirs());

const sc = (...args: string[]): Promise<ProcessResult> => runBin(args, env);

async function fake(options: FakeOpenAiOptions): Promise<FakeServer> {
  const server = await startFakeOpenAiServer(options);
  fakes.push(server);
  return server;
}

function only<T>(result: ProcessResult, type: string): T {
  expect(result.stderr, 'stderr').toBe('');
  expect(result.code, result.stdout).toBe(0);
  const lines = parseJsonLines(result.stdout).filter((line) => line.type !== 'text');
  expect(lines.map((line) => line.type)).toEqual([type]);
  return lines[0] as T;
}

interface Status {
  config: { id: string; location: string; models: string[] };
  state: string;
  detail: string;
}

describe('a server on loopback is local by default', () => {
  it('added with no --local and no model, it answers a chat in Local-only mode with the model its server lists', async () => {
    const server = await fake({ models: ['qwen2.5-coder-7b-instruct', 'other-model'] });
    const added = only<{ provider: Status }>(await sc('providers', 'add', '--id', 'lmstudio', '--type', 'openai', '--base-url', server.url, '--json'), 'provider').provider;
    expect(added.config).toMatchObject({ location: 'local', models: [] });
    expect(added.state).toBe('healthy');
    expect(added.detail).toContain('uses what the server lists: qwen2.5-coder-7b-instruct (first of 2)');

    const settings = await sc('settings', 'get', '--json');
    expect(settings.stdout).toContain('"privacyMode":"local-only"');
    const answer = only<{ text: string; target: { providerId: string; model: string } }>(await sc('chat', '--task', 'code', '--prompt', 'hi', '--json'), 'answer');
    expect(answer.text).toBe('Hello from the fake server.');
    expect(answer.target).toEqual({ providerId: 'lmstudio', model: 'qwen2.5-coder-7b-instruct' });
    expect(server.count(chatPath)).toBe(1);
    expect(server.requests.find((request) => request.path === chatPath)?.json).toMatchObject({ model: 'qwen2.5-coder-7b-instruct' });
  });

  it('a server that lists no models is "not usable" with the reason, and a chat names no usable target', async () => {
    const server = await fake({ models: [] });
    const added = only<{ provider: Status }>(await sc('providers', 'add', '--id', 'empty', '--type', 'openai', '--base-url', server.url, '--json'), 'provider').provider;
    expect(added.config.location).toBe('local');
    expect(added.state).toBe('not-usable');
    expect(added.detail).toBe('the server lists no models: load one in the server, or name one in Models');
    const listed = await sc('providers', 'list');
    expect(listed.stdout).toContain('empty [openai, local] not-usable: the server lists no models');

    const chat = await sc('chat', '--task', 'code', '--prompt', 'hi', '--json');
    expect(chat.code).toBe(1);
    expect(parseJsonLines(chat.stdout).at(-1)).toMatchObject({ type: 'error', error: { code: 'NO_ROUTE' } });
    expect(server.count(chatPath)).toBe(0);
  });

  it('another host is cloud unless marked local; --cloud keeps a loopback tunnel cloud; Local-only sends neither anything', async () => {
    const tunnel = await fake({ models: ['m1'] });
    const lan = only<{ provider: Status }>(
      await sc('providers', 'add', '--id', 'lan', '--type', 'openai', '--base-url', 'http://192.0.2.10:8000/v1', '--model', 'm1', '--api-key-env', 'FAKE_KEY', '--json'),
      'provider',
    ).provider;
    expect(lan.config.location).toBe('cloud');
    expect(lan.state).toBe('unknown');
    const marked = only<{ provider: Status }>(
      await sc('providers', 'add', '--id', 'tunnel', '--type', 'openai', '--cloud', '--base-url', tunnel.url, '--model', 'm1', '--api-key-env', 'FAKE_KEY', '--json'),
      'provider',
    ).provider;
    expect(marked.config.location).toBe('cloud');
    expect(marked.detail).toContain('Not checked: Local-only mode');
    expect(tunnel.requests).toHaveLength(0);
    const both = await sc('providers', 'add', '--id', 'x', '--type', 'openai', '--base-url', tunnel.url, '--local', '--cloud');
    expect(both.code).toBe(1);
    expect(both.stderr).toContain("option '--local' cannot be used with option '--cloud'");
  });
});
