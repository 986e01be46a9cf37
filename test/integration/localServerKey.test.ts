// A local OpenAI-compatible server started with an API key (vLLM or llama-server with --api-key)
// gets the key the user gave it, from its own variable or the keychain, through the real CLI and
// SDK: before, a key was never resolved for a server marked local, so every request went with
// "Bearer not-needed" and the server answered 401. The type's conventional variable
// (OPENAI_API_KEY, a developer's own account) is never sent to such a server.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runBin, type ProcessResult } from '../support/cliProcess.ts';
import { startFakeOpenAiServer, type FakeServer } from '../support/fakes/fakeOpenAiServer.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

const fakes: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
});
afterAll(() => removeTempDirs());

const chatPath = '/v1/chat/completions';

async function localServer(): Promise<FakeServer> {
  const server = await startFakeOpenAiServer({ defaultStep: { reply: 'from the box' } });
  fakes.push(server);
  return server;
}

describe('a key for a local server', () => {
  it('is sent when the provider names its variable, and the listing says where it comes from', async () => {
    const server = await localServer();
    const env = { SERVICE_CREATOR_HOME: createTempDir('sc-int-local-key-'), VLLM_KEY: 'vllm-local-key-0123456789', OPENAI_API_KEY: 'sk-developer-own-account-0123456789' };
    const sc = (...args: string[]): Promise<ProcessResult> => runBin(args, env);
    const added = await sc('providers', 'add', '--id', 'box', '--type', 'openai', '--base-url', server.url, '--api-key-env', 'VLLM_KEY', '--model', 'local-model');
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain('key from env');

    const chat = await sc('chat', '--task', 'code', '--prompt', 'hello');
    expect(chat.code, chat.stderr).toBe(0);
    expect(chat.stdout).toContain('from the box');
    const sent = server.requests.filter((request) => request.path === chatPath);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((request) => request.apiKey === 'vllm-local-key-0123456789')).toBe(true);
    expect(server.requests.some((request) => request.apiKey === env.OPENAI_API_KEY)).toBe(false);

    const listed = await sc('providers', 'list');
    expect(listed.stdout).toContain('key from env');
    expect(listed.stdout).not.toContain('vllm-local-key');
  });

  it('with none given, the conventional OPENAI_API_KEY stays on this side: the server gets no key of the user\'s', async () => {
    const server = await localServer();
    const env = { SERVICE_CREATOR_HOME: createTempDir('sc-int-local-key-'), OPENAI_API_KEY: 'sk-developer-own-account-0123456789' };
    const sc = (...args: string[]): Promise<ProcessResult> => runBin(args, env);
    const added = await sc('providers', 'add', '--id', 'box', '--type', 'openai', '--base-url', server.url, '--model', 'local-model');
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain('no key needed');
    const chat = await sc('chat', '--task', 'code', '--prompt', 'hello');
    expect(chat.code, chat.stderr).toBe(0);
    expect(server.count(chatPath)).toBe(1);
    expect(server.requests.some((request) => request.apiKey === env.OPENAI_API_KEY)).toBe(false);
  });
});
