import { create } from 'zustand';
import { homeRoute, parseRoute, sameRoute, type ProjectPage, type Route, type RunTab } from './route.ts';
import type { ViewId } from './views.ts';

export type { ProjectPage, RunTab } from './route.ts';

/** How a move is kept in the browser's history: a new entry (Back returns here) or in place (an automatic choice). */
export type HistoryMode = 'push' | 'replace';

export interface NavigationState extends Route {
  /** Shows a view; Projects opens on the list. */
  show: (view: ViewId) => void;
  /** Opens a project on its interview (or the given page). */
  openProject: (id: string, page?: ProjectPage) => void;
  closeProject: () => void;
  /** On the runs page: the selected run (its tab, file and version start afresh). */
  selectRun: (runId: string | null, mode?: HistoryMode) => void;
  selectRunTab: (tab: RunTab) => void;
  selectFile: (file: string | null) => void;
  /** The picked file's version, 1-based; null for the latest. */
  selectVersion: (version: number | null) => void;
  /** Takes a whole route (Back/Forward, an address typed or pasted): no history entry of its own. */
  arrive: (route: Route) => void;
}

type Mover = (route: Route, mode: HistoryMode) => void;
let mover: Mover = () => undefined;

/** The address sync (syncAddress) registers here: every move the store makes is written to the history. */
export function onNavigate(next: Mover): void {
  mover = next;
}

export const useNavigationStore = create<NavigationState>()((set, get) => {
  const route = (): Route => {
    const { view, projectId, projectPage, runId, runTab, file, version } = get();
    return { view, projectId, projectPage, runId, runTab, file, version };
  };
  const go = (next: Route, mode: HistoryMode = 'push') => {
    if (sameRoute(next, route())) return;
    set(next);
    mover(next, mode);
  };
  return {
    // The address's route from the first render on (syncAddress also handles the token and the last place).
    ...((typeof window === 'undefined' ? null : parseRoute(window.location.hash.slice(1))) ?? homeRoute),
    show: (view) => {
      go({ ...homeRoute, view });
    },
    openProject: (id, page = 'interview') => {
      go({ ...homeRoute, projectId: id, projectPage: page });
    },
    closeProject: () => {
      go(homeRoute);
    },
    selectRun: (runId, mode = 'push') => {
      const current = route();
      if (current.projectId === null || current.runId === runId) return;
      go({ ...current, projectPage: 'pipeline', runId, runTab: 'files', file: null, version: null }, mode);
    },
    selectRunTab: (tab) => {
      go({ ...route(), runTab: tab });
    },
    selectFile: (file) => {
      go({ ...route(), file, version: null });
    },
    selectVersion: (version) => {
      go({ ...route(), version });
    },
    arrive: (next) => {
      if (!sameRoute(next, route())) set(next);
    },
  };
});
