import { create } from 'zustand';
import { isViewId, type ViewId } from './views.ts';

// Not the URL hash: that carries the bridge token. sessionStorage keeps the view across a reload.
const storageKey = 'service-creator.view';

export interface NavigationState {
  view: ViewId;
  show: (view: ViewId) => void;
}

export const useNavigationStore = create<NavigationState>()((set) => ({
  view: readStoredView(),
  show: (view) => {
    set({ view });
    try {
      sessionStorage.setItem(storageKey, view);
    } catch {
      // storage can be unavailable (privacy settings); the view just is not remembered
    }
  },
}));

function readStoredView(): ViewId {
  try {
    const stored = sessionStorage.getItem(storageKey);
    return isViewId(stored) ? stored : 'projects';
  } catch {
    return 'projects';
  }
}
