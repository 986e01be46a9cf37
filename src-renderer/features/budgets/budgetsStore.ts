import { create } from 'zustand';
import type { Budget, BudgetStatus } from '../../../src-shared/domain/budget.ts';
import type { ErrorPayload } from '../../../src-shared/envelope.ts';
import { callApi } from '../connection/callApi.ts';
import { subscribeToCore } from '../connection/subscribeToCore.ts';
import { budgetKey } from './budgetForm.ts';

/** `idle` until the Usage page first asks; warnings and reconnects reload only after that. */
export type BudgetsStatus = 'idle' | 'loading' | 'ready' | 'failed';

export interface BudgetsState {
  budgets: BudgetStatus[];
  status: BudgetsStatus;
  loadError: ErrorPayload | null;
  /** Keys (budgetKey) of budgets being set or removed. */
  busy: Readonly<Record<string, boolean>>;
  /** A budget that passed 80 % (the core's 'budgets.warning'), newest last; dismissed ones go. */
  warnings: BudgetStatus[];
  load: () => Promise<void>;
  /** Loads unless never loaded (the Usage page is not open yet). */
  reload: () => Promise<void>;
  /** Sets or changes a budget; resolves the error, or null when it is set. */
  save: (budget: Budget) => Promise<ErrorPayload | null>;
  /** Removes a budget; resolves the error, or null when it is gone. */
  remove: (ref: Pick<Budget, 'scope' | 'scopeId' | 'period'>) => Promise<ErrorPayload | null>;
  dismissWarning: (key: string) => void;
  /**
   * Follows the core's budget warnings (shown in the app shell, the list reloaded), budgets set,
   * changed or cleared elsewhere (another window, the CLI: the list reloaded) and what they have
   * used moving (calls' costs and reservations of any process: the gauges follow); returns the unsubscribe.
   */
  watch: () => () => void;
}

let latestLoad = 0;

/** The budgets ('budgets.list') with what each period has used, and the warnings of those nearly spent. */
export const useBudgetsStore = create<BudgetsState>()((set, get) => {
  const setBusy = (key: string, busy: boolean) => {
    set((state) => {
      const next = { ...state.busy };
      if (busy) next[key] = true;
      else delete next[key];
      return { busy: next };
    });
  };
  const landed = (budgets: BudgetStatus[]) => {
    // A list made after the change: an older list request still in flight must not undo it.
    latestLoad++;
    set({ budgets, status: 'ready', loadError: null });
  };

  return {
    budgets: [],
    status: 'idle',
    loadError: null,
    busy: {},
    warnings: [],

    load: async () => {
      const request = ++latestLoad;
      if (get().status !== 'ready') set({ status: 'loading', loadError: null });
      const result = await callApi((api) => api.budgets.list());
      if (request !== latestLoad) return;
      if (result.ok) set({ budgets: result.value, status: 'ready', loadError: null });
      else set((state) => ({ loadError: result.error, status: state.status === 'ready' ? 'ready' : 'failed' }));
    },

    reload: async () => {
      if (get().status !== 'idle') await get().load();
    },

    save: async (budget) => {
      const key = budgetKey(budget);
      setBusy(key, true);
      const result = await callApi((api) => api.budgets.set({ scope: budget.scope, scopeId: budget.scopeId, period: budget.period, limitUsd: budget.limitUsd }));
      setBusy(key, false);
      if (!result.ok) return result.error;
      landed(result.value);
      return null;
    },

    remove: async (ref) => {
      const key = budgetKey(ref);
      setBusy(key, true);
      // Only the three that name it: a BudgetStatus passed in carries its figures too, which the channel refuses.
      const result = await callApi((api) => api.budgets.clear({ scope: ref.scope, scopeId: ref.scopeId, period: ref.period }));
      setBusy(key, false);
      if (!result.ok) return result.error;
      landed(result.value.budgets);
      set((state) => ({ warnings: state.warnings.filter((warning) => budgetKey(warning) !== key) }));
      return null;
    },

    dismissWarning: (key) => {
      set((state) => ({ warnings: state.warnings.filter((warning) => budgetKey(warning) !== key) }));
    },

    watch: () => {
      const stops = [
        subscribeToCore('budgets.warning', (status) => {
          const key = budgetKey(status);
          set((state) => ({ warnings: [...state.warnings.filter((warning) => budgetKey(warning) !== key), status] }));
          void get().reload();
        }),
        subscribeToCore('budgets.changed', () => void get().reload()),
        // What the budgets have used moved (a call's cost, a reservation; in any process): the gauges follow within the watch's half second.
        subscribeToCore('usage.changed', ({ spend }) => {
          if (spend) void get().reload();
        }),
      ];
      return () => {
        for (const stop of stops) stop();
      };
    },
  };
});
