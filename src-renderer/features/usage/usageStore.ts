import { create } from 'zustand';
import type { ChannelOutput } from '../../../src-shared/contract.ts';
import type { ErrorPayload } from '../../../src-shared/envelope.ts';
import { callApi } from '../connection/callApi.ts';

export type Attempt = ChannelOutput<'usage.attempts'>[number];
export type UsageStatus = 'idle' | 'loading' | 'ready' | 'failed';

/** How many recent calls, and separately how many recent skipped targets, the view shows. */
export const usageLimit = 200;

export interface UsageState {
  /** Attempts that reached a provider, newest first. */
  calls: Attempt[];
  /** Targets the router passed over (with why), newest first: kept apart from the calls. */
  skipped: Attempt[];
  status: UsageStatus;
  loadError: ErrorPayload | null;
  refreshing: boolean;
  /** `quiet`: following calls made meanwhile (no spinner, Refresh stays as it is). */
  load: (options?: { quiet?: boolean }) => Promise<void>;
}

let latestLoad = 0;

/** The most recent model-call attempts as the core recorded them: calls and skipped targets. */
export const useUsageStore = create<UsageState>()((set, get) => ({
  calls: [],
  skipped: [],
  status: 'idle',
  loadError: null,
  refreshing: false,

  load: async ({ quiet = false } = {}) => {
    const request = ++latestLoad;
    const status = get().status;
    if (status === 'idle' || status === 'failed') set({ status: 'loading', loadError: null });
    if (!quiet) set({ refreshing: true });
    const [calls, skipped] = await Promise.all([
      callApi((api) => api.usage.attempts({ limit: usageLimit, kind: 'calls' })),
      callApi((api) => api.usage.attempts({ limit: usageLimit, kind: 'skipped' })),
    ]);
    if (request !== latestLoad) return;
    if (calls.ok && skipped.ok) set({ calls: calls.value, skipped: skipped.value, status: 'ready', loadError: null, refreshing: false });
    else {
      const error = !calls.ok ? calls.error : !skipped.ok ? skipped.error : null;
      set((state) => ({ loadError: error, status: state.status === 'ready' ? 'ready' : 'failed', refreshing: false }));
    }
  },
}));
