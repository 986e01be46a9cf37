import { create } from 'zustand';
import { taskKinds, type Routing, type Target, type TaskKind } from '../../../src-shared/domain/provider.ts';
import type { ErrorPayload } from '../../../src-shared/envelope.ts';
import { callApi } from '../connection/callApi.ts';

export type RoutingDraft = Record<TaskKind, Target[]>;
export type RoutingStatus = 'idle' | 'loading' | 'ready' | 'failed';

export interface RoutingState {
  /** What the core has. */
  saved: RoutingDraft;
  /** What the user is editing; `dirty` when it differs from `saved`. */
  draft: RoutingDraft;
  dirty: boolean;
  status: RoutingStatus;
  loadError: ErrorPayload | null;
  saving: boolean;
  saveError: string | null;
  /** Set after a successful save until the next edit. */
  justSaved: boolean;
  load: () => Promise<void>;
  reload: () => Promise<void>;
  addTarget: (task: TaskKind, target: Target) => void;
  removeTarget: (task: TaskKind, index: number) => void;
  moveTarget: (task: TaskKind, index: number, by: -1 | 1) => void;
  discard: () => void;
  save: () => Promise<boolean>;
}

function toDraft(routing: Routing): RoutingDraft {
  const draft = {} as RoutingDraft;
  for (const task of taskKinds) draft[task] = (routing[task] ?? []).map((target) => ({ ...target }));
  return draft;
}

function sameDraft(a: RoutingDraft, b: RoutingDraft): boolean {
  return taskKinds.every((task) => {
    const left = a[task];
    const right = b[task];
    return left.length === right.length && left.every((target, i) => target.providerId === right[i]?.providerId && target.model === right[i]?.model);
  });
}

let latestLoad = 0;

/** The ordered targets per task kind, edited as a draft and saved in one `routing.set`. */
export const useRoutingStore = create<RoutingState>()((set, get) => {
  const edit = (task: TaskKind, change: (targets: Target[]) => Target[]) => {
    set((state) => {
      const draft = { ...state.draft, [task]: change([...state.draft[task]]) };
      return { draft, dirty: !sameDraft(draft, state.saved), saveError: null, justSaved: false };
    });
  };

  return {
    saved: toDraft({}),
    draft: toDraft({}),
    dirty: false,
    status: 'idle',
    loadError: null,
    saving: false,
    saveError: null,
    justSaved: false,

    load: async () => {
      const request = ++latestLoad;
      const status = get().status;
      if (status === 'idle' || status === 'failed') set({ status: 'loading', loadError: null });
      const result = await callApi((api) => api.routing.get());
      if (request !== latestLoad) return;
      if (!result.ok) {
        set((state) => ({ loadError: result.error, status: state.status === 'ready' ? 'ready' : 'failed' }));
        return;
      }
      const saved = toDraft(result.value.routing);
      // Unsaved edits are kept; only what the core has is refreshed.
      set((state) => (state.dirty ? { saved, dirty: !sameDraft(state.draft, saved), status: 'ready', loadError: null } : { saved, draft: saved, status: 'ready', loadError: null }));
    },

    reload: async () => {
      if (get().status !== 'idle') await get().load();
    },

    addTarget: (task, target) => {
      edit(task, (targets) => [...targets, target]);
    },

    removeTarget: (task, index) => {
      edit(task, (targets) => targets.filter((_, i) => i !== index));
    },

    moveTarget: (task, index, by) => {
      edit(task, (targets) => {
        const other = index + by;
        const a = targets[index];
        const b = targets[other];
        if (a === undefined || b === undefined) return targets;
        targets[index] = b;
        targets[other] = a;
        return targets;
      });
    },

    discard: () => {
      set((state) => ({ draft: state.saved, dirty: false, saveError: null }));
    },

    save: async () => {
      if (get().saving) return false;
      const draft = get().draft;
      set({ saving: true, saveError: null, justSaved: false });
      // Every task is sent, empty ones too: an empty list clears that task's routing.
      const result = await callApi((api) => api.routing.set({ routing: draft }));
      latestLoad++;
      if (!result.ok) {
        set({ saving: false, saveError: result.error.message });
        return false;
      }
      const saved = toDraft(result.value.routing);
      set((state) => ({
        saved,
        draft: state.draft === draft ? saved : state.draft,
        dirty: state.draft === draft ? false : !sameDraft(state.draft, saved),
        saving: false,
        justSaved: true,
        status: 'ready',
      }));
      return true;
    },
  };
});
