import { create } from 'zustand';
import type { BridgeLink } from '../../api/bridgeLink.ts';
import { isBridge, onBridgeLink } from '../../api/getApi.ts';

export interface ConnectionProblem {
  /** Why the core cannot be reached, in words for the user. */
  message: string;
  /** Whether trying again can help (a dropped socket) or not (no bridge token at all). */
  retryable: boolean;
}

export interface ConnectionState {
  /** Null while calls get through. */
  problem: ConnectionProblem | null;
  /** The bridge socket's state (the desktop app is always connected). */
  link: BridgeLink;
  report: (problem: ConnectionProblem) => void;
  clear: () => void;
}

/** Whether the renderer can talk to the core. Set by `callApi`, `subscribeToCore` and the bridge client, shown by the banner. */
export const useConnectionStore = create<ConnectionState>()((set, get) => ({
  problem: null,
  link: isBridge() ? { state: 'connecting' } : { state: 'connected' },
  report: (problem) => {
    const current = get().problem;
    if (current?.message !== problem.message || current.retryable !== problem.retryable) set({ problem });
  },
  clear: () => {
    if (get().problem !== null) set({ problem: null });
  },
}));

onBridgeLink((link) => {
  useConnectionStore.setState(link.state === 'connected' ? { link, problem: null } : { link });
});

/** True while actions can reach the core: buttons that call it are disabled otherwise. */
export function canAct(state: ConnectionState): boolean {
  return state.link.state === 'connected' && state.problem === null;
}
