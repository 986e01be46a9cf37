import { create } from 'zustand';
import type { ChannelOutput } from '../../../src-shared/contract.ts';
import type { ErrorPayload } from '../../../src-shared/envelope.ts';
import { callApi } from '../connection/callApi.ts';

export type Attempt = ChannelOutput<'usage.attempts'>[number];
export type UsageStatus = 'idle' | 'loading' | 'ready' | 'failed';

/** How many recent attempts the view shows. */
export const usageLimit = 200;

export interface UsageState {
  attempts: Attempt[];
  status: UsageStatus;
  loadError: ErrorPayload | null;
  refreshing: boolean;
  load: () => Promise<void>;
}

let latestLoad = 0;

/** The most recent model-call attempts, newest first, as the core recorded them. */
export const useUsageStore = create<UsageState>()((set, get) => ({
  attempts: [],
  status: 'idle',
  loadError: null,
  refreshing: false,

  load: async () => {
    const request = ++latestLoad;
    const status = get().status;
    if (status === 'idle' || status === 'failed') set({ status: 'loading', loadError: null });
    set({ refreshing: true });
    const result = await callApi((api) => api.usage.attempts({ limit: usageLimit }));
    if (request !== latestLoad) return;
    if (result.ok) set({ attempts: result.value, status: 'ready', loadError: null, refreshing: false });
    else set((state) => ({ loadError: result.error, status: state.status === 'ready' ? 'ready' : 'failed', refreshing: false }));
  },
}));
