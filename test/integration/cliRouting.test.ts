// `providers routing` through the real CLI process: the routing per task with its strategy,
// and `set` with weights, stored in the real database the app and the bridge read.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { parseJsonLines } from '../support/bufferIo.ts';
import { runBin } from '../support/cliProcess.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

let env: NodeJS.ProcessEnv;

beforeEach(() => {
  env = { SERVICE_CREATOR_HOME: createTempDir('sc-int-routing-') };
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
});
