import { z } from 'zod';
import { isTimeZone } from './timeZone.ts';

/** What a budget counts: every call, one provider's, or one project's. */
export const budgetScopes = ['overall', 'provider', 'project'] as const;
export const budgetPeriods = ['day', 'month'] as const;

/** The largest limit a budget can be set to, in US dollars. */
export const maxBudgetUsd = 1_000_000;

/** A spending limit in US dollars for a calendar day or month (local time), set by the user. */
export const budgetSchema = z
  .object({
    scope: z.enum(budgetScopes),
    /** The provider's or project's id; empty for `overall`. */
    scopeId: z.string().max(200),
    period: z.enum(budgetPeriods),
    limitUsd: z.number().finite().min(0).max(maxBudgetUsd),
  })
  .strict()
  .refine((budget) => (budget.scope === 'overall') === (budget.scopeId === ''), { message: 'an overall budget names no provider or project; the others name one' });
export type Budget = z.infer<typeof budgetSchema>;

/** Which budget to remove. */
export const budgetRefSchema = z.object({ scope: z.enum(budgetScopes), scopeId: z.string().max(200), period: z.enum(budgetPeriods) }).strict();

/** A budget with what the current period has used: settled calls plus calls under way (reserved). */
export const budgetStatusSchema = z.object({
  scope: z.enum(budgetScopes),
  scopeId: z.string(),
  period: z.enum(budgetPeriods),
  limitUsd: z.number(),
  spentUsd: z.number(),
  reservedUsd: z.number(),
  leftUsd: z.number(),
  /** Spent and reserved over the limit, 0..1+ (at 0.8 the user is warned). */
  used: z.number(),
  /** When the period began (ISO), local midnight or the first of the month. */
  periodStart: z.string(),
  /** The budget's name in words: "the daily budget for provider openai". */
  label: z.string(),
});
export type BudgetStatus = z.infer<typeof budgetStatusSchema>;

/** The time zone budgets count days and months in, one per data folder (e.g. "Europe/Berlin"). */
export const budgetTimeZoneSchema = z.string().max(100).refine(isTimeZone, 'Not a time zone this app knows: give one such as Europe/Berlin, America/New_York or UTC');

/** The response cache as a whole: what it holds and how often it answered. */
/** Counts as SQLite holds them: any number, not only exact integers (a count edited by hand is shown, never a failure of `cache stats`). */
export const cacheStatsSchema = z.object({
  entries: z.number(),
  bytes: z.number(),
  maxBytes: z.number(),
  hits: z.number(),
  misses: z.number(),
  stores: z.number(),
  evictions: z.number(),
  /** hits / (hits + misses), 0 when nothing was looked up. */
  hitRate: z.number(),
  since: z.string(),
});
export type CacheStats = z.infer<typeof cacheStatsSchema>;
