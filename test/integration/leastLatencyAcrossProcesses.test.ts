// least-latency from one-shot commands: each `chat` is a new process, and starts from the times to
// first token that earlier ones recorded (the attempts table) instead of treating every target as
// unmeasured. Two loopback OpenAI-compatible fakes, one answering 400 ms later than the other.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runBin } from '../support/cliProcess.ts';
import { startFakeOpenAiServer } from '../support/fakes/fakeOpenAiServer.ts';
import type { FakeServer } from '../support/fakes/fakeServerBase.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

afterAll(() => removeTempDirs());

describe('least-latency across CLI processes', () => {
  const servers: FakeServer[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close();
  });

  it('a later chat sends the call to the target earlier ones found faster', async () => {
    const slow = await startFakeOpenAiServer({ defaultStep: { reply: 'slow answer', delayMs: 400 } });
    const fast = await startFakeOpenAiServer({ defaultStep: { reply: 'fast answer' } });
    servers.push(slow, fast);
    const env = { SERVICE_CREATOR_HOME: createTempDir('sc-int-least-latency-') };
    const sc = async (...args: string[]) => {
      const result = await runBin(args, env, 60_000);
      expect(result.code, result.stderr).toBe(0);
      return result;
    };
    await sc('providers', 'add', '--id', 'slow', '--type', 'openai', '--base-url', slow.url, '--model', 'm');
    await sc('providers', 'add', '--id', 'fast', '--type', 'openai', '--base-url', fast.url, '--model', 'm');
    await sc('providers', 'routing', 'set', 'code', '--strategy', 'least-latency', '--target', 'slow/m', '--target', 'fast/m');
    const answers: string[] = [];
    for (let i = 0; i < 4; i++) answers.push((await sc('chat', '--task', 'code', '--prompt', 'write it')).stdout.trim());
    // The first finds neither measured (listed order: slow); the second tries the one still
    // unmeasured (fast); from then on fast is the faster, as the earlier processes measured.
    expect(answers).toEqual(['slow answer', 'fast answer', 'fast answer', 'fast answer']);
    expect(slow.count('/v1/chat/completions')).toBe(1);
  }, 120_000);
});
