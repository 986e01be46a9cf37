import { create } from 'zustand';

export interface ConnectionProblem {
  /** Why the core cannot be reached, in words for the user. */
  message: string;
  /** Whether trying again can help (a dropped socket) or not (no bridge token at all). */
  retryable: boolean;
}

export interface ConnectionState {
  /** Null while calls get through. */
  problem: ConnectionProblem | null;
  report: (problem: ConnectionProblem) => void;
  clear: () => void;
}

/** Whether the renderer can talk to the core. Set by `callApi` and `subscribeToCore`, shown by the banner. */
export const useConnectionStore = create<ConnectionState>()((set, get) => ({
  problem: null,
  report: (problem) => {
    const current = get().problem;
    if (current?.message !== problem.message || current.retryable !== problem.retryable) set({ problem });
  },
  clear: () => {
    if (get().problem !== null) set({ problem: null });
  },
}));
