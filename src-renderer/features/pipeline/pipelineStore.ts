import { create } from 'zustand';
import type { ChannelInput, ChannelOutput } from '../../../src-shared/contract.ts';
import type { Envelope, ErrorPayload } from '../../../src-shared/envelope.ts';
import type { Plan } from '../../../src-shared/pipeline/plan.ts';
import type { PipelineEvent, RunView } from '../../../src-shared/pipeline/pipelineTypes.ts';
import { callApi } from '../connection/callApi.ts';
import { useNavigationStore, type HistoryMode } from '../navigation/navigationStore.ts';
import { subscribeToCore } from '../connection/subscribeToCore.ts';
import { spacedCalls } from '../../ui/spacedCalls.ts';
import { createTextBatcher } from './createTextBatcher.ts';
import { applyBatch, emptyLive, type LiveText } from './liveText.ts';

export type ExportOptions = Omit<ChannelInput<'pipeline.export'>, 'runId'>;
export type ExportResult = ChannelOutput<'pipeline.export'>;

export interface PipelineStoreState {
  /** The project whose runs are open, or null. */
  projectId: string | null;
  /** Its runs, newest first. */
  runs: RunView[];
  status: 'loading' | 'ready' | 'failed';
  loadError: ErrorPayload | null;
  selectedRunId: string | null;
  /** This page's `pipeline.plan` call is in flight (the model is planning). */
  planning: boolean;
  /** Why this page's last `pipeline.plan` failed, until the next attempt. */
  planError: ErrorPayload | null;
  /** The selected run's files being written, as streamed so far (batched per animation frame). */
  live: Record<string, LiveText>;
  /** The file that started most recently: the live pane follows it unless a file is picked. */
  following: string | null;
  /** The file picked in the tree, or null. */
  selectedPath: string | null;
  /** Opens a project's runs: subscribes to pipeline events and loads them; returns the teardown. */
  open: (projectId: string) => () => void;
  load: () => Promise<void>;
  /** Reloads the open project's runs, if any (after a lost connection comes back). */
  reload: () => Promise<void>;
  /** Selects a run; a click is a history entry ('push'), an automatic choice is not ('replace'). */
  selectRun: (runId: string, mode?: HistoryMode) => void;
  selectFile: (path: string | null) => void;
  /** Asks the model for a plan: a new run, selected once it exists; `fresh`: none of its calls is answered from the response cache. */
  plan: (fresh?: boolean) => Promise<void>;
  /** Plans a new run as soon as this project's runs page opens ("Generate the service"); asking twice plans once. */
  planWhenOpen: (projectId: string) => void;
  updatePlan: (plan: Plan) => Promise<ErrorPayload | null>;
  start: (concurrency: number) => Promise<ErrorPayload | null>;
  pause: () => Promise<ErrorPayload | null>;
  resume: () => Promise<ErrorPayload | null>;
  /** Cancels the selected run (while planning: the planning). */
  cancel: () => Promise<ErrorPayload | null>;
  exportRun: (options: ExportOptions) => Promise<Envelope<ExportResult>>;
}

const notOpen: ErrorPayload = { code: 'INVALID_INPUT', message: 'No run is selected', retryable: false };

// Each open() starts a session; answers that arrive for an earlier session are dropped.
let session = 0;
// Only the newest `pipeline.list` may land.
let latestList = 0;
// The project whose runs page should plan a new run when it opens (set by "Generate the service").
let planOnOpen: string | null = null;
// One `pipeline.get` in flight per run; events during it ask for one more afterwards.
const refreshing = new Map<string, 'running' | 'again'>();
/** How often runs another process works on (the CLI's `generate`) are listed again at most, however fast it writes. */
const elsewhereGapMs = 1500;

export const usePipelineStore = create<PipelineStoreState>()((set, get) => {
  const isCurrent = (mine: number) => mine === session && get().projectId !== null;

  const batcher = createTextBatcher((batches) => {
    set((state) => {
      const live = { ...state.live };
      for (const [path, batch] of batches) live[path] = applyBatch(live[path], batch);
      return { live };
    });
  });

  const upsert = (run: RunView) => {
    if (run.projectId !== get().projectId) return;
    set((state) => {
      const known = state.runs.some((candidate) => candidate.id === run.id);
      const runs = known ? state.runs.map((candidate) => (candidate.id === run.id ? run : candidate)) : [run, ...state.runs];
      return { runs };
    });
  };

  const refreshRun = async (runId: string) => {
    if (refreshing.has(runId)) {
      refreshing.set(runId, 'again');
      return;
    }
    const mine = session;
    try {
      do {
        refreshing.set(runId, 'running');
        const result = await callApi((api) => api.pipeline.get({ runId }));
        if (!isCurrent(mine)) return;
        if (result.ok) upsert(result.value);
      } while (refreshing.get(runId) === 'again');
    } finally {
      refreshing.delete(runId);
    }
  };

  const withRun = async (call: (runId: string) => Promise<Envelope<RunView>>): Promise<ErrorPayload | null> => {
    const runId = get().selectedRunId;
    if (runId === null) return notOpen;
    const mine = session;
    const result = await call(runId);
    if (!isCurrent(mine)) return null;
    if (!result.ok) {
      // The run moved on meanwhile (another window, it finished): show where it is now.
      void refreshRun(runId);
      return result.error;
    }
    upsert(result.value);
    return null;
  };

  const onEvent = (event: PipelineEvent) => {
    const state = get();
    if (state.projectId === null) return;
    if (!state.runs.some((run) => run.id === event.runId)) {
      // A run this page has not seen: a new one of this project (planning), or another project's.
      if (event.kind === 'changed') void get().load();
      return;
    }
    const selected = event.runId === state.selectedRunId;
    switch (event.kind) {
      case 'file-text':
        if (selected) batcher.append(event.path, event.text);
        return;
      case 'file-restart':
        if (selected) batcher.reset(event.path);
        return;
      case 'file-started':
        if (selected) {
          batcher.flush();
          set((current) => ({ following: event.path, live: { ...current.live, [event.path]: emptyLive((current.live[event.path]?.attempt ?? 0) + 1) } }));
        }
        void refreshRun(event.runId);
        return;
      case 'file-done':
        if (selected) {
          batcher.flush();
          set((current) => {
            const { [event.path]: _finished, ...live } = current.live;
            // Follow another file still being written (the latest started), if any.
            return { live, following: current.following === event.path ? (Object.keys(live).at(-1) ?? null) : current.following };
          });
        }
        void refreshRun(event.runId);
        return;
      case 'changed':
      case 'validation':
      case 'consistency':
        void refreshRun(event.runId);
        return;
      default:
        event satisfies never;
    }
  };

  const clearLive = () => {
    batcher.dispose();
    return { live: {}, following: null, selectedPath: null };
  };

  return {
    projectId: null,
    runs: [],
    status: 'loading',
    loadError: null,
    selectedRunId: null,
    planning: false,
    planError: null,
    live: {},
    following: null,
    selectedPath: null,

    open: (projectId) => {
      const mine = ++session;
      // The run and file come from the address (a reload, Back/Forward, a deep link).
      const place = useNavigationStore.getState();
      const onThisPage = place.projectId === projectId && place.projectPage === 'pipeline';
      set({ projectId, runs: [], status: 'loading', loadError: null, selectedRunId: onThisPage ? place.runId : null, planning: false, planError: null, ...clearLive() });
      if (onThisPage) set({ selectedPath: place.file });
      const stopEvents = subscribeToCore('pipeline.event', onEvent);
      // Runs another process created or moved on: listed again, at most every elsewhereGapMs.
      const elsewhere = spacedCalls(() => {
        if (mine === session) void get().load();
      }, elsewhereGapMs);
      const stopElsewhere = subscribeToCore('pipeline.runChanged', (changed) => {
        if (changed.projectId === projectId && mine === session) elsewhere.request();
      });
      const stopPlace = useNavigationStore.subscribe((next) => {
        if (next.projectId !== projectId || next.projectPage !== 'pipeline' || mine !== session) return;
        if (next.runId !== null && next.runId !== get().selectedRunId) set({ selectedRunId: next.runId, ...clearLive() });
        if (next.file !== get().selectedPath) set({ selectedPath: next.file });
      });
      const stop = () => {
        stopEvents();
        stopElsewhere();
        elsewhere.stop();
        stopPlace();
      };
      if (planOnOpen === projectId) {
        planOnOpen = null;
        void get().plan();
      }
      void get().load();
      return () => {
        stop();
        if (mine === session) set({ projectId: null, runs: [], selectedRunId: null, planning: false, planError: null, ...clearLive() });
      };
    },

    load: async () => {
      const projectId = get().projectId;
      if (projectId === null) return;
      const mine = session;
      const request = ++latestList;
      const result = await callApi((api) => api.pipeline.list({ projectId }));
      if (!isCurrent(mine) || request !== latestList) return;
      if (!result.ok) {
        set((state) => ({ loadError: result.error, status: state.status === 'ready' ? 'ready' : 'failed' }));
        return;
      }
      const runs = result.value;
      const { selectedRunId, planning } = get();
      const newest = runs[0];
      let selected = runs.some((run) => run.id === selectedRunId) ? selectedRunId : (newest?.id ?? null);
      // While this page plans, the new run shows as soon as it exists.
      if (planning && newest?.status === 'planning') selected = newest.id;
      set({ runs, status: 'ready', loadError: null });
      if (selected !== selectedRunId) {
        if (selected === null) set({ selectedRunId: null, ...clearLive() });
        else get().selectRun(selected, 'replace');
      }
    },

    reload: async () => {
      if (get().projectId === null) return;
      await get().load();
    },

    selectRun: (runId, mode = 'push') => {
      if (runId !== get().selectedRunId) set({ selectedRunId: runId, ...clearLive() });
      useNavigationStore.getState().selectRun(runId, mode);
    },

    selectFile: (path) => {
      set({ selectedPath: path });
      useNavigationStore.getState().selectFile(path);
    },

    plan: async (fresh = false) => {
      const projectId = get().projectId;
      if (projectId === null || get().planning) return;
      const mine = session;
      set({ planning: true, planError: null });
      const result = await callApi((api) => api.pipeline.plan({ projectId, ...(fresh ? { fresh: true } : {}) }));
      if (!isCurrent(mine)) return;
      set({ planning: false });
      if (result.ok) {
        upsert(result.value);
        get().selectRun(result.value.id, 'replace');
      } else {
        set({ planError: result.error });
        // A failed plan leaves a failed run behind (unless the spec was refused): list it.
        void get().load();
      }
    },

    planWhenOpen: (projectId) => {
      planOnOpen = projectId;
    },

    updatePlan: (plan) => withRun((runId) => callApi((api) => api.pipeline.updatePlan({ runId, plan }))),
    start: (concurrency) => withRun((runId) => callApi((api) => api.pipeline.start({ runId, concurrency }))),
    pause: () => withRun((runId) => callApi((api) => api.pipeline.pause({ runId }))),
    resume: () => withRun((runId) => callApi((api) => api.pipeline.resume({ runId }))),
    cancel: () => withRun((runId) => callApi((api) => api.pipeline.cancel({ runId }))),

    exportRun: async (options) => {
      const runId = get().selectedRunId;
      if (runId === null) return { ok: false, error: notOpen };
      return callApi((api) => api.pipeline.export({ runId, ...options }));
    },
  };
});
