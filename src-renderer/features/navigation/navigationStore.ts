import { create } from 'zustand';
import { isViewId, type ViewId } from './views.ts';

// Not the URL hash: that carries the bridge token. sessionStorage keeps the place across a reload.
const viewKey = 'service-creator.view';
const projectKey = 'service-creator.project';

export interface NavigationState {
  view: ViewId;
  /** The project whose page is open (inside the Projects view), or null for the list. */
  projectId: string | null;
  /** Shows a view; Projects opens on the list. */
  show: (view: ViewId) => void;
  openProject: (id: string) => void;
  closeProject: () => void;
}

export const useNavigationStore = create<NavigationState>()((set) => ({
  view: readStoredView(),
  projectId: readStored(projectKey),
  show: (view) => {
    set({ view, projectId: null });
    store(viewKey, view);
    store(projectKey, null);
  },
  openProject: (id) => {
    set({ view: 'projects', projectId: id });
    store(viewKey, 'projects');
    store(projectKey, id);
  },
  closeProject: () => {
    set({ projectId: null });
    store(projectKey, null);
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
