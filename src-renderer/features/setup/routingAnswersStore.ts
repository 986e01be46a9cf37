import { create } from 'zustand';
import type { TaskKind } from '../../../src-shared/domain/provider.ts';
import type { TaskAnswer } from '../../../src-shared/domain/setup.ts';
import { callApi } from '../connection/callApi.ts';

/** Which model answers each task now and why (routing.explain), for the routing page. */
export interface RoutingAnswersState {
  answers: Partial<Record<TaskKind, TaskAnswer>>;
  load: () => Promise<void>;
}

let latest = 0;
/** Every task's line asks at once when the page opens: the asks of one turn share one call. */
let queued: Promise<void> | undefined;

export const useRoutingAnswersStore = create<RoutingAnswersState>()((set) => ({
  answers: {},
  load: () =>
    (queued ??= Promise.resolve().then(async () => {
      queued = undefined;
      const request = ++latest;
      const result = await callApi((api) => api.routing.explain());
      if (request !== latest || !result.ok) return;
      set({ answers: Object.fromEntries(result.value.map((answer) => [answer.task, answer])) });
    })),
}));
