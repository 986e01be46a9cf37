import { create } from 'zustand';

export interface ConnectionState {
  /** Why the core cannot be reached, in words for the user; null while calls get through. */
  problem: string | null;
  report: (problem: string) => void;
  clear: () => void;
}

/** Whether the renderer can talk to the core. Set by `callApi` and `subscribeToCore`, shown by the banner. */
export const useConnectionStore = create<ConnectionState>()((set, get) => ({
  problem: null,
  report: (problem) => {
    if (get().problem !== problem) set({ problem });
  },
  clear: () => {
    if (get().problem !== null) set({ problem: null });
  },
}));
