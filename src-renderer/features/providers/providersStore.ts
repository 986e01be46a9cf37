import { create } from 'zustand';
import type { ProviderConfig } from '../../../src-shared/domain/provider.ts';
import type { ProviderStatus } from '../../../src-shared/domain/providerStatus.ts';
import type { ProviderTypeInfo } from '../../../src-shared/domain/providerTypeInfo.ts';
import type { Envelope, ErrorPayload } from '../../../src-shared/envelope.ts';
import { callApi } from '../connection/callApi.ts';
import { subscribeToCore } from '../connection/subscribeToCore.ts';

/** `idle` until the Providers view first asks; events and reconnects reload only after that. */
export type ProvidersStatus = 'idle' | 'loading' | 'ready' | 'failed';

export interface InvalidProvider {
  id: string;
  problem: string;
}

export interface ProvidersState {
  /** In the core's order (the order they were added), which is also the default routing order. */
  providers: ProviderStatus[];
  /** The provider types the core knows (one per descriptor), for the form and the list. */
  types: ProviderTypeInfo[];
  /** Stored rows this version cannot read, reported so they are not silently ignored. */
  invalid: InvalidProvider[];
  status: ProvidersStatus;
  loadError: ErrorPayload | null;
  /** Ids whose connection test (or a save that runs one) is under way. */
  busy: Readonly<Record<string, boolean>>;
  load: () => Promise<void>;
  /** Loads unless never loaded (the view is not open yet). */
  reload: () => Promise<void>;
  add: (config: ProviderConfig, apiKey?: string) => Promise<Envelope<ProviderStatus>>;
  update: (config: ProviderConfig) => Promise<Envelope<ProviderStatus>>;
  remove: (id: string) => Promise<ErrorPayload | null>;
  setKey: (id: string, apiKey: string) => Promise<Envelope<ProviderStatus>>;
  removeKey: (id: string) => Promise<Envelope<ProviderStatus>>;
  test: (id: string) => Promise<ErrorPayload | null>;
  /** Reloads whenever the core says a provider changed; returns the unsubscribe. */
  watch: () => () => void;
}

let latestLoad = 0;

export const useProvidersStore = create<ProvidersState>()((set, get) => {
  const upsert = (status: ProviderStatus) => {
    // An answer to a call made before a newer list must not be overwritten by that older list.
    latestLoad++;
    set((state) => {
      const index = state.providers.findIndex((p) => p.config.id === status.config.id);
      if (index < 0) return { providers: [...state.providers, status] };
      const providers = [...state.providers];
      providers[index] = status;
      return { providers };
    });
  };
  const setBusy = (id: string, busy: boolean) => {
    set((state) => {
      const next = { ...state.busy };
      if (busy) next[id] = true;
      else delete next[id];
      return { busy: next };
    });
  };
  /** Runs a call that returns a status, marking the provider busy meanwhile and storing the answer. */
  const withStatus = async (id: string, call: () => Promise<Envelope<ProviderStatus>>): Promise<Envelope<ProviderStatus>> => {
    setBusy(id, true);
    try {
      const result = await call();
      if (result.ok) upsert(result.value);
      else if (result.error.code === 'NOT_FOUND') void get().load();
      return result;
    } finally {
      setBusy(id, false);
    }
  };

  return {
    providers: [],
    types: [],
    invalid: [],
    status: 'idle',
    loadError: null,
    busy: {},

    load: async () => {
      const request = ++latestLoad;
      const status = get().status;
      if (status === 'idle' || status === 'failed') set({ status: 'loading', loadError: null });
      const [result, types] = await Promise.all([callApi((api) => api.providers.list()), callApi((api) => api.providers.types())]);
      if (types.ok) set({ types: types.value });
      if (request !== latestLoad) return;
      if (result.ok) set({ providers: result.value.providers, invalid: result.value.invalid, status: 'ready', loadError: null });
      else set((state) => ({ loadError: result.error, status: state.status === 'ready' ? 'ready' : 'failed' }));
    },

    reload: async () => {
      if (get().status !== 'idle') await get().load();
    },

    add: (config, apiKey) =>
      withStatus(config.id, async () => {
        const result = await callApi((api) => api.providers.add(apiKey === undefined ? { config } : { config, apiKey }));
        // The core stores the configuration before the key: when the key fails the provider exists.
        if (!result.ok) await get().load();
        return result;
      }),

    update: (config) => withStatus(config.id, () => callApi((api) => api.providers.update({ config }))),

    remove: async (id) => {
      const result = await callApi((api) => api.providers.remove({ id }));
      if (result.ok || result.error.code === 'NOT_FOUND') {
        latestLoad++;
        set((state) => ({ providers: state.providers.filter((p) => p.config.id !== id) }));
        return null;
      }
      return result.error;
    },

    setKey: (id, apiKey) => withStatus(id, () => callApi((api) => api.providers.setKey({ id, apiKey }))),

    removeKey: (id) => withStatus(id, () => callApi((api) => api.providers.removeKey({ id }))),

    test: async (id) => {
      const result = await withStatus(id, () => callApi((api) => api.providers.test({ id })));
      return result.ok ? null : result.error;
    },

    watch: () => subscribeToCore('providers.changed', () => void get().reload()),
  };
});
