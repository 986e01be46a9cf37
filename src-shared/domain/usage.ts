import { z } from 'zod';
import { formatUsd as formatDollars } from '../formatUsd.ts';

/**
 * Usage reports: model calls summed per provider, task, project, model or day over a range of
 * time. The channel is spread into the contract (src-shared/contract.ts) from here; the CLI's
 * `usage` command and the Usage page both read it.
 */

/** What a report sums by. `day` is the local calendar day of the core's computer. */
export const usageGroupings = ['provider', 'task', 'project', 'model', 'day'] as const;
export type UsageGrouping = (typeof usageGroupings)[number];

const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/;
const dateTime = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * The instant a date or date-time names: `2026-12-01` is local midnight, `2026-12-01T09:30` local
 * time, `2026-12-01T09:30:00Z` or `...+01:00` that instant. Undefined for anything else,
 * impossible dates (`2026-02-30`) included.
 */
export function parseUsageInstant(text: string): Date | undefined {
  const day = dateOnly.exec(text);
  if (day) {
    const [year, month, date] = [Number(day[1]), Number(day[2]), Number(day[3])];
    // Set field by field: Date(year, …) reads the years 0 to 99 as 1900 to 1999.
    const local = new Date(0);
    local.setFullYear(year, month - 1, date);
    local.setHours(0, 0, 0, 0);
    return local.getFullYear() === year && local.getMonth() === month - 1 && local.getDate() === date ? local : undefined;
  }
  const time = dateTime.exec(text);
  if (!time) return undefined;
  const [year, month, date, hours, minutes, seconds] = [Number(time[1]), Number(time[2]), Number(time[3]), Number(time[4]), Number(time[5]), Number(time[6] ?? 0)];
  if (month < 1 || month > 12 || date < 1 || date > 31 || hours > 23 || minutes > 59 || seconds > 59) return undefined;
  // A day past the month's end rolls over (2026-02-30 → March 2), with a zone or without: refuse it.
  if (new Date(Date.UTC(year, month - 1, date)).getUTCDate() !== date) return undefined;
  const parsed = new Date(text);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
}

/** Whether the text is a plain date (a whole local day), as opposed to a date and time. */
export function isPlainDate(text: string): boolean {
  return dateOnly.test(text);
}

/** A local date as YYYY-MM-DD (what `parseUsageInstant` reads back as local midnight). */
export function localDateText(date: Date): string {
  return `${String(date.getFullYear()).padStart(4, '0')}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

/** Where a range ends: a date includes its whole day (up to the next local midnight); a date and time is that instant. */
export function usageRangeEnd(text: string): Date | undefined {
  const instant = parseUsageInstant(text);
  if (instant === undefined || !isPlainDate(text)) return instant;
  const end = new Date(instant);
  end.setDate(end.getDate() + 1);
  end.setHours(0, 0, 0, 0);
  return end;
}

export const usageInstantSchema = z
  .string()
  .max(40)
  .refine((text) => parseUsageInstant(text) !== undefined, { message: 'A date is written YYYY-MM-DD (e.g. 2026-12-01), or with a time, YYYY-MM-DDTHH:MM' });

export const usageSummaryInputSchema = z
  .object({
    /** From this instant (a date: its local midnight). */
    since: usageInstantSchema,
    /** Up to this instant; a date includes that whole day. Absent: up to now. */
    until: usageInstantSchema.optional(),
    by: z.enum(usageGroupings),
    /** A second grouping inside the first (cost by day and by provider for a stacked chart). */
    split: z.enum(usageGroupings).optional(),
  })
  .strict()
  .refine((input) => input.split === undefined || input.split !== input.by, { message: 'A report is not split by what it is grouped by', path: ['split'] })
  .refine((input) => input.until === undefined || (usageRangeEnd(input.until)?.getTime() ?? 0) > (parseUsageInstant(input.since)?.getTime() ?? 0), {
    message: 'The end of the range comes after its start',
    path: ['until'],
  });
export type UsageSummaryInput = z.infer<typeof usageSummaryInputSchema>;

export const usageGroupSchema = z.object({
  /** Provider id, task, project id ('' for calls of no project), model, or the day as YYYY-MM-DD. */
  key: z.string(),
  /** The key in words: a project's name, "no project", "a deleted project". */
  label: z.string(),
  /** Present when the report is split: the second grouping's key and words. */
  splitKey: z.string().optional(),
  splitLabel: z.string().optional(),
  /** Attempts that reached a provider or the response cache (skipped targets are not calls). */
  calls: z.number().int(),
  /** Of the calls, those that failed and those cancelled. */
  errors: z.number().int(),
  cancelled: z.number().int(),
  /** Targets the router passed over (with why): counted apart, never as calls. */
  skipped: z.number().int(),
  /** Calls answered from the response cache: nothing was sent, they cost 0. */
  cacheHits: z.number().int(),
  /** Distinct requests among the calls (a request retried on another target is one). */
  requests: z.number().int(),
  /** Cache hits over requests, 0..1; null when there was no request. */
  cacheHitRate: z.number().nullable(),
  /** Tokens sent to and received from providers (cache hits send none). */
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  /** US dollars; null when a successful call has no known price (a cloud model without one). */
  costUsd: z.number().nullable(),
  /** The part of the cost that is known (all of it when `costUsd` is not null). */
  knownCostUsd: z.number(),
  /** Successful calls to a cloud provider with no known price (or a recorded cost past belief: below 0, over a billion dollars). */
  unpricedCalls: z.number().int(),
  /** Of successful calls that reached a provider: total time, p50 and p95, and time to first token p50. */
  latencyP50Ms: z.number().nullable(),
  latencyP95Ms: z.number().nullable(),
  firstTokenP50Ms: z.number().nullable(),
});
export type UsageGroup = z.infer<typeof usageGroupSchema>;

export const usageSummarySchema = z.object({
  /** The range as instants (ISO, UTC); `until` null: up to now. */
  since: z.string(),
  until: z.string().nullable(),
  by: z.enum(usageGroupings),
  split: z.enum(usageGroupings).nullable(),
  groups: z.array(usageGroupSchema).max(5000),
  /** More groups than a report holds: the first 5000 in order are listed, the totals cover all. */
  truncated: z.boolean(),
  totals: usageGroupSchema,
  /** Latencies come from at most this many of the newest calls in the range; `sampled`: there were more. */
  latencyRows: z.number().int(),
  latencySampled: z.boolean(),
});
export type UsageSummary = z.infer<typeof usageSummarySchema>;

export const usageChannels = {
  /** Calls, errors, skipped targets, cache hits, tokens, cost and latency per provider, task, project, model or day. */
  'usage.summary': { input: usageSummaryInputSchema, output: usageSummarySchema },
} as const;

/** US dollars as people read them: "$0", "$0.0123", "unknown" when no price is known. */
export function formatUsd(usd: number | null): string {
  return usd === null ? 'unknown' : formatDollars(usd);
}

/** A rate 0..1 as a percentage with one decimal ("37.5 %"), a dash when there is none. */
export function formatRate(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(1)} %`;
}
