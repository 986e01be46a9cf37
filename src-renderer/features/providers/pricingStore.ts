import { create } from 'zustand';
import type { ChannelOutput } from '../../../src-shared/contract.ts';
import type { ErrorPayload } from '../../../src-shared/envelope.ts';
import { callApi } from '../connection/callApi.ts';
import { subscribeToCore } from '../connection/subscribeToCore.ts';

export type PriceList = ChannelOutput<'pricing.list'>;
export type PriceRow = PriceList['prices'][number];
export type PricingStatus = 'idle' | 'loading' | 'ready' | 'failed';

export interface PricingState {
  /** The date of the shipped table's prices. */
  asOf: string;
  /** Shipped prices merged with the user's (the user's winning), sorted by model, as the core sends them. */
  prices: PriceRow[];
  status: PricingStatus;
  loadError: ErrorPayload | null;
  /** Models whose save or reset is under way. */
  busy: Readonly<Record<string, boolean>>;
  load: () => Promise<void>;
  /** Loads unless never loaded (the view is not open yet). */
  reload: () => Promise<void>;
  /** Stores the user's price for a model (new or replacing the shipped one); the error when it failed. */
  setPrice: (model: string, inputPerMillion: number, outputPerMillion: number) => Promise<ErrorPayload | null>;
  /** Drops the user's price: the shipped one applies again, or the model has no price at all. */
  reset: (model: string) => Promise<ErrorPayload | null>;
  /** Reloads whenever the core says a price changed (here or by another process); returns the unsubscribe. */
  watch: () => () => void;
}

let latestLoad = 0;

/** The price table behind the costs in Usage: `pricing.list`, `pricing.set` and `pricing.reset`. */
export const usePricingStore = create<PricingState>()((set, get) => {
  const setBusy = (model: string, busy: boolean) => {
    set((state) => {
      const next = { ...state.busy };
      if (busy) next[model] = true;
      else delete next[model];
      return { busy: next };
    });
  };
  /** Every call answers with the whole list; the newest answer wins over a list still on its way. */
  const store = (list: PriceList) => {
    latestLoad++;
    set({ asOf: list.asOf, prices: list.prices, status: 'ready', loadError: null });
  };

  return {
    asOf: '',
    prices: [],
    status: 'idle',
    loadError: null,
    busy: {},

    load: async () => {
      const request = ++latestLoad;
      const status = get().status;
      if (status === 'idle' || status === 'failed') set({ status: 'loading', loadError: null });
      const result = await callApi((api) => api.pricing.list());
      if (request !== latestLoad) return;
      if (result.ok) set({ asOf: result.value.asOf, prices: result.value.prices, status: 'ready', loadError: null });
      else set((state) => ({ loadError: result.error, status: state.status === 'ready' ? 'ready' : 'failed' }));
    },

    reload: async () => {
      if (get().status !== 'idle') await get().load();
    },

    setPrice: async (model, inputPerMillion, outputPerMillion) => {
      setBusy(model, true);
      try {
        const result = await callApi((api) => api.pricing.set({ model, inputPerMillion, outputPerMillion }));
        if (!result.ok) return result.error;
        store(result.value);
        return null;
      } finally {
        setBusy(model, false);
      }
    },

    reset: async (model) => {
      setBusy(model, true);
      try {
        const result = await callApi((api) => api.pricing.reset({ model }));
        if (result.ok) {
          store(result.value);
          return null;
        }
        // Reset elsewhere already (another window, the CLI): show what the core has now.
        if (result.error.code === 'NOT_FOUND') {
          await get().load();
          return null;
        }
        return result.error;
      } finally {
        setBusy(model, false);
      }
    },

    watch: () => subscribeToCore('pricing.changed', () => void get().reload()),
  };
});
