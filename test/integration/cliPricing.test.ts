// `service-creator pricing` through the real CLI process: a CLI user gives a cloud model a price,
// so that a budget that refused it ("no price is known ... add its price") sends it, and the
// price is read like a budget's amount (plain decimals only).
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parseJsonLines } from '../support/bufferIo.ts';
import { runBin } from '../support/cliProcess.ts';
import { startFakeOpenAiServer } from '../support/fakes/fakeOpenAiServer.ts';
import type { FakeServer } from '../support/fakes/fakeServerBase.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

afterAll(() => removeTempDirs());

describe('pricing', () => {
  const servers: FakeServer[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close();
  });

  it('sets the price of an unpriced cloud model, after which a budget lets its calls through; lists, resets and refuses amounts that are not plain', async () => {
    const cloud = await startFakeOpenAiServer({ defaultStep: { reply: 'answer', usage: { inputTokens: 10, outputTokens: 10 } } });
    servers.push(cloud);
    const env = { SERVICE_CREATOR_HOME: createTempDir('sc-int-pricing-'), GATEWAY_KEY: 'sk-test-pricing-0000' };
    const run = (...args: string[]) => runBin(args, env);
    expect((await run('providers', 'add', '--id', 'gateway', '--type', 'openai', '--base-url', cloud.url, '--model', 'house-model', '--cloud', '--api-key-env', 'GATEWAY_KEY')).code).toBe(0);
    expect((await run('settings', 'set', 'privacyMode', 'cloud-allowed')).code).toBe(0);
    expect((await run('budget', 'set', '5')).code).toBe(0);
    const refused = await run('chat', '--task', 'code', '--prompt', 'hi', '--max-tokens', '100');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('no price is known for house-model');
    // The core's sentence names the app's Pricing and Usage; the CLI adds the commands that do the same.
    expect(refused.stderr).toContain('From the command line: `service-creator budget show` lists the budgets');
    expect(refused.stderr).toContain('`pricing set MODEL --input USD --output USD` gives a model its price');

    const set = await run('pricing', 'set', 'house-model', '--input', '0.50', '--output', '$1.25');
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toBe('Set house-model: $0.50 in, $1.25 out per million tokens (yours)\n');
    const answered = await run('chat', '--task', 'code', '--prompt', 'hi', '--max-tokens', '100');
    expect(answered.code, answered.stderr).toBe(0);
    expect(answered.stdout).toContain('answer');

    const listed = await run('--json', 'pricing', 'list');
    expect(parseJsonLines(listed.stdout)[0]).toMatchObject({ type: 'pricing', prices: expect.arrayContaining([{ model: 'house-model', inputPerMillion: 0.5, outputPerMillion: 1.25, source: 'custom' }]) });
    for (const amount of ['1e3', '0x10', '-1', '20000', '0.00001']) {
      const bad = await run('pricing', 'set', 'house-model', '--input', amount, '--output', '1');
      expect(bad.code, amount).toBe(1);
      expect(bad.stderr).toContain('expected US dollars per million tokens from 0 to 10000');
    }
    expect((await run('pricing', 'reset', 'house-model')).stdout).toBe('Removed your price of house-model; it has none now.\n');
    const again = await run('pricing', 'reset', 'house-model');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('No price of your own for "house-model"');
  }, 60_000);
});
