import { create } from 'zustand';
import type { OllamaModel, OllamaPullProgress, OllamaStatus } from '../../../src-shared/domain/ollama.ts';
import { callApi } from '../connection/callApi.ts';
import { subscribeToCore } from '../connection/subscribeToCore.ts';

export interface OllamaState {
  status: OllamaStatus | null;
  models: OllamaModel[];
  loading: boolean;
  /** The last failure of a list, pull start or delete, in words. */
  error: string | null;
  /** Pulls seen in this window, newest first. */
  pulls: OllamaPullProgress[];
  /** The model a delete is running for. */
  deleting: string | null;
  load: () => Promise<void>;
  pull: (name: string) => Promise<boolean>;
  cancel: (pullId: string) => Promise<void>;
  remove: (name: string) => Promise<void>;
  dismiss: (pullId: string) => void;
  /** Follows pull progress; returns the unsubscribe. */
  watch: () => () => void;
}

let latestLoad = 0;

/** Ollama as the Providers page shows it: status in words, its models, pulls with progress. */
export const useOllamaStore = create<OllamaState>()((set, get) => {
  const track = (progress: OllamaPullProgress) => {
    set((state) => {
      const index = state.pulls.findIndex((pull) => pull.pullId === progress.pullId);
      if (index < 0) return { pulls: [progress, ...state.pulls] };
      // A late 'running' tick must not undo a final state.
      if (state.pulls[index]?.state !== 'running' && progress.state === 'running') return {};
      const pulls = [...state.pulls];
      pulls[index] = progress;
      return { pulls };
    });
  };

  return {
    status: null,
    models: [],
    loading: false,
    error: null,
    pulls: [],
    deleting: null,

    load: async () => {
      const request = ++latestLoad;
      set({ loading: true });
      const result = await callApi((api) => api.ollama.models());
      if (request !== latestLoad) return;
      if (result.ok) set({ status: result.value.status, models: result.value.models, loading: false, error: null });
      else set({ loading: false, error: result.error.message });
    },

    pull: async (name) => {
      set({ error: null });
      const result = await callApi((api) => api.ollama.pull({ name: name.trim() }));
      if (!result.ok) {
        set({ error: result.error.message });
        return false;
      }
      const { pullId } = result.value;
      // The first progress event may come before or after this answer.
      if (!get().pulls.some((pull) => pull.pullId === pullId)) {
        track({ pullId, name: name.trim(), state: 'running', status: 'starting', completedBytes: 0, totalBytes: null });
      }
      return true;
    },

    cancel: async (pullId) => {
      const result = await callApi((api) => api.ollama.cancelPull({ pullId }));
      if (!result.ok) set({ error: result.error.message });
    },

    remove: async (name) => {
      if (get().deleting !== null) return;
      set({ deleting: name, error: null });
      const result = await callApi((api) => api.ollama.delete({ name }));
      set({ deleting: null, ...(result.ok ? {} : { error: result.error.message }) });
      await get().load();
    },

    dismiss: (pullId) => {
      set((state) => ({ pulls: state.pulls.filter((pull) => pull.pullId !== pullId) }));
    },

    watch: () =>
      subscribeToCore('ollama.pullProgress', (progress) => {
        track(progress);
        if (progress.state === 'done') void get().load();
      }),
  };
});
