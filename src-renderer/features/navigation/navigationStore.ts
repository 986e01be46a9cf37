import { create } from 'zustand';
import { isViewId, type ViewId } from './views.ts';

// Not the URL hash: that carries the bridge token. sessionStorage keeps the place across a reload.
const viewKey = 'service-creator.view';
const projectKey = 'service-creator.project';
const pageKey = 'service-creator.project-page';

/** The pages of an open project: its interview and spec, or its generation runs. */
export type ProjectPage = 'interview' | 'pipeline';

export interface NavigationState {
  view: ViewId;
  /** The project whose page is open (inside the Projects view), or null for the list. */
  projectId: string | null;
  /** Which page of the open project shows. */
  projectPage: ProjectPage;
  /** Shows a view; Projects opens on the list. */
  show: (view: ViewId) => void;
  /** Opens a project on its interview (or the given page). */
  openProject: (id: string, page?: ProjectPage) => void;
  closeProject: () => void;
}

export const useNavigationStore = create<NavigationState>()((set) => ({
  view: readStoredView(),
  projectId: readStored(projectKey),
  projectPage: readStored(pageKey) === 'pipeline' ? 'pipeline' : 'interview',
  show: (view) => {
    set({ view, projectId: null, projectPage: 'interview' });
    store(viewKey, view);
    store(projectKey, null);
    store(pageKey, null);
  },
  openProject: (id, page = 'interview') => {
    set({ view: 'projects', projectId: id, projectPage: page });
    store(viewKey, 'projects');
    store(projectKey, id);
    store(pageKey, page);
  },
  closeProject: () => {
    set({ projectId: null, projectPage: 'interview' });
    store(projectKey, null);
    store(pageKey, null);
  },
}));

function store(key: string, value: string | null): void {
  try {
    if (value === null) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, value);
  } catch {
    // storage can be unavailable (privacy settings); the place just is not remembered
  }
}

function readStored(key: string): string | null {
  try {
    return sessionStorage.getItem(key);
  } catch {
    return null;
  }
}

function readStoredView(): ViewId {
  const stored = readStored(viewKey);
  return isViewId(stored) ? stored : 'projects';
}
