import { create } from 'zustand';
import type { ProviderHealth } from '../../../src-shared/domain/providerHealth.ts';
import type { ErrorPayload } from '../../../src-shared/envelope.ts';
import { callApi } from '../connection/callApi.ts';

export interface HealthState {
  health: ProviderHealth | null;
  status: 'idle' | 'loading' | 'ready' | 'failed';
  loadError: ErrorPayload | null;
  load: () => Promise<void>;
}

let latestLoad = 0;

/** Provider health as the core computes it (providers.health): per target, the last hour and day. */
export const useHealthStore = create<HealthState>()((set, get) => ({
  health: null,
  status: 'idle',
  loadError: null,
  load: async () => {
    const request = ++latestLoad;
    if (get().status !== 'ready') set({ status: 'loading', loadError: null });
    const result = await callApi((api) => api.providers.health());
    if (request !== latestLoad) return;
    if (result.ok) set({ health: result.value, status: 'ready', loadError: null });
    else set((state) => ({ loadError: result.error, status: state.status === 'ready' ? 'ready' : 'failed' }));
  },
}));
