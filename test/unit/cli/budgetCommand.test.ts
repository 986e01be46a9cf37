import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src-main/cli/runCli.ts';
import { createBufferIo, type BufferIo } from '../../support/bufferIo.ts';
import { createTempDir, removeTempDirs } from '../../support/tempDir.ts';

/** `service-creator budget` in this process over a real data folder: hostile amounts and what it says it set. */
let home: string;

beforeEach(() => {
  home = createTempDir('sc-cli-budget-');
});

afterEach(() => {
  removeTempDirs();
});

async function cli(argv: string[]): Promise<BufferIo & { code: number }> {
  const buffers = createBufferIo({ env: { SERVICE_CREATOR_HOME: home, BUDGET_TEST_KEY: 'sk-budget-test-0000' } });
  const code = await runCli(argv, buffers.io);
  return { ...buffers, code };
}

async function limits(): Promise<number[]> {
  const shown = await cli(['budget', 'show', '--json']);
  const [line] = shown.jsonLines();
  return ((line?.budgets ?? []) as { limitUsd: number }[]).map((budget) => budget.limitUsd);
}

describe('service-creator budget set', () => {
  // Number() reads all of these; none is an amount in dollars as people write one.
  it.each(['0x10', '0b11', '0o7', '1e3', '1e-400', '$', '-0', '5 5', 'Infinity', '1e309', '1000000.01'])('refuses %j as an amount and sets nothing', async (amount) => {
    const run = await cli(['budget', 'set', '--', amount]);
    expect(run.code).toBe(1);
    expect(run.stderr()).toContain('expected an amount in US dollars');
    expect(await limits()).toEqual([]);
  });

  it('says why a finer amount than a hundredth of a cent is refused', async () => {
    const run = await cli(['budget', 'set', '0.00001']);
    expect(run.code).toBe(1);
    expect(run.stderr()).toContain('at most 4 decimal places');
    expect(await limits()).toEqual([]);
  });

  it.each([
    ['12', 12],
    ['$12.50', 12.5],
    ['.5', 0.5],
    ['$1,200', 1200],
    ['0', 0],
    ['1000000', 1_000_000],
  ])('reads %j as %d dollars', async (amount, usd) => {
    const run = await cli(['budget', 'set', amount]);
    expect(run.code, run.stderr()).toBe(0);
    expect(await limits()).toEqual([usd]);
  });

  it('says that a limit of $0 sends nothing, not that it limits nothing', async () => {
    const run = await cli(['budget', 'set', '0']);
    expect(run.stdout()).toContain('Set the daily budget: $0 of $0 used (0 %), $0 left (a limit of $0: no call it counts to a priced model is sent; `budget clear` removes a limit)');
  });

  it('says which budget it set when another scope has the same limit and period', async () => {
    for (const id of ['first', 'second']) {
      const added = await cli(['providers', 'add', '--id', id, '--type', 'openai', '--base-url', 'https://api.example.com/v1', '--model', 'm', '--api-key-env', 'BUDGET_TEST_KEY', '--json']);
      expect(added.code, added.stderr()).toBe(0);
    }
    expect((await cli(['budget', 'set', '3', '--provider', 'first'])).stdout()).toContain('Set the daily budget for provider "first"');
    const second = await cli(['budget', 'set', '3', '--provider', 'second']);
    expect(second.stdout()).toContain('Set the daily budget for provider "second": $0 of $3.00 used');

    const project = await cli(['projects', 'create', 'Billing', '--json']);
    expect(project.code).toBe(0);
    await cli(['projects', 'create', 'Shipping', '--json']);
    expect((await cli(['budget', 'set', '3', '--project', 'Shipping'])).stdout()).toContain('Set the daily budget for project "Shipping"');
    const byName = await cli(['budget', 'set', '3', '--project', 'billing']);
    expect(byName.stdout()).toContain('Set the daily budget for project "Billing": $0 of $3.00 used');
  });
});
