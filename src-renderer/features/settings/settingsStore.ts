import { create } from 'zustand';
import { defaultSettings, type Settings, type SettingsPatch } from '../../../src-shared/domain/settings.ts';
import type { ErrorPayload } from '../../../src-shared/envelope.ts';
import { callApi } from '../connection/callApi.ts';
import { subscribeToCore } from '../connection/subscribeToCore.ts';

export type SettingsStatus = 'loading' | 'ready' | 'failed';

export interface SettingsState {
  /** Defaults until the core's settings arrive (`status` says which). */
  settings: Settings;
  status: SettingsStatus;
  loadError: ErrorPayload | null;
  saveError: string | null;
  /** The settings whose save `saveError` is about (the patch's keys), so that it shows by their fields. */
  saveErrorFor: readonly (keyof Settings)[];
  load: () => Promise<void>;
  /** Shows the change at once and saves it; on failure puts the old value back and sets `saveError`. */
  update: (patch: SettingsPatch) => Promise<void>;
  /** Follows changes saved elsewhere (CLI, other windows); returns the unsubscribe. */
  watch: () => () => void;
}

let latestLoad = 0;
let latestSave = 0;

export const useSettingsStore = create<SettingsState>()((set, get) => ({
  settings: defaultSettings,
  status: 'loading',
  loadError: null,
  saveError: null,
  saveErrorFor: [],

  load: async () => {
    const request = ++latestLoad;
    const result = await callApi((api) => api.settings.get());
    if (request !== latestLoad) return;
    if (result.ok) set({ settings: result.value, status: 'ready', loadError: null });
    else set((state) => ({ loadError: result.error, status: state.status === 'ready' ? 'ready' : 'failed' }));
  },

  update: async (patch) => {
    const request = ++latestSave;
    const previous = get().settings;
    set({ settings: { ...previous, ...patch }, saveError: null, saveErrorFor: [] });
    const result = await callApi((api) => api.settings.set(patch));
    if (request !== latestSave) return;
    if (result.ok) set({ settings: result.value });
    else set({ settings: previous, saveError: result.error.message, saveErrorFor: Object.keys(patch) as (keyof Settings)[] });
  },

  watch: () =>
    subscribeToCore('settings.changed', (settings) => {
      // Settings pushed by the core are current; an older list request still in flight must not undo them.
      latestLoad++;
      set({ settings, status: 'ready', loadError: null });
    }),
}));

/** The save error when it is about one of `keys` (a section shows only its own). */
export function useSaveErrorFor(...keys: (keyof Settings)[]): string | null {
  return useSettingsStore((state) => (state.saveErrorFor.some((key) => keys.includes(key)) ? state.saveError : null));
}
