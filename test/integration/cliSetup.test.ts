// `service-creator setup` through the real CLI process against a fake OpenAI-compatible server on
// LM Studio's usual port, 127.0.0.1:1234 (the probe asks only the usual ports, so the fake must be
// there; when another program holds the port the test fails saying so). The hardware is given by
// SC_HARDWARE_OVERRIDE so no GPU binding is loaded.
import { spawn } from 'node:child_process';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseJsonLines } from '../support/bufferIo.ts';
import { binPath, repoRoot, runBin, type ProcessResult } from '../support/cliProcess.ts';
import { startFakeOpenAiServer, type FakeServer } from '../support/fakes/fakeOpenAiServer.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

const lmStudioPort = 1234;
const laptop = JSON.stringify({ gpu: false, vramBytes: 0, ramBytes: 16 * 1024 ** 3, freeRamBytes: 12 * 1024 ** 3, cores: 8 });

let home: string;
let env: NodeJS.ProcessEnv;
let fake: FakeServer | undefined;

beforeEach(() => {
  home = createTempDir('sc-int-setup-');
  env = { SERVICE_CREATOR_HOME: home, SC_HARDWARE_OVERRIDE: laptop };
});

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

afterAll(() => removeTempDirs());

/** Runs the CLI with `input` piped to its stdin (answers to setup's questions). */
function runWithInput(args: string[], input: string, timeoutMs = 60_000): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const base = { ...process.env };
    delete base.SERVICE_CREATOR_HOME;
    const child = spawn(process.execPath, [binPath, ...args], { cwd: repoRoot, env: { ...base, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`service-creator ${args.join(' ')} did not finish within ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

describe('service-creator setup', () => {
  it('--detect --json finds the server on 127.0.0.1:1234, says what it is, and changes nothing', async () => {
    fake = await startFakeOpenAiServer({ port: lmStudioPort, models: ['qwen2.5-coder-7b-instruct', 'llama-3.2-3b-instruct'] });
    const result = await runBin(['setup', '--detect', '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    const [line] = parseJsonLines(result.stdout);
    expect(line?.type).toBe('setup-detection');
    const detection = line?.detection as {
      servers: { kind: string; name: string; host: string; port: number; baseUrl: string; models: { id: string }[]; evidence: string }[];
      probed: { host: string; port: number; outcome: string }[];
      hardware: { ramBytes: number; source: string };
      status: { usable: boolean; needed: boolean };
      cloudAllowed: boolean;
    };
    expect(detection.servers).toEqual([
      {
        kind: 'openai-compatible',
        name: 'an OpenAI-compatible server',
        host: '127.0.0.1',
        port: lmStudioPort,
        baseUrl: 'http://127.0.0.1:1234/v1',
        providerType: 'openai',
        models: [{ id: 'qwen2.5-coder-7b-instruct' }, { id: 'llama-3.2-3b-instruct' }],
        evidence: '/v1/models answered with an OpenAI model list',
      },
    ]);
    // Only loopback, only the usual ports, both addresses.
    expect(new Set(detection.probed.map((probe) => probe.host))).toEqual(new Set(['127.0.0.1', '::1']));
    expect(new Set(detection.probed.map((probe) => probe.port))).toEqual(new Set([11434, 1234, 8080, 8000]));
    expect(detection.hardware).toMatchObject({ ramBytes: 16 * 1024 ** 3, source: 'override' });
    expect(detection.status).toMatchObject({ usable: false, needed: true });
    expect(detection.cloudAllowed).toBe(false);
    // It looked and asked no model anything; nothing was configured.
    expect(fake.requests.every((request) => request.method === 'GET')).toBe(true);
    const providers = await runBin(['providers', 'list', '--json'], env);
    expect(parseJsonLines(providers.stdout).filter((entry) => entry.type === 'provider')).toEqual([]);

    const human = await runBin(['setup', '--detect'], env);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain('an OpenAI-compatible server at http://127.0.0.1:1234/v1: 2 models: qwen2.5-coder-7b-instruct, llama-3.2-3b-instruct');
    expect(human.stdout).toContain('port 11434 (Ollama): nothing answering');
  });

  it('sets up the detected server: a local provider, the model first for every task, and a one-line test answer', async () => {
    fake = await startFakeOpenAiServer({ port: lmStudioPort, models: ['qwen2.5-coder-7b-instruct', 'llama-3.2-3b-instruct'], defaultStep: { reply: 'Hello, I am qwen2.5-coder-7b-instruct.\nMore text.' } });
    // Menu: 1 = the server; then its models: 2 = llama-3.2-3b-instruct.
    const result = await runWithInput(['setup', '--json'], '1\n2\n');
    expect(result.code, result.stderr).toBe(0);
    const applied = parseJsonLines(result.stdout).find((entry) => entry.type === 'setup-applied')?.result as {
      providerId: string;
      model: string;
      added: boolean;
      test: { ok: boolean; text?: string };
      status: { usable: boolean; needed: boolean; tasksServed: string[] };
    };
    expect(applied).toMatchObject({ providerId: 'local-server', model: 'llama-3.2-3b-instruct', added: true, test: { ok: true, text: 'Hello, I am qwen2.5-coder-7b-instruct.' } });
    expect(applied.status).toMatchObject({ usable: true, needed: false, tasksServed: ['interview', 'plan', 'code', 'review', 'docs', 'tests', 'fix'] });
    const chats = fake.requests.filter((request) => request.method === 'POST');
    expect(chats).toHaveLength(1);
    expect((chats[0]?.json as { model?: string }).model).toBe('llama-3.2-3b-instruct');

    const routing = await runBin(['providers', 'routing', 'show', '--json'], env);
    const view = parseJsonLines(routing.stdout)[0] as { routing: Record<string, { providerId: string; model: string }[]> };
    for (const task of ['interview', 'plan', 'code', 'review', 'docs', 'tests', 'fix']) {
      expect(view.routing[task]?.[0]).toEqual({ providerId: 'local-server', model: 'llama-3.2-3b-instruct' });
    }
    const provider = parseJsonLines((await runBin(['providers', 'list', '--json'], env)).stdout).find((entry) => entry.type === 'provider')?.provider as { config: Record<string, unknown> };
    expect(provider.config).toMatchObject({ id: 'local-server', type: 'openai', location: 'local', baseUrl: 'http://127.0.0.1:1234/v1', models: ['llama-3.2-3b-instruct'] });

    // Run again with the same choice: the provider is reused, not added twice.
    const again = await runWithInput(['setup', '--json'], '1\n2\n');
    expect(again.code, again.stderr).toBe(0);
    expect(parseJsonLines(again.stdout).find((entry) => entry.type === 'setup-applied')?.result).toMatchObject({ providerId: 'local-server', added: false });
  });

  it('a loopback server added with no model counts as usable: it answers with the first model it lists', async () => {
    fake = await startFakeOpenAiServer({ models: ['listed-first', 'listed-second'] });
    const added = await runBin(['providers', 'add', '--id', 'lm', '--type', 'openai', '--base-url', fake.url, '--json'], env);
    expect(added.code, added.stderr).toBe(0);
    const result = await runBin(['setup', '--detect', '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    expect((parseJsonLines(result.stdout)[0]?.detection as { status: unknown }).status).toMatchObject({ usable: true, needed: false, reason: 'listed-first on lm answers the interview' });
  });

  it('--skip records that the first-run screen is not wanted', async () => {
    const result = await runBin(['setup', '--skip', '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(parseJsonLines(result.stdout)[0]).toMatchObject({ type: 'setup-status', status: { usable: false, needed: false, choice: { state: 'skipped' } } });
  });
});
