import { create } from 'zustand';
import type { CatalogEntryView } from '../../../src-shared/domain/modelCatalog.ts';
import { callApi } from '../connection/callApi.ts';
import { subscribeToCore } from '../connection/subscribeToCore.ts';
import { useSetupStore } from './setupStore.ts';

/**
 * Setup's "download the recommended model": the catalogue's pick for this machine, its download
 * (the same channel and progress events as Providers), then that file as the setup choice.
 */
export interface RecommendedDownloadState {
  entry: CatalogEntryView | null;
  loading: boolean;
  progress: { downloadedBytes: number; totalBytes: number | null } | null;
  error: string | null;
  loadRecommended: () => Promise<void>;
  downloadAndUse: () => Promise<void>;
}

export const useRecommendedDownloadStore = create<RecommendedDownloadState>()((set, get) => ({
  entry: null,
  loading: false,
  progress: null,
  error: null,

  loadRecommended: async () => {
    set({ loading: true, error: null });
    const result = await callApi((api) => api.models.catalog());
    if (!result.ok) {
      set({ loading: false, error: result.error.message });
      return;
    }
    const entry = result.value.entries.find((candidate) => candidate.recommended && candidate.fit.verdict !== 'too-big') ?? null;
    set({ loading: false, entry, error: entry ? null : 'No model in the catalogue fits this computer.' });
  },

  downloadAndUse: async () => {
    const entry = get().entry;
    if (!entry || get().progress) return;
    const listed = await callApi((api) => api.models.list());
    const before = new Set(listed.ok ? listed.value.map((model) => model.id) : []);
    set({ progress: { downloadedBytes: 0, totalBytes: entry.file.sizeBytes }, error: null });
    // Known once models.download answers; events before that are this download's (one runs from here).
    const ours: { downloadId?: string } = {};
    const listening: { stop?: () => void } = {};
    const finished = new Promise<{ state: string; message?: string | undefined }>((resolve) => {
      const stop = subscribeToCore('models.downloadProgress', (update) => {
        if (ours.downloadId !== undefined && update.downloadId !== ours.downloadId) return;
        set({ progress: { downloadedBytes: update.downloadedBytes, totalBytes: update.totalBytes } });
        if (update.state === 'running') return;
        stop();
        resolve(update);
      });
      listening.stop = stop;
    });
    const started = await callApi((api) => api.models.download({ uri: entry.file.uri }));
    if (!started.ok) {
      listening.stop?.();
      set({ progress: null, error: started.error.message });
      return;
    }
    ours.downloadId = started.value.downloadId;
    const final = await finished;
    if (final.state !== 'done') {
      set({ progress: null, error: `The download did not finish (${final.state}): ${final.message ?? 'no reason given'}` });
      return;
    }
    const after = await callApi((api) => api.models.list());
    const added = after.ok ? after.value.find((model) => !before.has(model.id)) : undefined;
    set({ progress: null });
    if (!added) {
      set({ error: 'The download finished but no new model is in the models folder.' });
      return;
    }
    await useSetupStore.getState().apply({ kind: 'local-model', modelId: added.id });
  },
}));
