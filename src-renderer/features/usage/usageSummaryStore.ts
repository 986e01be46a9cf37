import { create } from 'zustand';
import type { UsageGrouping, UsageSummary } from '../../../src-shared/domain/usage.ts';
import type { ErrorPayload } from '../../../src-shared/envelope.ts';
import { callApi } from '../connection/callApi.ts';
import { rangeStart, type UsageRange } from './usageRange.ts';

/** The summaries the dashboard draws, each over the chosen range. */
export interface UsageSummaries {
  /** Cost per day stacked by provider. */
  byDayAndProvider: UsageSummary;
  /** Tokens and cache hit rate per day. */
  byDay: UsageSummary;
  /** Cost and latency per provider; its totals are the page's totals. */
  byProvider: UsageSummary;
  byTask: UsageSummary;
}

export interface UsageSummaryState {
  range: UsageRange;
  /** The first day of the range the summaries were asked for (YYYY-MM-DD). */
  since: string;
  summaries: UsageSummaries | null;
  loadError: ErrorPayload | null;
  loading: boolean;
  setRange: (range: UsageRange) => Promise<void>;
  /** `quiet`: following calls made meanwhile (no spinner, Refresh stays as it is). */
  load: (options?: { quiet?: boolean }) => Promise<void>;
}

let latestLoad = 0;

/** Usage summed over a range ('usage.summary'), four ways at once. */
export const useUsageSummaryStore = create<UsageSummaryState>()((set, get) => ({
  range: 'month',
  since: rangeStart('month'),
  summaries: null,
  loadError: null,
  loading: false,

  setRange: async (range) => {
    set({ range });
    await get().load();
  },

  load: async ({ quiet = false } = {}) => {
    const request = ++latestLoad;
    const since = rangeStart(get().range);
    if (!quiet) set({ loading: true });
    const ask = (by: UsageGrouping, split?: UsageGrouping) => callApi((api) => api.usage.summary({ since, by, ...(split ? { split } : {}) }));
    const [byDayAndProvider, byDay, byProvider, byTask] = await Promise.all([ask('day', 'provider'), ask('day'), ask('provider'), ask('task')]);
    if (request !== latestLoad) return;
    if (byDayAndProvider.ok && byDay.ok && byProvider.ok && byTask.ok) {
      set({ since, summaries: { byDayAndProvider: byDayAndProvider.value, byDay: byDay.value, byProvider: byProvider.value, byTask: byTask.value }, loadError: null, loading: false });
      return;
    }
    const failed = [byDayAndProvider, byDay, byProvider, byTask].find((envelope) => !envelope.ok);
    set({ loadError: failed && !failed.ok ? failed.error : null, loading: false });
  },
}));

/** The summary of the range by `by`, asked when the user exports it. */
export async function fetchSummary(by: UsageGrouping): Promise<{ ok: true; summary: UsageSummary } | { ok: false; error: ErrorPayload }> {
  const since = useUsageSummaryStore.getState().since;
  const envelope = await callApi((api) => api.usage.summary({ since, by }));
  return envelope.ok ? { ok: true, summary: envelope.value } : { ok: false, error: envelope.error };
}
