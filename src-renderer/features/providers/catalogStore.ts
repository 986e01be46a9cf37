import { create } from 'zustand';
import type { CatalogView } from '../../../src-shared/domain/modelCatalog.ts';
import { callApi } from '../connection/callApi.ts';

export interface CatalogState {
  view: CatalogView | null;
  loading: boolean;
  /** The last failure to get the catalogue, in words. */
  error: string | null;
  /** `refresh` reads every model file's header again. */
  load: (refresh?: boolean) => Promise<void>;
}

let latest = 0;

/** The model catalogue with each file's fit for this machine (models.catalog). */
export const useCatalogStore = create<CatalogState>()((set) => ({
  view: null,
  loading: false,
  error: null,
  load: async (refresh = false) => {
    const call = ++latest;
    set({ loading: true, error: null });
    const result = await callApi((api) => api.models.catalog(refresh ? { refresh: true } : undefined));
    if (call !== latest) return; // a newer load answers instead
    if (result.ok) set({ view: result.value, loading: false });
    else set({ loading: false, error: result.error.message });
  },
}));
