import { create } from 'zustand';
import type { Envelope, ErrorPayload } from '../../../src-shared/envelope.ts';
import type { EngineStatus, RepairView, SandboxEvent, TestRunView } from '../../../src-shared/sandbox/sandboxTypes.ts';
import { callApi } from '../connection/callApi.ts';
import { subscribeToCore } from '../connection/subscribeToCore.ts';
import { createTextBatcher } from '../pipeline/createTextBatcher.ts';
import { applyBatch, type LiveText } from '../pipeline/liveText.ts';
import { usePipelineStore } from '../pipeline/pipelineStore.ts';

export interface TestsStoreState {
  /** The finished generation run whose tests are open, or null. */
  runId: string | null;
  /** The container engine as last checked; null before the first answer. */
  engine: EngineStatus | null;
  engineChecking: boolean;
  /** Why `sandbox.status` itself could not be asked (the connection), until the next check. */
  engineError: ErrorPayload | null;
  status: 'loading' | 'ready' | 'failed';
  loadError: ErrorPayload | null;
  /** The run's test runs, newest first, without their logs. */
  testRuns: TestRunView[];
  /** The run's repairs, newest first. */
  repairs: RepairView[];
  /** The test run picked in the history; null follows the newest. */
  pinnedTestRunId: string | null;
  /** The shown test run with its stored log (fetched when it changes). */
  detail: TestRunView | null;
  /** Logs of running test runs as they stream (batched per animation frame, capped). */
  live: Record<string, LiveText>;
  /** Opens a run's tests: subscribes to sandbox events, checks the engine and loads; returns the teardown. */
  open: (runId: string) => () => void;
  load: () => Promise<void>;
  /** Reloads the open run's tests and asks the engine again, if a run is open (after a lost connection comes back). */
  reload: () => Promise<void>;
  checkEngine: () => Promise<void>;
  runTests: (options: { timeoutSeconds: number }) => Promise<ErrorPayload | null>;
  cancelTestRun: (testRunId: string) => Promise<ErrorPayload | null>;
  startRepair: (options: { rounds: number; timeoutSeconds: number }) => Promise<ErrorPayload | null>;
  cancelRepair: (repairId: string) => Promise<ErrorPayload | null>;
  /** Shows one test run (null: follow the newest). */
  showTestRun: (testRunId: string | null) => void;
}

/** The test run the detail shows: the one picked, else the newest. */
export function shownTestRunId(state: Pick<TestsStoreState, 'pinnedTestRunId' | 'testRuns'>): string | null {
  return state.pinnedTestRunId ?? state.testRuns[0]?.id ?? null;
}

const notOpen: ErrorPayload = { code: 'INVALID_INPUT', message: 'No finished run is open', retryable: false };

// Each open() starts a session; answers that arrive for an earlier session are dropped.
let session = 0;
// One request in flight per key; asks during it get one more run afterwards.
const inFlight = new Map<string, 'running' | 'again'>();
// Test runs and repairs seen in events but not (yet) in this run's lists, and those known to be another run's.
const pendingTests = new Set<string>();
const foreignTests = new Set<string>();
const pendingRepairs = new Set<string>();
const foreignRepairs = new Set<string>();

async function coalesced(key: string, task: () => Promise<void>): Promise<void> {
  if (inFlight.has(key)) {
    inFlight.set(key, 'again');
    return;
  }
  try {
    do {
      inFlight.set(key, 'running');
      await task();
    } while (inFlight.get(key) === 'again');
  } finally {
    inFlight.delete(key);
  }
}

/** The list with `item` in place of the entry with its id, or added where its age puts it (newest first). */
function upserted<T extends { id: string; createdAt: string }>(items: readonly T[], item: T): T[] {
  if (items.some((candidate) => candidate.id === item.id)) return items.map((candidate) => (candidate.id === item.id ? item : candidate));
  return [item, ...items].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** A list answer merged with what is known: an entry that ended never goes back to running (an older answer landing late). */
function mergeList<T extends { id: string; status: string }>(listed: readonly T[], known: readonly T[]): T[] {
  return listed.map((item) => {
    const current = known.find((candidate) => candidate.id === item.id);
    return current && item.status === 'running' && current.status !== 'running' ? current : item;
  });
}

export const useTestsStore = create<TestsStoreState>()((set, get) => {
  const isCurrent = (mine: number) => mine === session && get().runId !== null;

  const batcher = createTextBatcher((batches) => {
    set((state) => {
      const live = { ...state.live };
      for (const [id, batch] of batches) if (!foreignTests.has(id)) live[id] = applyBatch(live[id], batch);
      return { live };
    });
  });

  const dropLive = (testRunId: string) => {
    batcher.flush();
    if (!(testRunId in get().live)) return;
    set((state) => {
      const { [testRunId]: _dropped, ...live } = state.live;
      return { live };
    });
  };

  const upsertTest = (view: TestRunView) => {
    if (view.pipelineRunId !== get().runId) return;
    pendingTests.delete(view.id);
    set((state) => ({ testRuns: upserted(state.testRuns, { ...view, log: '' }) }));
  };

  const upsertRepair = (view: RepairView) => {
    if (view.pipelineRunId !== get().runId) return;
    pendingRepairs.delete(view.id);
    set((state) => ({ repairs: upserted(state.repairs, view) }));
    // A repair that changed files gave them new versions: the run's file list shows them.
    if (view.rounds.some((round) => round.changed.some((change) => change.outcome === 'changed'))) void usePipelineStore.getState().reload();
  };

  /** Fetches one test run (with its log): the list entry, the detail when shown, the live log dropped once it ended. */
  const refreshTest = (testRunId: string) =>
    coalesced(`test:${testRunId}`, async () => {
      const mine = session;
      const result = await callApi((api) => api.tests.get({ testRunId }));
      if (!isCurrent(mine) || !result.ok) return;
      upsertTest(result.value);
      if (shownTestRunId(get()) === testRunId) set({ detail: result.value });
      if (result.value.status !== 'running') dropLive(testRunId);
    });

  const refreshRepair = (repairId: string) =>
    coalesced(`repair:${repairId}`, async () => {
      const mine = session;
      const result = await callApi((api) => api.repair.get({ repairId }));
      if (!isCurrent(mine) || !result.ok) return;
      upsertRepair(result.value);
    });

  /** Makes the detail match the shown test run: fetched when another one is shown or its state moved on. */
  const syncDetail = () => {
    const state = get();
    const id = shownTestRunId(state);
    if (id === null) {
      if (state.detail !== null) set({ detail: null });
      return;
    }
    const entry = state.testRuns.find((candidate) => candidate.id === id);
    if (state.detail?.id === id && state.detail.status === entry?.status) return;
    if (state.detail !== null && state.detail.id !== id) set({ detail: null });
    void refreshTest(id);
  };

  const loadTests = async (): Promise<ErrorPayload | null> => {
    const runId = get().runId;
    if (runId === null) return null;
    const mine = session;
    const asked = [...pendingTests];
    const result = await callApi((api) => api.tests.list({ runId }));
    if (!isCurrent(mine)) return null;
    if (!result.ok) return result.error;
    const listed = new Set(result.value.map((testRun) => testRun.id));
    for (const id of asked) {
      pendingTests.delete(id);
      if (!listed.has(id)) {
        foreignTests.add(id);
        dropLive(id);
      }
    }
    set((state) => ({ testRuns: mergeList(result.value, state.testRuns) }));
    syncDetail();
    return null;
  };

  const loadRepairs = async (): Promise<ErrorPayload | null> => {
    const runId = get().runId;
    if (runId === null) return null;
    const mine = session;
    const asked = [...pendingRepairs];
    const result = await callApi((api) => api.repair.list({ runId }));
    if (!isCurrent(mine)) return null;
    if (!result.ok) return result.error;
    const listed = new Set(result.value.map((repair) => repair.id));
    for (const id of asked) {
      pendingRepairs.delete(id);
      if (!listed.has(id)) foreignRepairs.add(id);
    }
    set((state) => ({ repairs: mergeList(result.value, state.repairs) }));
    return null;
  };

  const onEvent = (event: SandboxEvent) => {
    const state = get();
    if (state.runId === null) return;
    switch (event.kind) {
      case 'log': {
        const id = event.testRunId;
        if (foreignTests.has(id)) return;
        batcher.append(id, event.text);
        if (!state.testRuns.some((testRun) => testRun.id === id) && !pendingTests.has(id)) {
          // A test run this page has not listed yet: a new one of this run (or another run's).
          pendingTests.add(id);
          void coalesced('tests', async () => void (await loadTests()));
        }
        return;
      }
      case 'changed': {
        const id = event.testRunId;
        if (foreignTests.has(id)) return;
        if (state.testRuns.some((testRun) => testRun.id === id)) {
          void refreshTest(id);
        } else {
          pendingTests.add(id);
          void coalesced('tests', async () => void (await loadTests()));
        }
        return;
      }
      case 'repair-changed': {
        const id = event.repairId;
        if (foreignRepairs.has(id)) return;
        if (state.repairs.some((repair) => repair.id === id)) {
          void refreshRepair(id);
        } else {
          pendingRepairs.add(id);
          void coalesced('repairs', async () => void (await loadRepairs()));
        }
        return;
      }
      case 'pull':
        // Image pull progress: the test run's state says when it starts; nothing to show per layer.
        return;
      default:
        event satisfies never;
    }
  };

  const clearState = () => {
    batcher.dispose();
    for (const ids of [pendingTests, foreignTests, pendingRepairs, foreignRepairs]) ids.clear();
    return { testRuns: [], repairs: [], pinnedTestRunId: null, detail: null, live: {} };
  };

  /** Calls a channel that returns a test run or a repair, and shows the answer. */
  const act = async <T>(call: (runId: string) => Promise<Envelope<T>>, onValue: (value: T) => void): Promise<ErrorPayload | null> => {
    const runId = get().runId;
    if (runId === null) return notOpen;
    const mine = session;
    const result = await call(runId);
    if (!isCurrent(mine)) return null;
    if (!result.ok) {
      if (result.error.code === 'SANDBOX_UNAVAILABLE') void get().checkEngine();
      // It may have moved on meanwhile (it ended, another window): show where things are now.
      void get().load();
      return result.error;
    }
    onValue(result.value);
    return null;
  };

  return {
    runId: null,
    engine: null,
    engineChecking: false,
    engineError: null,
    status: 'loading',
    loadError: null,
    testRuns: [],
    repairs: [],
    pinnedTestRunId: null,
    detail: null,
    live: {},

    open: (runId) => {
      const mine = ++session;
      set({ runId, status: 'loading', loadError: null, ...clearState() });
      const stop = subscribeToCore('sandbox.event', onEvent);
      void get().checkEngine();
      void get().load();
      return () => {
        stop();
        if (mine === session) set({ runId: null, ...clearState() });
      };
    },

    load: async () => {
      if (get().runId === null) return;
      const mine = session;
      const [tests, repairs] = await Promise.all([loadTests(), loadRepairs()]);
      if (!isCurrent(mine)) return;
      const error = tests ?? repairs;
      set((state) => (error === null ? { status: 'ready', loadError: null } : { loadError: error, status: state.status === 'ready' ? 'ready' : 'failed' }));
    },

    reload: async () => {
      if (get().runId === null) return;
      await Promise.all([get().load(), get().checkEngine()]);
    },

    checkEngine: async () => {
      if (get().runId === null) return;
      const mine = session;
      set({ engineChecking: true });
      const result = await callApi((api) => api.sandbox.status());
      if (!isCurrent(mine)) return;
      set(result.ok ? { engineChecking: false, engine: result.value, engineError: null } : { engineChecking: false, engineError: result.error });
    },

    runTests: ({ timeoutSeconds }) =>
      act(
        (runId) => callApi((api) => api.tests.run({ runId, timeoutSeconds })),
        (testRun) => {
          upsertTest(testRun);
          set({ pinnedTestRunId: null });
          syncDetail();
        },
      ),

    cancelTestRun: (testRunId) =>
      act(
        () => callApi((api) => api.tests.cancel({ testRunId })),
        (testRun) => {
          upsertTest(testRun);
          syncDetail();
        },
      ),

    startRepair: ({ rounds, timeoutSeconds }) =>
      act(
        (runId) => callApi((api) => api.repair.start({ runId, rounds, timeoutSeconds })),
        (repair) => {
          upsertRepair(repair);
          set({ pinnedTestRunId: null });
          syncDetail();
        },
      ),

    cancelRepair: (repairId) =>
      act(
        () => callApi((api) => api.repair.cancel({ repairId })),
        (repair) => upsertRepair(repair),
      ),

    showTestRun: (testRunId) => {
      set({ pinnedTestRunId: testRunId });
      syncDetail();
    },
  };
});
