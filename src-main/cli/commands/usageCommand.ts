import { Command, InvalidArgumentError, Option } from 'commander';
import { formatRate, formatUsd, localDateText, parseUsageInstant, usageGroupings, usageRangeEnd, type UsageGroup, type UsageGrouping, type UsageSummary } from '../../../src-shared/domain/usage.ts';
import { usageSummaryCsv } from '../../../src-shared/usage/usageCsv.ts';
import type { CliContext } from '../CliContext.ts';
import { usageError } from '../CliContext.ts';
import { safeTerminalText } from '../safeTerminalText.ts';
import { rawStreams } from '../terminalSafeIo.ts';

interface UsageOptions {
  since?: string;
  until?: string;
  by: UsageGrouping;
  json?: boolean;
  csv?: boolean;
}

/** `--since` and `--until`: a date (local), or a date and time. */
function dateOption(value: string): string {
  if (parseUsageInstant(value) === undefined) throw new InvalidArgumentError(`expected a date written YYYY-MM-DD (e.g. 2026-12-01) or YYYY-MM-DDTHH:MM, got ${JSON.stringify(value)}`);
  return value;
}

/** The first day of this month, local time. */
export function startOfMonth(now: Date = new Date()): string {
  const first = new Date(now);
  first.setDate(1);
  return localDateText(first);
}

/** Without --since: the first of this month, or of --until's month when that is earlier (`--until 2026-11-15` alone is November's first half). */
function defaultSince(until: string | undefined): string {
  const end = until === undefined ? undefined : parseUsageInstant(until);
  const now = new Date();
  return startOfMonth(end !== undefined && end < now ? end : now);
}

/** Model calls summed per provider, task, project, model or day: a table, JSON, or CSV. */
export function usageCommand(context: () => CliContext): Command {
  return new Command('usage')
    .description('model calls, skipped targets, cache hits, tokens, cost and latency per provider, task, project, model or day')
    .option('--since <date>', 'from this date (YYYY-MM-DD, local time; default: the first of this month, or of the month of --until)', dateOption)
    .option('--until <date>', 'up to and including this date (default: now)', dateOption)
    .addOption(new Option('--by <grouping>', 'what to sum by').choices(usageGroupings).default('provider'))
    .option('--csv', 'CSV (RFC 4180) on stdout, one row per group and a row of totals')
    .action(async (options: UsageOptions) => {
      const ctx = context();
      if (options.csv && ctx.output.json) throw usageError('Choose one of --json and --csv');
      const since = options.since ?? defaultSince(options.until);
      const start = parseUsageInstant(since)?.getTime() ?? 0;
      if (options.until !== undefined && (usageRangeEnd(options.until)?.getTime() ?? 0) <= start) {
        const startWords = options.since === undefined ? `its start, ${since} (the first of its month; give --since for another)` : `--since ${since}`;
        throw usageError(`The range ends before it starts: --until ${options.until} is not after ${startWords}`);
      }
      const summary = await ctx.call('usage.summary', { since, ...(options.until ? { until: options.until } : {}), by: options.by });
      if (options.csv) {
        // CRLF record ends as RFC 4180 has them; every other control character shown escaped.
        rawStreams(ctx.io).stdout.write(usageSummaryCsv(summary).split('\r\n').map(safeTerminalText).join('\r\n'));
        return;
      }
      // A terminal narrower than the table (a split pane, a phone's SSH app) gets a block per group instead of rows it would wrap.
      const stdout = ctx.io.stdout as { isTTY?: boolean; columns?: number };
      ctx.output.result('usage', { summary }, describeSummary(summary, stdout.isTTY === true ? stdout.columns : undefined));
    });
}

const groupingTitles: Record<UsageGrouping, string> = { provider: 'Provider', task: 'Task', project: 'Project', model: 'Model', day: 'Day' };

/**
 * The summary for people: a heading, then aligned columns, the totals last; on a terminal
 * `columns` wide that the table does not fit, a block per group (its name, then its figures
 * packed into lines that fit).
 */
export function describeSummary(summary: UsageSummary, columns?: number): string {
  const range = `${localTime(summary.since)} to ${summary.until === null ? 'now' : lastDayOrTime(summary.until)}`;
  if (summary.totals.calls === 0 && summary.totals.skipped === 0) return `No model calls from ${range}.`;
  const header = [groupingTitles[summary.by], 'Calls', 'Errors', 'Cancelled', 'Skipped', 'Cache hits', 'Tokens in', 'Tokens out', 'Cost', 'p50', 'p95', 'First token p50'];
  const row = (group: UsageGroup): string[] => [
    clip(oneLine(group.label), 40),
    count(group.calls),
    count(group.errors),
    count(group.cancelled),
    count(group.skipped),
    group.cacheHits === 0 ? '0' : `${count(group.cacheHits)} (${formatRate(group.cacheHitRate)})`,
    count(group.inputTokens),
    count(group.outputTokens),
    formatUsd(group.costUsd),
    ms(group.latencyP50Ms),
    ms(group.latencyP95Ms),
    ms(group.firstTokenP50Ms),
  ];
  const rows = [header, ...summary.groups.map(row), ['Total', ...row(summary.totals).slice(1)]];
  const widths = header.map((_, column) => Math.max(...rows.map((cells) => [...(cells[column] ?? '')].length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  const tableWidth = widths.reduce((sum, width) => sum + width, 0) + 2 * (widths.length - 1);
  const table =
    columns !== undefined && columns > 0 && tableWidth > columns
      ? [...summary.groups.map((group) => block(header, row(group), columns)), block(header, rows.at(-1) ?? [], columns)]
      : [line(header), ...summary.groups.map((group) => line(row(group))), line(rows.at(-1) ?? [])];
  const lines = [`Usage from ${range}, by ${summary.by}:`, '', ...table];
  const notes: string[] = [];
  if (summary.totals.skipped > 0) notes.push('Skipped: targets the router passed over (not calls; the Usage page lists why).');
  if (summary.totals.unpricedCalls > 0) {
    notes.push(`Cost unknown: ${count(summary.totals.unpricedCalls)} successful call${summary.totals.unpricedCalls === 1 ? '' : 's'} to a cloud model without a known price (known part ${formatUsd(summary.totals.knownCostUsd)}; give it one with \`service-creator pricing set MODEL --input USD --output USD\`).`);
  }
  if (summary.truncated) notes.push('Only the first 5000 groups are listed; the totals cover every call.');
  if (summary.latencySampled) notes.push(`Latencies from the newest ${count(summary.latencyRows)} calls of the range.`);
  return [...lines, ...(notes.length > 0 ? ['', ...notes] : [])].join('\n');
}

/** One group as a block for a narrow terminal: its name on a line, then "Calls 1, Errors 0, …" in lines of at most `columns`. */
function block(header: readonly string[], cells: readonly string[], columns: number): string {
  const figures = header.slice(1).map((title, index) => `${title} ${(cells[index + 1] ?? '').trim()}`);
  const lines = [clip(cells[0] ?? '', Math.max(columns, 2))];
  let current = '';
  for (const figure of figures) {
    const next = current === '' ? `  ${figure}` : `${current}, ${figure}`;
    if (current !== '' && [...next].length > columns) {
      lines.push(`${current},`);
      current = `  ${figure}`;
    } else {
      current = next;
    }
  }
  if (current !== '') lines.push(current);
  return lines.join('\n');
}

/** An instant as local time: "2026-12-01" at midnight, else "2026-12-01 09:30". */
function localTime(iso: string): string {
  const date = new Date(iso);
  const day = localDateText(date);
  return date.getHours() === 0 && date.getMinutes() === 0 ? day : `${day} ${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

/**
 * Where a range ends, as the user gave it: the end is exclusive, so an end at local midnight (what
 * `--until 2026-12-03` becomes: the whole of that day) is shown as the last day it includes, not
 * as the next one ("to 2026-12-03", never "to 2026-12-04").
 */
function lastDayOrTime(iso: string): string {
  const end = new Date(iso);
  if (end.getHours() !== 0 || end.getMinutes() !== 0 || end.getSeconds() !== 0 || end.getMilliseconds() !== 0) return localTime(iso);
  const lastDay = new Date(end);
  lastDay.setDate(lastDay.getDate() - 1);
  return localDateText(lastDay);
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}

function ms(value: number | null): string {
  if (value === null) return '—';
  return value < 1000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(1)} s`;
}

/**
 * A label as one cell of the table: its control characters shown escaped here (a newline would
 * draw a row of its own, an escape is six characters wide once the terminal-safe output shows
 * it), so the columns are measured on what the terminal shows.
 */
function oneLine(text: string): string {
  return safeTerminalText(text).replaceAll('\n', '\\n').replaceAll('\t', '\\t');
}

function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
