import { create } from 'zustand';
import type { AppInfo } from '../../../src-shared/domain/appInfo.ts';
import type { ErrorPayload } from '../../../src-shared/envelope.ts';
import { callApi } from '../connection/callApi.ts';

export interface AboutState {
  info: AppInfo | null;
  loadError: ErrorPayload | null;
  load: () => Promise<void>;
}

let latestLoad = 0;

/** What the core says about itself: version, host, where the data lives, what leaves the machine. */
export const useAboutStore = create<AboutState>()((set) => ({
  info: null,
  loadError: null,
  load: async () => {
    const request = ++latestLoad;
    const result = await callApi((api) => api.app.info());
    if (request !== latestLoad) return;
    if (result.ok) set({ info: result.value, loadError: null });
    else set({ loadError: result.error });
  },
}));
