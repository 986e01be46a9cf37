import { create } from 'zustand';
import type { BalanceStrategy, RoutingStrategies } from '../../../src-shared/domain/balanceStrategy.ts';
import { taskKinds, type RoutedTarget, type Routing, type TaskKind } from '../../../src-shared/domain/provider.ts';
import type { ErrorPayload } from '../../../src-shared/envelope.ts';
import { callApi } from '../connection/callApi.ts';
import { subscribeToCore } from '../connection/subscribeToCore.ts';

export type RoutingDraft = Record<TaskKind, RoutedTarget[]>;
/** Each task's strategy; `ordered` when the core has none. */
export type StrategiesDraft = Record<TaskKind, BalanceStrategy>;
export type RoutingStatus = 'idle' | 'loading' | 'ready' | 'failed';

export interface RoutingState {
  /** What the core has. */
  saved: RoutingDraft;
  /** What the user is editing; `dirty` when it differs from `saved`. */
  draft: RoutingDraft;
  savedStrategies: StrategiesDraft;
  strategies: StrategiesDraft;
  dirty: boolean;
  /**
   * The stored routing changed (another window, the CLI) while there were unsaved changes: they are
   * kept, and the page says so. Saving replaces the stored routing with the draft; Discard shows it.
   */
  outdated: boolean;
  status: RoutingStatus;
  loadError: ErrorPayload | null;
  saving: boolean;
  saveError: string | null;
  /** Set after a successful save until the next edit. */
  justSaved: boolean;
  /** Weight fields holding text that is no weight (`weightKey`): nothing is saved while there is one. */
  weightProblems: string[];
  /** Moves on Discard, so that weight fields show the saved weights again, whatever was typed in them. */
  revision: number;
  load: () => Promise<void>;
  reload: () => Promise<void>;
  addTarget: (task: TaskKind, target: RoutedTarget) => void;
  setStrategy: (task: TaskKind, strategy: BalanceStrategy) => void;
  setWeight: (task: TaskKind, index: number, weight: number) => void;
  setWeightProblem: (key: string, problem: boolean) => void;
  removeTarget: (task: TaskKind, index: number) => void;
  moveTarget: (task: TaskKind, index: number, by: -1 | 1) => void;
  discard: () => void;
  save: () => Promise<boolean>;
  /** Reloads whenever the core says the routing changed (here or by another process); returns the unsubscribe. */
  watch: () => () => void;
}

/** Which weight field: a task's target is listed once. */
export function weightKey(task: TaskKind, target: Pick<RoutedTarget, 'providerId' | 'model'>): string {
  return JSON.stringify([task, target.providerId, target.model]);
}

function toDraft(routing: Routing): RoutingDraft {
  const draft = {} as RoutingDraft;
  for (const task of taskKinds) draft[task] = (routing[task] ?? []).map((target) => ({ ...target }));
  return draft;
}

function toStrategies(strategies: RoutingStrategies): StrategiesDraft {
  const draft = {} as StrategiesDraft;
  for (const task of taskKinds) draft[task] = strategies[task] ?? 'ordered';
  return draft;
}

function sameTargets(left: readonly RoutedTarget[], right: readonly RoutedTarget[]): boolean {
  return (
    left.length === right.length &&
    left.every((target, i) => target.providerId === right[i]?.providerId && target.model === right[i]?.model && (target.weight ?? 1) === (right[i]?.weight ?? 1))
  );
}

function sameDraft(a: RoutingDraft, b: RoutingDraft): boolean {
  return taskKinds.every((task) => sameTargets(a[task], b[task]));
}

/** One task as the user left it and as it was stored: its targets and, where it has any, its strategy. */
function sameTask(task: TaskKind, a: RoutingDraft, aStrategies: StrategiesDraft, b: RoutingDraft, bStrategies: StrategiesDraft): boolean {
  return sameTargets(a[task], b[task]) && (a[task].length === 0 || aStrategies[task] === bStrategies[task]);
}

/**
 * Unsaved edits over a stored routing that moved on (another window, the CLI): a task the user did
 * not touch takes the stored one, so saving does not put back what was changed elsewhere; a task
 * the user changed keeps the edit, and `outdated` says when its stored value moved under it.
 */
function rebase(state: Pick<RoutingState, 'draft' | 'strategies' | 'saved' | 'savedStrategies'>, saved: RoutingDraft, savedStrategies: StrategiesDraft) {
  const draft = { ...state.draft };
  const strategies = { ...state.strategies };
  let outdated = false;
  for (const task of taskKinds) {
    if (sameTask(task, state.draft, state.strategies, state.saved, state.savedStrategies)) {
      draft[task] = saved[task];
      strategies[task] = savedStrategies[task];
    } else if (!sameTask(task, saved, savedStrategies, state.saved, state.savedStrategies)) outdated = true;
  }
  return { draft, strategies, outdated };
}

/** Strategies differ only where a task has targets (a strategy alone is not stored). */
function sameStrategies(a: StrategiesDraft, b: StrategiesDraft, draft: RoutingDraft): boolean {
  return taskKinds.every((task) => draft[task].length === 0 || a[task] === b[task]);
}

let latestLoad = 0;

/**
 * The targets (with weights) and strategy per task kind, edited as a draft and saved in one
 * `routing.set`.
 */
export const useRoutingStore = create<RoutingState>()((set, get) => {
  const changed = (draft: RoutingDraft, strategies: StrategiesDraft, state: RoutingState) =>
    !sameDraft(draft, state.saved) || !sameStrategies(strategies, state.savedStrategies, draft);
  const edit = (task: TaskKind, change: (targets: RoutedTarget[]) => RoutedTarget[]) => {
    set((state) => {
      const draft = { ...state.draft, [task]: change([...state.draft[task]]) };
      const dirty = changed(draft, state.strategies, state);
      return { draft, dirty, outdated: state.outdated && dirty, saveError: null, justSaved: false };
    });
  };

  return {
    saved: toDraft({}),
    draft: toDraft({}),
    savedStrategies: toStrategies({}),
    strategies: toStrategies({}),
    dirty: false,
    outdated: false,
    status: 'idle',
    loadError: null,
    saving: false,
    saveError: null,
    justSaved: false,
    weightProblems: [],
    revision: 0,

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
      const savedStrategies = toStrategies(result.value.strategies);
      // Unsaved edits are kept; only what the core has is refreshed (and, when that moved under them, said).
      set((state) => {
        if (!state.dirty) return { saved, draft: saved, savedStrategies, strategies: savedStrategies, outdated: false, status: 'ready', loadError: null };
        const { draft, strategies, outdated } = rebase(state, saved, savedStrategies);
        const dirty = changed(draft, strategies, { ...state, saved, savedStrategies });
        return { saved, savedStrategies, draft, strategies, dirty, outdated: dirty && (state.outdated || outdated), status: 'ready', loadError: null };
      });
    },

    reload: async () => {
      if (get().status !== 'idle') await get().load();
    },

    addTarget: (task, target) => {
      edit(task, (targets) => [...targets, target]);
    },

    setStrategy: (task, strategy) => {
      set((state) => {
        const strategies = { ...state.strategies, [task]: strategy };
        const dirty = changed(state.draft, strategies, state);
        return { strategies, dirty, outdated: state.outdated && dirty, saveError: null, justSaved: false };
      });
    },

    setWeight: (task, index, weight) => {
      edit(task, (targets) => targets.map((target, i) => (i === index ? { ...target, weight } : target)));
    },

    setWeightProblem: (key, problem) => {
      set((state) => {
        const listed = state.weightProblems.includes(key);
        if (listed === problem) return {};
        return { weightProblems: problem ? [...state.weightProblems, key] : state.weightProblems.filter((other) => other !== key) };
      });
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
      set((state) => ({ draft: state.saved, strategies: state.savedStrategies, dirty: false, outdated: false, saveError: null, weightProblems: [], revision: state.revision + 1 }));
    },

    save: async () => {
      // A weight field in error would be saved as its last valid weight, which the user no longer sees.
      if (get().saving || get().weightProblems.length > 0) return false;
      const { draft, strategies } = get();
      set({ saving: true, saveError: null, justSaved: false });
      // Every task is sent, empty ones too: an empty list clears that task's routing.
      const result = await callApi((api) => api.routing.set({ routing: draft, strategies }));
      latestLoad++;
      if (!result.ok) {
        set({ saving: false, saveError: result.error.message });
        return false;
      }
      const saved = toDraft(result.value.routing);
      const savedStrategies = toStrategies(result.value.strategies);
      set((state) => {
        const unchanged = state.draft === draft && state.strategies === strategies;
        return {
          saved,
          savedStrategies,
          draft: unchanged ? saved : state.draft,
          strategies: unchanged ? savedStrategies : state.strategies,
          dirty: unchanged ? false : changed(state.draft, state.strategies, { ...state, saved, savedStrategies }),
          // What is stored now is what this page sent: nothing moved under the edits made since.
          outdated: false,
          saving: false,
          justSaved: true,
          status: 'ready',
        };
      });
      return true;
    },

    watch: () => subscribeToCore('routing.changed', () => void get().reload()),
  };
});
