// `providers routing` through the real CLI process: the routing per task with its strategy,
// and `set` with weights, stored in the real database the app and the bridge read.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createCore } from '../../src-main/core/createCore.ts';
import { parseJsonLines } from '../support/bufferIo.ts';
import { runBin } from '../support/cliProcess.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

let env: NodeJS.ProcessEnv;

/** An OpenAI-compatible server on this machine (nothing listens there: no call is made here). */
const localProvider = (id: string) => ({ id, type: 'openai', label: id, location: 'local' as const, baseUrl: 'http://127.0.0.1:9/v1', models: ['m'], limits: {}, enabled: true });

/** Runs channels on a core of the test's data folder (as the app would), then closes it. */
async function inApp(...calls: [string, unknown][]): Promise<void> {
  const core = createCore({ dataDir: env.SERVICE_CREATOR_HOME ?? '', host: 'cli', env: {} });
  try {
    for (const [channel, input] of calls) expect(await core.dispatch(channel as 'providers.add', input as never)).toMatchObject({ ok: true });
  } finally {
    await core.dispose();
  }
}

beforeEach(async () => {
  env = { SERVICE_CREATOR_HOME: createTempDir('sc-int-routing-') };
  // Providers a and b exist; the targets of other providers are passed over.
  await inApp(['providers.add', { config: localProvider('a') }], ['providers.add', { config: localProvider('b') }]);
});

afterAll(() => {
  removeTempDirs();
});

describe('providers routing', () => {
  it('sets a weighted split for a task, shows it in words and as JSON, then changes only the strategy', async () => {
    const set = await runBin(['providers', 'routing', 'set', 'code', '--strategy', 'weighted', '--target', 'a/m:3', '--target', 'b/org/model:1'], env);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain('code: split by weight (weighted)\n  1. a/m  weight 3 (75 %)\n  2. b/org/model  weight 1 (25 %)');

    const shown = await runBin(['providers', 'routing'], env);
    expect(shown.stdout).toContain('plan: every enabled provider in list order (no routing set)');
    expect(shown.stdout).toContain('code: split by weight (weighted)');

    const strategyOnly = await runBin(['providers', 'routing', 'set', 'code', '--strategy', 'least-latency'], env);
    expect(strategyOnly.code, strategyOnly.stderr).toBe(0);
    expect(strategyOnly.stdout).toContain('Note: weights count only with --strategy weighted (this task is least-latency).');

    const json = await runBin(['--json', 'providers', 'routing', 'show'], env);
    expect(parseJsonLines(json.stdout)).toEqual([
      expect.objectContaining({
        type: 'routing',
        routing: { code: [{ providerId: 'a', model: 'm', weight: 3 }, { providerId: 'b', model: 'org/model', weight: 1 }] },
        strategies: { code: 'least-latency' },
      }),
    ]);
  });

  it('refuses a bad weight, an unknown strategy, or a strategy for a task without targets, and changes nothing', async () => {
    for (const args of [
      ['set', 'code', '--target', 'a/m:2000'],
      ['set', 'code', '--target', 'a/m:-1'],
      ['set', 'code', '--target', 'no-model'],
      ['set', 'code', '--strategy', 'random', '--target', 'a/m'],
      ['set', 'plan', '--strategy', 'weighted'],
    ]) {
      const result = await runBin(['providers', 'routing', ...args], env);
      expect(result.code, args.join(' ')).not.toBe(0);
      expect(result.stderr.length).toBeGreaterThan(0);
    }
    const json = await runBin(['--json', 'providers', 'routing'], env);
    expect(parseJsonLines(json.stdout)[0]).toMatchObject({ routing: {}, strategies: {} });
  });

  it('refuses a weight that is not a whole number, a target with no model, one given twice or a line break, and keeps the routing there was', async () => {
    const set = await runBin(['providers', 'routing', 'set', 'code', '--strategy', 'weighted', '--target', 'a/m:3', '--target', 'b/m:1'], env);
    expect(set.code, set.stderr).toBe(0);
    const before = parseJsonLines((await runBin(['--json', 'providers', 'routing'], env)).stdout)[0];
    for (const [args, words] of [
      [['--target', 'a/m:1.5'], /A weight is a whole number from 0 to 1000 \(got "a\/m:1\.5"\)/],
      [['--target', 'a/m:-0.5'], /A weight is a whole number/],
      [['--target', 'a/:3'], /has a weight but no model/],
      [['--target', 'a/m', '--target', 'b/m', '--target', 'a/m:2'], /a\/m is given twice/],
      [['--target', 'a/m\n  2. evil/x'], /A model name cannot hold a line break/],
      [['--target', 'a/m:000000000000000000000002000'], /got 2000 in/],
      [['--strategy', 'weighted', '--target', 'BAD ID/m'], /provider id/],
      // Said in words, never as the contract's field path or zod's wording.
      [['--target', 'A/m'], /^Error: A provider id is 1-40 lowercase letters, digits or dashes, starting with a letter or digit \(got "A\/m"\)$/m],
      [['--target', 'a/m', '--target', `b/${'x'.repeat(300)}`], /^Error: A model name is at most 200 characters \(got 300 in "b\/x+"\)$/m],
      [Array.from({ length: 21 }, (_, index) => ['--target', `a/m${index}`]).flat(), /^Error: A task has at most 20 targets \(got 21\)$/m],
    ] as const) {
      const result = await runBin(['providers', 'routing', 'set', 'code', ...args], env);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr, args.join(' ')).toMatch(words);
      expect(result.stderr, args.join(' ')).not.toMatch(/routing\.code|Too big|Invalid input/);
    }
    expect(parseJsonLines((await runBin(['--json', 'providers', 'routing'], env)).stdout)[0]).toEqual(before);
  });

  it('says when every weight is 0 that calls go in the listed order, and names a target whose provider does not exist', async () => {
    const set = await runBin(['providers', 'routing', 'set', 'review', '--strategy', 'weighted', '--target', 'a/m:0', '--target', 'x/m:0', '--target', 'y/m:0'], env);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain(
      'review: split by weight (weighted), every weight 0: in the listed order\n  1. a/m  weight 0\n  2. x/m  weight 0  (no such provider: passed over)\n  3. y/m  weight 0  (no such provider: passed over)',
    );
    expect(set.stdout).toContain('Note: every weight is 0, so no target gets a share: calls go in the listed order.');
    // Neither provider exists here: said now, not found later in the attempts.
    expect(set.stdout).toContain('Note: there is no provider "x" yet: calls pass x/m over until it is added (providers add --id x).');
    expect(set.stdout).toContain('Note: there is no provider "y" yet: calls pass y/m over until it is added (providers add --id y).');
  });

  it('shows a target whose provider was removed or disabled as passed over, with no share: the others share its calls', async () => {
    await inApp(['providers.add', { config: localProvider('c') }]);
    const set = await runBin(['providers', 'routing', 'set', 'code', '--strategy', 'weighted', '--target', 'a/m:2', '--target', 'b/m:1', '--target', 'c/m:1'], env);
    expect(set.stdout).toContain('  1. a/m  weight 2 (50 %)\n  2. b/m  weight 1 (25 %)\n  3. c/m  weight 1 (25 %)');
    await inApp(['providers.remove', { id: 'b' }], ['providers.update', { config: { ...localProvider('c'), enabled: false } }]);
    const shown = await runBin(['providers', 'routing'], env);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('code: split by weight (weighted)\n  1. a/m  weight 2 (100 %)\n  2. b/m  weight 1  (no such provider: passed over)\n  3. c/m  weight 1  (disabled: passed over)');
    await inApp(['providers.remove', { id: 'a' }]);
    expect((await runBin(['providers', 'routing'], env)).stdout).toContain('code: split by weight (weighted), every target passed over: no call can go to one\n  1. a/m  weight 2  (no such provider: passed over)');
    await inApp(['providers.add', { config: localProvider('a') }], ['routing.set', { routing: {}, strategies: { code: 'ordered' } }]);
    expect((await runBin(['providers', 'routing'], env)).stdout).toContain('code: in order (ordered)\n  1. a/m\n  2. b/m  (no such provider: passed over)\n  3. c/m  (disabled: passed over)');
  });

  it('shows a model name holding a line break or an escape on its own line, escaped, and as it is in --json', async () => {
    const home = env.SERVICE_CREATOR_HOME ?? '';
    const forged = 'm\n  2. evil/x  weight 999';
    const titled = 'n\u001b]0;TITLE\u0007\u2028z';
    const core = createCore({ dataDir: home, host: 'cli', env: {} });
    try {
      const result = await core.dispatch('routing.set', { routing: { code: [{ providerId: 'a', model: forged }, { providerId: 'b', model: titled }] }, strategies: { code: 'weighted' } });
      expect(result.ok).toBe(true);
    } finally {
      await core.dispose();
    }
    const shown = await runBin(['providers', 'routing'], env);
    expect(shown.code, shown.stderr).toBe(0);
    const lines = shown.stdout.split('\n');
    expect(lines).toContain('  1. a/m\\n  2. evil/x  weight 999  weight 1 (50 %)');
    expect(lines).toContain('  2. b/n\\u001b]0;TITLE\\u0007\\u2028z  weight 1 (50 %)');
    expect(lines.filter((line) => line.startsWith('  2. '))).toHaveLength(1);
    const json = await runBin(['--json', 'providers', 'routing'], env);
    expect(parseJsonLines(json.stdout)[0]).toMatchObject({ routing: { code: [{ providerId: 'a', model: forged }, { providerId: 'b', model: titled }] } });
  });
});
