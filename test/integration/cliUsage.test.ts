import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { UsageSummary } from '../../src-shared/domain/usage.ts';
import { databaseFileName } from '../../src-main/core/createCore.ts';
import type { AttemptRecord } from '../../src-main/modelCall/modelCallTypes.ts';
import { AttemptRepository } from '../../src-main/store/AttemptRepository.ts';
import { openDatabase } from '../../src-main/store/openDatabase.ts';
import { parseJsonLines } from '../support/bufferIo.ts';
import { runBin, type ProcessResult } from '../support/cliProcess.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

/**
 * `service-creator usage` as a user runs it: the real CLI in a child process over a data folder
 * whose providers and project were made by the CLI and whose attempts were written by the
 * repository the gateway writes them with.
 */
let home: string;

beforeEach(() => {
  home = createTempDir('sc-int-usage-');
});

afterAll(() => {
  removeTempDirs();
});

function sc(args: string[], tz = 'UTC'): Promise<ProcessResult> {
  return runBin(args, { SERVICE_CREATOR_HOME: home, TZ: tz });
}

async function ok(args: string[], tz?: string): Promise<ProcessResult> {
  const result = await sc(args, tz);
  expect(result.code, result.stderr).toBe(0);
  return result;
}

async function seed(records: (Partial<AttemptRecord> & Pick<AttemptRecord, 'providerId' | 'outcome' | 'startedAt'>)[]): Promise<{ projectId: string }> {
  await ok(['providers', 'add', '--id', 'cloudy', '--type', 'openai', '--base-url', 'https://api.example.com/v1', '--model', 'big', '--api-key-env', 'USAGE_TEST_UNSET', '--json']);
  await ok(['providers', 'add', '--id', 'box', '--type', 'openai', '--base-url', 'http://127.0.0.1:9/v1', '--model', 'small', '--local', '--json']);
  const created = await ok(['projects', 'create', 'Billing', '--json']);
  const projectId = (parseJsonLines(created.stdout)[0]?.project as { id: string }).id;
  const db = openDatabase(join(home, databaseFileName));
  const attempts = new AttemptRepository(db);
  records.forEach((record, index) => attempts.insert({ requestId: `r${index}`, attemptNo: 1, task: 'code', model: record.providerId === 'box' ? 'small' : 'big', reason: 'first in order', ...record }));
  attempts.flush();
  db.close();
  return { projectId };
}

function summaryOf(result: ProcessResult): UsageSummary {
  const lines = parseJsonLines(result.stdout);
  expect(lines).toHaveLength(1);
  expect(lines[0]?.type).toBe('usage');
  return lines[0]?.summary as UsageSummary;
}

describe('service-creator usage', () => {
  it('sums by provider: a table for people, JSON for machines; calls and skipped targets apart; local costs $0, unpriced cloud costs "unknown"', async () => {
    await seed([
      { providerId: 'box', outcome: 'ok', startedAt: '2026-11-10T12:00:00.000Z', inputTokens: 100, outputTokens: 20, latencyMs: 400, firstTokenMs: 80 },
      { providerId: 'box', outcome: 'error', startedAt: '2026-11-10T12:01:00.000Z', latencyMs: 10 },
      { providerId: 'cloudy', outcome: 'ok', startedAt: '2026-11-10T12:02:00.000Z', inputTokens: 1000, outputTokens: 400, costUsd: 0.0123, latencyMs: 1500 },
      { providerId: 'cloudy', outcome: 'ok', startedAt: '2026-11-10T12:03:00.000Z', inputTokens: 10, outputTokens: 4 },
      { providerId: 'cloudy', outcome: 'skipped', startedAt: '2026-11-10T12:04:00.000Z', reason: 'cloud provider not allowed in local-only mode' },
      { providerId: 'cloudy', outcome: 'skipped', startedAt: '2026-11-10T12:05:00.000Z', reason: 'cloud provider not allowed in local-only mode' },
    ]);

    const json = summaryOf(await ok(['usage', '--since', '2026-11-01', '--by', 'provider', '--json']));
    const by = Object.fromEntries(json.groups.map((group) => [group.key, group]));
    expect(by.box).toMatchObject({ calls: 2, errors: 1, skipped: 0, inputTokens: 100, outputTokens: 20, costUsd: 0, latencyP50Ms: 400, firstTokenP50Ms: 80 });
    expect(by.cloudy).toMatchObject({ calls: 2, skipped: 2, costUsd: null, knownCostUsd: 0.0123, unpricedCalls: 1 });
    expect(json.totals).toMatchObject({ calls: 4, skipped: 2, errors: 1, costUsd: null, unpricedCalls: 1 });

    const table = await ok(['usage', '--since', '2026-11-01']);
    const lines = table.stdout.split('\n');
    expect(lines[0]).toBe('Usage from 2026-11-01 to now, by provider:');
    const header = lines[2] ?? '';
    expect(header).toMatch(/^Provider +Calls +Errors +Cancelled +Skipped +Cache hits +Tokens in +Tokens out +Cost +p50 +p95 +First token p50$/);
    const rows = lines.slice(3, 6);
    expect(rows.map((row) => row.split(/ {2,}/))).toEqual([
      ['box', '2', '1', '0', '0', '0', '100', '20', '$0', '400 ms', '400 ms', '80 ms'],
      ['cloudy', '2', '0', '0', '2', '0', '1,010', '404', 'unknown', '1.5 s', '1.5 s', '—'],
      ['Total', '4', '1', '0', '2', '0', '1,110', '424', 'unknown', '400 ms', '1.5 s', '80 ms'],
    ]);
    // Aligned: every row as long as the header, the numbers right-aligned under theirs.
    for (const row of rows) expect(row.length).toBe(header.length);
    expect(table.stdout).toContain('Cost unknown: 1 successful call to a cloud model without a known price (known part $0.0123');
    // On the command line, the command that sets a price, not a page of the app.
    expect(table.stdout).toContain('give it one with `service-creator pricing set MODEL --input USD --output USD`');
  });

  it('sums by local day in the time zone of the computer, by project with its name, and writes CSV safe for spreadsheets', async () => {
    const { projectId } = await seed([
      // 03:00 UTC is the evening before in New York.
      { providerId: 'box', outcome: 'ok', startedAt: '2026-11-10T03:00:00.000Z' },
      { providerId: 'box', outcome: 'ok', startedAt: '2026-11-10T15:00:00.000Z', model: '=HYPERLINK("http://evil")' },
    ]);
    const utc = summaryOf(await ok(['usage', '--since', '2026-11-01', '--by', 'day', '--json']));
    expect(utc.groups.map((group) => [group.key, group.calls])).toEqual([['2026-11-10', 2]]);
    const newYork = summaryOf(await ok(['usage', '--since', '2026-11-01', '--by', 'day', '--json'], 'America/New_York'));
    expect(newYork.groups.map((group) => [group.key, group.calls])).toEqual([
      ['2026-11-09', 1],
      ['2026-11-10', 1],
    ]);

    const db = openDatabase(join(home, databaseFileName));
    db.prepare('UPDATE attempts SET project_id = ? WHERE request_id = ?').run(projectId, 'r1');
    db.close();
    const projects = summaryOf(await ok(['usage', '--since', '2026-11-01', '--by', 'project', '--json']));
    expect(projects.groups.map((group) => [group.label, group.calls])).toEqual([
      ['no project', 1],
      ['Billing', 1],
    ]);

    const csv = await ok(['usage', '--since', '2026-11-01', '--by', 'model', '--csv']);
    const records = csv.stdout.split('\r\n');
    expect(records[0]?.startsWith('model,calls,errors,cancelled,skipped targets,')).toBe(true);
    expect(records[1]?.startsWith(`"'=HYPERLINK(""http://evil"")",1,0,0,0,`)).toBe(true);
    expect(records[2]?.startsWith('small,1,')).toBe(true);
    expect(records[3]?.startsWith('total,2,')).toBe(true);
    expect(records[4]).toBe('');
  });

  it('starts at the first of this month by default', async () => {
    const now = new Date();
    await seed([
      { providerId: 'box', outcome: 'ok', startedAt: now.toISOString() },
      { providerId: 'box', outcome: 'ok', startedAt: new Date(now.getTime() - 40 * 86_400_000).toISOString() },
    ]);
    const summary = summaryOf(await ok(['usage', '--json']));
    expect(summary.totals.calls).toBe(1);
    expect(new Date(summary.since).getTime()).toBe(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  });

  it('with --until alone starts at the first of that month, not after the end it was given', async () => {
    await seed([
      { providerId: 'box', outcome: 'ok', startedAt: '2026-10-31T12:00:00.000Z' },
      { providerId: 'box', outcome: 'ok', startedAt: '2026-11-10T12:00:00.000Z' },
      { providerId: 'box', outcome: 'ok', startedAt: '2026-11-20T12:00:00.000Z' },
    ]);
    const summary = summaryOf(await ok(['usage', '--until', '2026-11-15', '--json']));
    expect(summary.since).toBe('2026-11-01T00:00:00.000Z');
    expect(summary.totals.calls).toBe(1);
  });

  it.each([
    ['UTC', ['--until', '2026-11-30'], 'Usage from 2026-11-01 to 2026-11-30, by provider:'],
    ['America/New_York', ['--since', '2026-11-10', '--until', '2026-11-12'], 'Usage from 2026-11-10 to 2026-11-12, by provider:'],
    ['UTC', ['--since', '2026-11-10', '--until', '2026-11-12T09:30'], 'Usage from 2026-11-10 to 2026-11-12 09:30, by provider:'],
  ])('in %s, %j: the heading ends on the last day the range includes, as given, not the day after', async (tz, args, heading) => {
    await seed([{ providerId: 'box', outcome: 'ok', startedAt: '2026-11-11T12:00:00.000Z' }]);
    const table = await ok(['usage', ...args], tz);
    expect(table.stdout.split('\n')[0]).toBe(heading);
  });

  it('refuses a date it cannot read and --json with --csv, as bad input (exit 1)', async () => {
    const bad = await sc(['usage', '--since', 'last tuesday']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('expected a date written YYYY-MM-DD (e.g. 2026-12-01)');
    expect(bad.stdout).toBe('');
    const impossible = await sc(['usage', '--since', '2026-02-30', '--json']);
    expect(impossible.code).toBe(1);
    expect(parseJsonLines(impossible.stdout)[0]).toMatchObject({ type: 'error', error: { code: 'INVALID_INPUT' } });
    const both = await sc(['usage', '--json', '--csv']);
    expect(both.code).toBe(1);
    expect(parseJsonLines(both.stdout)[0]).toMatchObject({ type: 'error', error: { code: 'INVALID_INPUT', message: 'Choose one of --json and --csv' } });
    const grouping = await sc(['usage', '--by', 'week']);
    expect(grouping.code).toBe(1);
  });

  it('refuses a range that ends before it starts in words naming its options (not the channel and its field), and reads "since year 1" as written', async () => {
    const backwards = await sc(['usage', '--since', '2026-12-01', '--until', '2026-11-01']);
    expect(backwards.code).toBe(1);
    expect(backwards.stderr).toBe('Error: The range ends before it starts: --until 2026-11-01 is not after --since 2026-12-01\n');
    const defaulted = await sc(['usage', '--until', '2026-11-01T00:00', '--json']);
    expect(defaulted.code).toBe(1);
    expect(parseJsonLines(defaulted.stdout)[0]).toMatchObject({
      type: 'error',
      error: { code: 'INVALID_INPUT', message: 'The range ends before it starts: --until 2026-11-01T00:00 is not after its start, 2026-11-01 (the first of its month; give --since for another)' },
    });
    const ever = summaryOf(await ok(['usage', '--since', '0001-01-01', '--json']));
    expect(ever.since).toBe('0001-01-01T00:00:00.000Z');
  });
});
