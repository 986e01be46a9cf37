import type { Database } from 'better-sqlite3';
import { AppError } from '../../src-shared/AppError.ts';
import {
  parseUsageInstant,
  usageRangeEnd,
  usageSummaryInputSchema,
  type UsageGroup,
  type UsageGrouping,
  type UsageSummary,
  type UsageSummaryInput,
} from '../../src-shared/domain/usage.ts';

/** The most groups a report lists (the totals still cover every call). */
const maxGroups = 5000;
/** Latency percentiles come from at most this many of the newest calls in the range. */
const defaultLatencyRows = 50_000;

/**
 * A recorded cost counted as known: 0 up to a billion dollars. Any other (a server that reported
 * absurd token counts, a float that overflowed) makes the call's cost unknown, as a missing price
 * does, rather than a sum that is negative or not a number at all.
 */
const believableCost = 'a.cost_usd BETWEEN 0 AND 1e9';

/** How each grouping reads an attempt row (`a`), as an SQL expression. */
const keyExpressions: Record<UsageGrouping, string> = {
  provider: 'a.provider_id',
  task: 'a.task',
  project: "COALESCE(a.project_id, '')",
  model: 'a.model',
  // The local calendar day of this process's time zone, as the user's days are.
  day: "date(a.started_at, 'localtime')",
};

interface AggregateRow {
  k: string;
  s: string | null;
  project_name: string | null;
  split_project_name: string | null;
  calls: number;
  errors: number;
  cancelled: number;
  skipped: number;
  cache_hits: number;
  requests: number;
  input_tokens: number;
  output_tokens: number;
  known_cost: number;
  unpriced: number;
}

interface LatencyRow {
  k: string;
  s: string | null;
  latency_ms: number;
  first_token_ms: number | null;
}

/**
 * Usage summed over the attempts of a range of time, per provider, task, project, model or local
 * day (and optionally split by a second of these), with totals. Skipped targets are counted apart
 * from calls; a cache hit is a call that sent nothing and cost 0; a call to a provider configured
 * as local with no price costs 0; a successful cloud call with no price makes its group's cost
 * unknown (null), never 0. Failed and cancelled calls carry no tokens and count at no cost.
 * Percentiles are computed here from the newest `latencyRows` successful calls of the range
 * (a negative time, the wall clock set back during a call, is no time the call took: left out).
 */
/**
 * A bound of the range as compared with the attempts' times (ISO texts, four-digit years): one
 * past the year 9999 is written `+010000-…`, which sorts before every one of them, so it is
 * compared as a text after all of them (`--until 9999-12-31` ends at midnight in the year 10000).
 */
function comparable(iso: string): string {
  return iso.startsWith('+') ? '9999-99' : iso;
}

export class UsageReport {
  readonly #db: Database;
  readonly #latencyRows: number;
  readonly #beforeRead: () => void;

  /** `beforeRead`: writes attempts still queued (AttemptRepository.flush) so the report sees them. */
  constructor(db: Database, options: { beforeRead?: () => void; latencyRows?: number } = {}) {
    this.#db = db;
    this.#beforeRead = options.beforeRead ?? (() => undefined);
    this.#latencyRows = options.latencyRows ?? defaultLatencyRows;
  }

  #distinctRequests(where: string, params: Record<string, string>): number {
    const row = this.#db.prepare(`SELECT COUNT(DISTINCT a.request_id) AS n FROM attempts a WHERE ${where} AND a.outcome <> 'skipped'`).get(params) as { n: number };
    return row.n;
  }

  summary(rawInput: UsageSummaryInput): UsageSummary {
    const parsed = usageSummaryInputSchema.safeParse(rawInput);
    if (!parsed.success) throw new AppError('INVALID_INPUT', parsed.error.issues.map((issue) => issue.message).join('; '));
    const input = parsed.data;
    const since = (parseUsageInstant(input.since) as Date).toISOString();
    const until = input.until === undefined ? null : (usageRangeEnd(input.until) as Date).toISOString();
    this.#beforeRead();

    const where = `a.started_at >= @since${until === null ? '' : ' AND a.started_at < @until'}`;
    const params = { since: comparable(since), ...(until === null ? {} : { until: comparable(until) }) };
    const key = keyExpressions[input.by];
    const split = input.split === undefined ? 'NULL' : keyExpressions[input.split];

    const aggregate = (keyExpr: string, splitExpr: string, grouped: boolean): AggregateRow[] =>
      this.#db
        .prepare(
          `SELECT ${keyExpr} AS k, ${splitExpr} AS s,
             ${input.by === 'project' && grouped ? 'pr.name' : 'NULL'} AS project_name,
             ${input.split === 'project' && grouped ? 'spr.name' : 'NULL'} AS split_project_name,
             COALESCE(SUM(a.outcome <> 'skipped'), 0) AS calls,
             COALESCE(SUM(a.outcome = 'error'), 0) AS errors,
             COALESCE(SUM(a.outcome = 'cancelled'), 0) AS cancelled,
             COALESCE(SUM(a.outcome = 'skipped'), 0) AS skipped,
             COALESCE(SUM(a.outcome <> 'skipped' AND a.cache_hit = 1), 0) AS cache_hits,
             COUNT(DISTINCT CASE WHEN a.outcome <> 'skipped' THEN a.request_id END) AS requests,
             TOTAL(CASE WHEN a.outcome <> 'skipped' AND a.cache_hit = 0 THEN a.input_tokens END) AS input_tokens,
             TOTAL(CASE WHEN a.outcome <> 'skipped' AND a.cache_hit = 0 THEN a.output_tokens END) AS output_tokens,
             TOTAL(CASE WHEN a.outcome <> 'skipped' AND a.cache_hit = 0 AND ${believableCost} THEN a.cost_usd END) AS known_cost,
             COALESCE(SUM(a.outcome = 'ok' AND a.cache_hit = 0 AND COALESCE(p.location, '') <> 'local' AND (a.cost_usd IS NULL OR NOT ${believableCost})), 0) AS unpriced
           FROM attempts a
           LEFT JOIN (SELECT id, json_extract(config, '$.location') AS location FROM providers) p ON p.id = a.provider_id
           ${input.by === 'project' && grouped ? 'LEFT JOIN projects pr ON pr.id = a.project_id' : ''}
           ${input.split === 'project' && grouped ? 'LEFT JOIN projects spr ON spr.id = a.project_id' : ''}
           WHERE ${where}
           ${grouped ? 'GROUP BY k, s ORDER BY k, s' : ''}
           ${grouped ? `LIMIT ${maxGroups + 1}` : ''}`,
        )
        .all(params) as AggregateRow[];

    const groupRows = aggregate(key, split, true);
    // The groups split the range's attempts between them, so the totals are their sums (one scan
    // less: a third of a report over 100,000 calls), but for the distinct requests (a request
    // retried on another target is in two groups) and when groups were left out.
    const totalRow = groupRows.length > maxGroups ? (aggregate("''", 'NULL', false)[0] as AggregateRow) : sumRows(groupRows, this.#distinctRequests(where, params));

    const latencies = this.#db
      .prepare(
        `SELECT ${key} AS k, ${split} AS s, a.latency_ms, CASE WHEN a.first_token_ms >= 0 THEN a.first_token_ms END AS first_token_ms FROM attempts a
         WHERE ${where} AND a.outcome = 'ok' AND a.cache_hit = 0 AND a.latency_ms >= 0
         ORDER BY a.started_at DESC LIMIT ${this.#latencyRows + 1}`,
      )
      .all(params) as LatencyRow[];
    const latencySampled = latencies.length > this.#latencyRows;
    if (latencySampled) latencies.length = this.#latencyRows;
    const samples = new Map<string, Samples>();
    const all: Samples = { latency: [], firstToken: [] };
    for (const row of latencies) {
      const id = groupId(row.k, row.s);
      let group = samples.get(id);
      if (!group) samples.set(id, (group = { latency: [], firstToken: [] }));
      for (const target of [group, all]) {
        target.latency.push(row.latency_ms);
        if (row.first_token_ms !== null) target.firstToken.push(row.first_token_ms);
      }
    }

    const truncated = groupRows.length > maxGroups;
    const groups = groupRows.slice(0, maxGroups).map((row) => ({
      key: row.k,
      label: labelOf(input.by, row.k, row.project_name),
      ...(input.split === undefined ? {} : { splitKey: row.s ?? '', splitLabel: labelOf(input.split, row.s ?? '', row.split_project_name) }),
      ...figures(row, samples.get(groupId(row.k, row.s))),
    }));
    return {
      since,
      until,
      by: input.by,
      split: input.split ?? null,
      groups,
      truncated,
      totals: { key: '', label: 'total', ...figures(totalRow, all) },
      latencyRows: latencies.length,
      latencySampled,
    };
  }
}

const summedColumns = ['calls', 'errors', 'cancelled', 'skipped', 'cache_hits', 'input_tokens', 'output_tokens', 'known_cost', 'unpriced'] as const;

function sumRows(rows: readonly AggregateRow[], requests: number): AggregateRow {
  const total: AggregateRow = { k: '', s: null, project_name: null, split_project_name: null, calls: 0, errors: 0, cancelled: 0, skipped: 0, cache_hits: 0, requests, input_tokens: 0, output_tokens: 0, known_cost: 0, unpriced: 0 };
  for (const row of rows) for (const column of summedColumns) total[column] += row[column];
  return total;
}

interface Samples {
  latency: number[];
  firstToken: number[];
}

function groupId(key: string, split: string | null): string {
  return `${key}\u0000${split ?? ''}`;
}

function labelOf(grouping: UsageGrouping, key: string, projectName: string | null): string {
  if (grouping !== 'project') return key;
  return key === '' ? 'no project' : (projectName ?? 'a deleted project');
}

function figures(row: AggregateRow, samples: Samples | undefined): Omit<UsageGroup, 'key' | 'label' | 'splitKey' | 'splitLabel'> {
  const latency = sorted(samples?.latency ?? []);
  const firstToken = sorted(samples?.firstToken ?? []);
  return {
    calls: row.calls,
    errors: row.errors,
    cancelled: row.cancelled,
    skipped: row.skipped,
    cacheHits: row.cache_hits,
    requests: row.requests,
    cacheHitRate: row.requests === 0 ? null : row.cache_hits / row.requests,
    inputTokens: tokenCount(row.input_tokens),
    outputTokens: tokenCount(row.output_tokens),
    costUsd: row.unpriced > 0 ? null : row.known_cost,
    knownCostUsd: row.known_cost,
    unpricedCalls: row.unpriced,
    latencyP50Ms: percentile(latency, 0.5),
    latencyP95Ms: percentile(latency, 0.95),
    firstTokenP50Ms: percentile(firstToken, 0.5),
  };
}

/**
 * Tokens are summed as floats (SQL TOTAL), so a server reporting absurd counts cannot make the
 * sum overflow (SUM's integer overflow failed the whole report): here a whole number again,
 * within what JSON carries exactly.
 */
function tokenCount(total: number): number {
  return Math.round(Math.min(Math.max(total, Number.MIN_SAFE_INTEGER), Number.MAX_SAFE_INTEGER));
}

function sorted(values: number[]): number[] {
  return values.sort((a, b) => a - b);
}

/** The nearest-rank percentile of sorted values (p50 of 1..4 is 2, p95 of 1..100 is 95); null for none. */
export function percentile(sortedValues: readonly number[], p: number): number | null {
  if (sortedValues.length === 0) return null;
  const rank = Math.max(1, Math.ceil(p * sortedValues.length));
  return sortedValues[rank - 1] ?? null;
}
