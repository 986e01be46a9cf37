import { create } from 'zustand';
import type { EventPayload } from '../../../src-shared/contract.ts';
import type { LocalModel } from '../../../src-shared/domain/providerStatus.ts';
import type { ErrorPayload } from '../../../src-shared/envelope.ts';
import { callApi } from '../connection/callApi.ts';
import { subscribeToCore } from '../connection/subscribeToCore.ts';

export type DownloadProgress = EventPayload<'models.downloadProgress'>;
export type ModelsStatus = 'idle' | 'loading' | 'ready' | 'failed';

export interface ModelsState {
  models: LocalModel[];
  status: ModelsStatus;
  loadError: ErrorPayload | null;
  importing: boolean;
  importError: string | null;
  /** The last model imported, for a short confirmation. */
  imported: LocalModel | null;
  startingDownload: boolean;
  downloadError: string | null;
  /** Downloads seen in this window, newest first, by id. */
  downloads: DownloadProgress[];
  cancelError: string | null;
  /** A removal the core refused because routing uses the model: the message names the tasks. */
  removeConflict: { id: string; message: string } | null;
  removeError: { id: string; message: string } | null;
  removing: string | null;
  load: () => Promise<void>;
  reload: () => Promise<void>;
  importFile: (path: string) => Promise<boolean>;
  download: (uri: string) => Promise<boolean>;
  /** Stops a download or forgets a paused one; the partial file is deleted. */
  cancel: (downloadId: string) => Promise<void>;
  pause: (downloadId: string) => Promise<void>;
  resume: (downloadId: string) => Promise<void>;
  /** Deletes a model; `force` after the user saw which routings use it. */
  remove: (id: string, force?: boolean) => Promise<boolean>;
  clearRemove: () => void;
  dismiss: (downloadId: string) => void;
  /** Follows download progress; returns the unsubscribe. */
  watch: () => () => void;
}

let latestLoad = 0;

export const useModelsStore = create<ModelsState>()((set, get) => {
  const track = (progress: DownloadProgress) => {
    set((state) => {
      const index = state.downloads.findIndex((d) => d.downloadId === progress.downloadId);
      // The same address started again continues its paused partial file: that row is replaced.
      if (index < 0) return { downloads: [progress, ...state.downloads.filter((d) => d.uri !== progress.uri || d.state === 'done' || d.state === 'cancelled')] };
      const current = state.downloads[index];
      // A late 'running' tick must not undo a final state (a resume sends 'running' after 'paused' or 'failed').
      const final = current !== undefined && (current.state === 'done' || current.state === 'cancelled');
      if (final && progress.state === 'running') return {};
      const downloads = [...state.downloads];
      downloads[index] = progress;
      return { downloads };
    });
  };

  return {
    models: [],
    status: 'idle',
    loadError: null,
    importing: false,
    importError: null,
    imported: null,
    startingDownload: false,
    downloadError: null,
    downloads: [],
    cancelError: null,
    removeConflict: null,
    removeError: null,
    removing: null,

    load: async () => {
      const request = ++latestLoad;
      const status = get().status;
      if (status === 'idle' || status === 'failed') set({ status: 'loading', loadError: null });
      const [result, downloads] = await Promise.all([callApi((api) => api.models.list()), callApi((api) => api.models.downloads())]);
      if (request !== latestLoad) return;
      // Paused downloads (also those of an earlier run) are listed with the running ones.
      if (downloads.ok) for (const download of downloads.value) track(download);
      if (result.ok) set({ models: result.value, status: 'ready', loadError: null });
      else set((state) => ({ loadError: result.error, status: state.status === 'ready' ? 'ready' : 'failed' }));
    },

    reload: async () => {
      if (get().status !== 'idle') await get().load();
    },

    importFile: async (path) => {
      if (get().importing) return false;
      set({ importing: true, importError: null, imported: null });
      const result = await callApi((api) => api.models.import({ path: path.trim() }));
      if (!result.ok) {
        set({ importing: false, importError: result.error.message });
        return false;
      }
      set({ importing: false, imported: result.value });
      await get().load();
      return true;
    },

    download: async (uri) => {
      if (get().startingDownload) return false;
      set({ startingDownload: true, downloadError: null });
      const result = await callApi((api) => api.models.download({ uri: uri.trim() }));
      if (!result.ok) {
        set({ startingDownload: false, downloadError: result.error.message });
        return false;
      }
      // The first progress event may come before or after this answer.
      const { downloadId } = result.value;
      if (!get().downloads.some((d) => d.downloadId === downloadId)) {
        track({ downloadId, uri: uri.trim(), state: 'running', downloadedBytes: 0, totalBytes: null });
      }
      set({ startingDownload: false });
      return true;
    },

    cancel: async (downloadId) => {
      set({ cancelError: null });
      const result = await callApi((api) => api.models.cancelDownload({ downloadId }));
      if (!result.ok) set({ cancelError: result.error.message });
    },

    pause: async (downloadId) => {
      set({ cancelError: null });
      const result = await callApi((api) => api.models.pauseDownload({ downloadId }));
      if (!result.ok) set({ cancelError: result.error.message });
    },

    resume: async (downloadId) => {
      set({ cancelError: null });
      const result = await callApi((api) => api.models.resumeDownload({ downloadId }));
      if (!result.ok) set({ cancelError: result.error.message });
    },

    remove: async (id, force = false) => {
      if (get().removing !== null) return false;
      set({ removing: id, removeConflict: null, removeError: null });
      const result = await callApi((api) => api.models.remove({ id, ...(force ? { force: true } : {}) }));
      if (!result.ok) {
        if (result.error.code === 'CONFLICT') set({ removing: null, removeConflict: { id, message: result.error.message } });
        else set({ removing: null, removeError: { id, message: result.error.message } });
        return false;
      }
      set({ removing: null });
      await get().load();
      return true;
    },

    clearRemove: () => {
      set({ removeConflict: null, removeError: null });
    },

    dismiss: (downloadId) => {
      set((state) => ({ downloads: state.downloads.filter((d) => d.downloadId !== downloadId) }));
    },

    watch: () =>
      subscribeToCore('models.downloadProgress', (progress) => {
        track(progress);
        if (progress.state === 'done') void get().load();
      }),
  };
});
