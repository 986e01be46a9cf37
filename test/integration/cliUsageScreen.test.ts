import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { databaseFileName } from '../../src-main/core/createCore.ts';
import { AttemptRepository } from '../../src-main/store/AttemptRepository.ts';
import { openDatabase } from '../../src-main/store/openDatabase.ts';
import { runBin } from '../support/cliProcess.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';
import { TmuxTerminal } from '../support/tmuxTerminal.ts';

/**
 * `service-creator usage` in a real terminal (tmux) when what it lists is hostile: model names
 * (any text a routing names, up to 200 characters) holding a newline that would draw a fake row
 * of the table, and escape sequences that would clear the screen. What a person sees is one row
 * per model, aligned, with the characters shown escaped.
 */
afterAll(() => removeTempDirs());

const terminals: TmuxTerminal[] = [];
afterEach(async () => {
  for (const terminal of terminals.splice(0)) await terminal.close();
});

describe('usage on a terminal', () => {
  it('a model name with a newline or escapes stays in its own cell: no fake row, no cleared screen, columns aligned', async () => {
    const home = createTempDir('sc-int-usage-screen-');
    const env = { SERVICE_CREATOR_HOME: home, TZ: 'UTC' };
    const added = await runBin(['providers', 'add', '--id', 'box', '--type', 'openai', '--base-url', 'http://127.0.0.1:9/v1', '--model', 'small', '--local', '--json'], env);
    expect(added.code, added.stderr).toBe(0);
    const db = openDatabase(join(home, databaseFileName));
    const attempts = new AttemptRepository(db);
    const models = ['plain', 'fake\nTotal 999 0 0 0 0 0 0 $0.00', '\u001b[2J\u001b[Hcleared', 'tab\there'];
    models.forEach((model, index) =>
      attempts.insert({ requestId: `r${index}`, attemptNo: 1, task: 'code', providerId: 'box', model, outcome: 'ok', startedAt: '2026-11-10T12:00:00.000Z', reason: 'first in order', latencyMs: 100 }),
    );
    attempts.flush();
    db.close();

    const terminal = await TmuxTerminal.start(['usage', '--since', '2026-11-01', '--by', 'model'], env, { columns: 200, rows: 40 });
    terminals.push(terminal);
    expect(await terminal.exited()).toBe(0);
    const lines = (await terminal.screen()).split('\n');
    const heading = lines.findIndex((line) => line.startsWith('Usage from 2026-11-01 to now, by model:'));
    expect(heading).toBeGreaterThanOrEqual(0);
    const header = lines[heading + 2] ?? '';
    expect(header).toMatch(/^Model +Calls/);
    const rows = lines.slice(heading + 3, heading + 3 + models.length + 1);
    // One row per model and the totals: the newline drew no row of its own.
    expect(rows.map((row) => row.split(/ {2,}/)[1])).toEqual(['1', '1', '1', '1', '4']);
    expect(rows.filter((row) => row.startsWith('Total'))).toHaveLength(1);
    // Nothing after the totals but tmux's own note that the program ended.
    expect(lines.slice(heading + 3 + models.length + 1).filter((line) => line.trim() !== '' && !line.startsWith('Pane is dead'))).toEqual([]);
    // Shown escaped, each in its cell, the columns where the header says.
    expect(rows.some((row) => row.startsWith('fake\\nTotal'))).toBe(true);
    expect(rows.some((row) => row.startsWith('\\u001b[2J\\u001b[Hcleared'))).toBe(true);
    expect(rows.some((row) => row.startsWith('tab\\there'))).toBe(true);
    for (const row of rows) expect(row.length).toBe(header.length);
  });

  it('on a 40-column terminal: a block per model whose lines fit, instead of table rows wrapped over four lines each', async () => {
    const home = createTempDir('sc-int-usage-narrow-');
    const env = { SERVICE_CREATOR_HOME: home, TZ: 'UTC' };
    const added = await runBin(['providers', 'add', '--id', 'box', '--type', 'openai', '--base-url', 'http://127.0.0.1:9/v1', '--model', 'small', '--local', '--json'], env);
    expect(added.code, added.stderr).toBe(0);
    const db = openDatabase(join(home, databaseFileName));
    const attempts = new AttemptRepository(db);
    const models = ['qwen2.5-coder-7b-instruct', `fake\nTotal 9 ${'x'.repeat(60)}`];
    models.forEach((model, index) =>
      attempts.insert({ requestId: `r${index}`, attemptNo: 1, task: 'code', providerId: 'box', model, outcome: 'ok', startedAt: '2026-11-10T12:00:00.000Z', reason: 'first in order', inputTokens: 1200, outputTokens: 300, latencyMs: 1400 }),
    );
    attempts.flush();
    db.close();

    const terminal = await TmuxTerminal.start(['usage', '--since', '2026-11-01', '--by', 'model'], env, { columns: 40, rows: 40 });
    terminals.push(terminal);
    expect(await terminal.exited()).toBe(0);
    // screen() joins wrapped lines: a line longer than the terminal is one the terminal wrapped.
    const lines = (await terminal.screen()).split('\n').filter((line) => line !== '' && !line.startsWith('Pane is dead'));
    for (const line of lines) expect([...line].length, line).toBeLessThanOrEqual(40);
    const names = lines.filter((line) => !line.startsWith(' ') && !line.startsWith('Usage from'));
    expect(names).toEqual([expect.stringMatching(/^fake\\nTotal 9 x+…$/), 'qwen2.5-coder-7b-instruct', 'Total']);
    expect(lines).toContain('  Calls 1, Errors 0, Cancelled 0,');
    expect(lines.filter((line) => line.startsWith('  Calls '))).toHaveLength(3);
  });
});
