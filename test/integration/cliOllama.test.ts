// `service-creator ollama ...` through the real CLI process against the protocol-level Ollama fake
// on 127.0.0.1: status in words, the installed models, a pull with streamed progress, remove.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseJsonLines } from '../support/bufferIo.ts';
import { runBin, startBin, type ProcessResult } from '../support/cliProcess.ts';
import { layerPullSteps, startFakeOllamaServer, type FakeOllamaOptions, type FakeOllamaServer } from '../support/fakes/fakeOllamaServer.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

let env: NodeJS.ProcessEnv;
const fakes: FakeOllamaServer[] = [];

beforeEach(() => {
  env = { SERVICE_CREATOR_HOME: createTempDir('sc-int-ollama-') };
});

afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
});

afterAll(() => removeTempDirs());

const sc = (...args: string[]): Promise<ProcessResult> => runBin(args, env);

async function ollamaAt(options: FakeOllamaOptions): Promise<FakeOllamaServer> {
  const server = await startFakeOllamaServer(options);
  fakes.push(server);
  const added = await sc('providers', 'add', '--id', 'ol', '--type', 'ollama', '--base-url', server.url, '--json');
  expect(added.code, added.stderr).toBe(0);
  return server;
}

describe('service-creator ollama', () => {
  it('status, list, pull with progress lines, rm', async () => {
    const server = await ollamaAt({
      version: '0.9.1',
      models: [{ name: 'qwen2.5-coder:7b', size: 4_683_087_332, parameterSize: '7.6B', quantization: 'Q4_K_M', family: 'qwen2', contextLength: 32_768 }],
      pull: { steps: layerPullSteps(2_000_000, 10) },
    });
    const host = new URL(server.url).host;
    const status = await sc('ollama', 'status');
    expect(status).toMatchObject({ code: 0, stdout: `Ollama 0.9.1 is running at ${host}\n`, stderr: '' });

    const list = await sc('ollama', 'list');
    expect(list.code).toBe(0);
    expect(list.stdout).toBe('qwen2.5-coder:7b  4.4 GiB, 7.6B parameters, Q4_K_M, context 32,768 tokens\n');

    const pull = await sc('ollama', 'pull', 'llama3.2:3b', '--json');
    expect(pull.code, pull.stderr).toBe(0);
    const lines = parseJsonLines(pull.stdout);
    const progress = lines.filter((line) => line.type === 'progress');
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress.at(-1)).toMatchObject({ downloadedBytes: 2_000_000, totalBytes: 2_000_000 });
    expect(lines.filter((line) => line.type === 'ollama-step').map((line) => line.status)).toEqual(
      expect.arrayContaining(['pulling manifest', 'verifying sha256 digest', 'writing manifest', 'success']),
    );
    expect(lines.at(-1)).toEqual({ type: 'ollama-pulled', name: 'llama3.2:3b', bytes: 2_000_000 });
    expect(server.modelNames()).toEqual(['qwen2.5-coder:7b', 'llama3.2:3b']);

    const removed = await sc('ollama', 'rm', 'qwen2.5-coder:7b');
    expect(removed).toMatchObject({ code: 0, stdout: 'Removed qwen2.5-coder:7b from Ollama\n' });
    expect(server.modelNames()).toEqual(['llama3.2:3b']);
    const again = await sc('ollama', 'rm', 'qwen2.5-coder:7b');
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`Error: Ollama at ${host} has no such model: model 'qwen2.5-coder:7b' not found\n`);
  });

  it('says Ollama is not running, and how to start it, with exit 1; a bad name is refused before any request', async () => {
    const server = await ollamaAt({});
    const host = new URL(server.url).host;
    await server.close();
    for (const args of [['status'], ['list'], ['pull', 'qwen2.5-coder:7b']]) {
      const result = await sc('ollama', ...args);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`Error: Ollama is not running at ${host}: start the Ollama app or \`ollama serve\`\n`);
    }
    const bad = await sc('ollama', 'pull', 'rm -rf /');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^Error: "rm -rf \/": An Ollama model name is letters/);
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`a pull stopped by ${signal} is cancelled, says so in words and ends as a stopped command (130)`, async () => {
      const server = await ollamaAt({ pull: { steps: layerPullSteps(2_000_000, 400), chunkDelayMs: 50 } });
      const pull = startBin(['ollama', 'pull', 'llama3.2:3b'], env);
      const until = Date.now() + 20_000;
      while (server.pullLinesWritten() < 3 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(server.pullLinesWritten()).toBeGreaterThanOrEqual(3);
      pull.child.kill(signal);
      const exit = await pull.exited;
      expect(exit).toEqual({ code: 130, signal: null });
      expect(pull.stderr()).toContain(`Error: Stopped${signal === 'SIGINT' ? ' (Ctrl+C)' : ''}: the pull of llama3.2:3b was cancelled.\n`);
      // The request was broken off: the server writes no more of it, and has no such model.
      const written = server.pullLinesWritten();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(server.pullLinesWritten()).toBe(written);
      expect(written).toBeLessThan(400);
      expect(server.modelNames()).not.toContain('llama3.2:3b');
    }, 60_000);
  }
});
