import { create } from 'zustand';
import type { CacheStats } from '../../../src-shared/domain/budget.ts';
import type { ErrorPayload } from '../../../src-shared/envelope.ts';
import { callApi } from '../connection/callApi.ts';

export interface CacheState {
  stats: CacheStats | null;
  loadError: ErrorPayload | null;
  clearing: boolean;
  load: () => Promise<void>;
  /** Empties the cache; resolves how many answers went, or the error. */
  clear: () => Promise<{ ok: true; removed: number } | { ok: false; error: ErrorPayload }>;
}

let latestLoad = 0;

/** The response cache's figures ('cache.stats') and its Clear ('cache.clear'). */
export const useCacheStore = create<CacheState>()((set, get) => ({
  stats: null,
  loadError: null,
  clearing: false,

  load: async () => {
    const request = ++latestLoad;
    const result = await callApi((api) => api.cache.stats());
    if (request !== latestLoad) return;
    if (result.ok) set({ stats: result.value, loadError: null });
    else set({ loadError: result.error });
  },

  clear: async () => {
    set({ clearing: true });
    const result = await callApi((api) => api.cache.clear());
    set({ clearing: false });
    void get().load();
    return result.ok ? { ok: true, removed: result.value.removed } : { ok: false, error: result.error };
  },
}));
