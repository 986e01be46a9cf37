import { create } from 'zustand';
import type { LocalModel } from '../../../src-shared/domain/providerStatus.ts';
import type { SetupApplyResult, SetupChoice, SetupDetection, SetupStatus } from '../../../src-shared/domain/setup.ts';
import { callApi } from '../connection/callApi.ts';

/**
 * The first-run screen: whether it is needed (the core decides: nothing can answer the
 * interview and setup was not skipped), what was found on this computer, and the choice being
 * applied with its test answer. `finished` lets the user on to Projects once a choice worked.
 */
export interface SetupState {
  status: SetupStatus | null;
  /** 'loading' until the first status arrives; 'failed' lets the app go on without the screen. */
  statusState: 'loading' | 'ready' | 'failed';
  detection: SetupDetection | null;
  detecting: boolean;
  localModels: LocalModel[];
  /** The choice being applied, or null. */
  applying: SetupChoice | null;
  result: SetupApplyResult | null;
  error: string | null;
  /** The user went on to Projects after setup (or skipped it) in this window. */
  finished: boolean;
  loadStatus: () => Promise<void>;
  detect: () => Promise<void>;
  apply: (choice: SetupChoice) => Promise<void>;
  importAndApply: (path: string) => Promise<void>;
  skip: () => Promise<void>;
  finish: () => void;
  /** Back to the choices after a choice whose test failed. */
  chooseAgain: () => void;
}

export const useSetupStore = create<SetupState>()((set, get) => ({
  status: null,
  statusState: 'loading',
  detection: null,
  detecting: false,
  localModels: [],
  applying: null,
  result: null,
  error: null,
  finished: false,

  loadStatus: async () => {
    const result = await callApi((api) => api.setup.status());
    if (result.ok) set({ status: result.value, statusState: 'ready' });
    else set({ statusState: 'failed' });
  },

  detect: async () => {
    if (get().detecting) return;
    set({ detecting: true, error: null });
    const [detection, models] = await Promise.all([callApi((api) => api.setup.detect()), callApi((api) => api.models.list())]);
    set({
      detecting: false,
      ...(detection.ok ? { detection: detection.value, status: detection.value.status } : { error: detection.error.message }),
      ...(models.ok ? { localModels: models.value } : {}),
    });
  },

  apply: async (choice) => {
    set({ applying: choice, result: null, error: null });
    const result = await callApi((api) => api.setup.apply({ choice }));
    if (result.ok) set({ applying: null, result: result.value, status: result.value.status });
    else set({ applying: null, error: result.error.message });
  },

  importAndApply: async (path) => {
    set({ error: null });
    const imported = await callApi((api) => api.models.import({ path }));
    if (!imported.ok) {
      set({ error: imported.error.message });
      return;
    }
    await get().apply({ kind: 'local-model', modelId: imported.value.id });
  },

  skip: async () => {
    const result = await callApi((api) => api.setup.skip());
    if (result.ok) set({ status: result.value, finished: true });
    else set({ error: result.error.message });
  },

  finish: () => set({ finished: true }),

  chooseAgain: () => set({ result: null, error: null }),
}));
