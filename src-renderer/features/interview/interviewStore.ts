import { create } from 'zustand';
import type { SpecDraft } from '../../../src-shared/domain/serviceSpec.ts';
import type { Envelope, ErrorPayload } from '../../../src-shared/envelope.ts';
import type { SlotId } from '../../../src-shared/interview/interviewSlots.ts';
import type { AnswerInput, InterviewEvent, InterviewState } from '../../../src-shared/interview/interviewTypes.ts';
import { callApi } from '../connection/callApi.ts';
import { subscribeToCore } from '../connection/subscribeToCore.ts';
import { spacedCalls } from '../../ui/spacedCalls.ts';

export interface SpecView {
  spec: SpecDraft;
  check: InterviewState['check'];
}

export interface InterviewStoreState {
  /** The project whose interview is open, or null. */
  projectId: string | null;
  /** The core's view of the interview; null until the first answer arrives. */
  interview: InterviewState | null;
  loadError: ErrorPayload | null;
  /** This page's `interview.next` call is in flight (the model is writing a question). */
  asking: boolean;
  /** The explanation of the question being written, as streamed so far. */
  streamed: string;
  /** Why this page's last `interview.next` failed, until the next attempt (CANCELLED after Cancel). */
  askError: ErrorPayload | null;
  /** The fields the last edit cleared, shown under the edited turn. */
  lastEdit: { turnId: number; cleared: SlotId[] } | null;
  /** Opens a project's interview: subscribes to its events and loads it; returns the teardown. */
  open: (projectId: string) => () => void;
  /** Fetches the state again; with `autoAsk`, asks for a question when one is due and none is pending. */
  load: (autoAsk?: boolean) => Promise<void>;
  /** Reloads the open interview, if any (after a lost connection comes back). */
  reload: () => Promise<void>;
  /** Asks the model for the next question (or gets the pending one). */
  ask: () => Promise<void>;
  answer: (turnId: number, answer: AnswerInput) => Promise<ErrorPayload | null>;
  edit: (turnId: number, answer: AnswerInput) => Promise<ErrorPayload | null>;
  cancel: () => Promise<void>;
  reset: () => Promise<ErrorPayload | null>;
  setSpec: (spec: SpecDraft) => Promise<ErrorPayload | null>;
  importSpec: (json: string) => Promise<Envelope<SpecView & { migratedFrom?: number; dropped: string[] }>>;
  exportSpec: () => Promise<Envelope<{ fileName: string; json: string }>>;
}

const notOpen: ErrorPayload = { code: 'INVALID_INPUT', message: 'No project is open', retryable: false };

// Each open() starts a session; answers that arrive for an earlier session are dropped.
let session = 0;
// Only the newest `interview.get` may land, so a slow early answer cannot overwrite a newer one.
let latestGet = 0;
// Start over during a model call cancels that call: once it has ended, ask again (not "Stopped").
let askAgain = false;
/** How often an interview another process answers (the CLI's `interview --answers`) is fetched again at most. */
const elsewhereGapMs = 1500;

/** Whether the interview waits for a new question that nobody has asked for yet. */
function needsQuestion(state: InterviewState): boolean {
  return !state.done && state.pending === null && state.lastError === null;
}

export const useInterviewStore = create<InterviewStoreState>()((set, get) => {
  const isCurrent = (mine: number) => mine === session && get().projectId !== null;

  /** Stores a state that came from the core; a question that arrived ends the streamed text. */
  const apply = (interview: InterviewState) => {
    set((current) => ({ interview, streamed: interview.pending !== null && !current.asking ? '' : current.streamed }));
  };

  const onEvent = (projectId: string, event: InterviewEvent) => {
    if (event.projectId !== projectId || get().projectId !== projectId) return;
    switch (event.kind) {
      case 'explanation':
        set({ streamed: event.text });
        return;
      case 'restart':
        set({ streamed: '' });
        return;
      case 'changed':
        void get().load();
        return;
      default:
        event satisfies never;
    }
  };

  /** After a change the user made: fetch the state and ask for a question when one is due. */
  const continueInterview = (state: InterviewState) => {
    if (!state.done && state.pending === null) void get().ask();
  };

  return {
    projectId: null,
    interview: null,
    loadError: null,
    asking: false,
    streamed: '',
    askError: null,
    lastEdit: null,

    open: (projectId) => {
      const mine = ++session;
      askAgain = false;
      set({ projectId, interview: null, loadError: null, asking: false, streamed: '', askError: null, lastEdit: null });
      const stop = subscribeToCore('interview.event', (event) => {
        onEvent(projectId, event);
      });
      // Questions another process asked or answered: fetched again (what is typed for a question still pending stays: AnswerForm keeps it by turn), at most every elsewhereGapMs.
      const elsewhere = spacedCalls(() => {
        if (mine === session) void get().load();
      }, elsewhereGapMs);
      const stopElsewhere = subscribeToCore('interview.turnsChanged', (changed) => {
        if (changed.projectId === projectId && mine === session) elsewhere.request();
      });
      void get().load(true);
      return () => {
        stop();
        stopElsewhere();
        elsewhere.stop();
        if (mine === session) set({ projectId: null, interview: null, asking: false, streamed: '', askError: null, lastEdit: null });
      };
    },

    load: async (autoAsk = false) => {
      const projectId = get().projectId;
      if (projectId === null) return;
      const mine = session;
      const request = ++latestGet;
      const result = await callApi((api) => api.interview.get({ projectId }));
      if (!isCurrent(mine) || request !== latestGet) return;
      if (!result.ok) {
        set({ loadError: result.error });
        return;
      }
      set({ loadError: null });
      apply(result.value);
      if (autoAsk && needsQuestion(result.value)) void get().ask();
    },

    reload: async () => {
      if (get().projectId !== null) await get().load();
    },

    ask: async () => {
      const projectId = get().projectId;
      if (projectId === null || get().asking) return;
      const mine = session;
      set({ asking: true, askError: null, streamed: '' });
      const result = await callApi((api) => api.interview.next({ projectId }));
      if (!isCurrent(mine)) return;
      set({ asking: false });
      if (askAgain) {
        askAgain = false;
        void get().ask();
        return;
      }
      if (result.ok) {
        set({ streamed: '' });
        apply(result.value);
      } else {
        set({ askError: result.error });
        // The failure is stored with the state (lastError); fetch it so both agree.
        void get().load();
      }
    },

    answer: async (turnId, answer) => {
      const projectId = get().projectId;
      if (projectId === null) return notOpen;
      const mine = session;
      const result = await callApi((api) => api.interview.answer({ projectId, turnId, answer }));
      if (!isCurrent(mine)) return null;
      if (!result.ok) {
        if (result.error.code === 'CONFLICT' || result.error.code === 'NOT_FOUND') void get().load();
        return result.error;
      }
      set({ lastEdit: null });
      apply(result.value);
      continueInterview(result.value);
      return null;
    },

    edit: async (turnId, answer) => {
      const projectId = get().projectId;
      if (projectId === null) return notOpen;
      const mine = session;
      const result = await callApi((api) => api.interview.edit({ projectId, turnId, answer }));
      if (!isCurrent(mine)) return null;
      if (!result.ok) {
        if (result.error.code === 'CONFLICT' || result.error.code === 'NOT_FOUND') void get().load();
        return result.error;
      }
      set({ lastEdit: { turnId, cleared: result.value.cleared } });
      apply(result.value.state);
      continueInterview(result.value.state);
      return null;
    },

    cancel: async () => {
      const projectId = get().projectId;
      if (projectId === null) return;
      await callApi((api) => api.interview.cancel({ projectId }));
    },

    reset: async () => {
      const projectId = get().projectId;
      if (projectId === null) return notOpen;
      const mine = session;
      const result = await callApi((api) => api.interview.reset({ projectId }));
      if (!isCurrent(mine)) return null;
      if (!result.ok) return result.error;
      set({ lastEdit: null, askError: null });
      apply(result.value);
      if (get().asking) askAgain = true;
      else continueInterview(result.value);
      return null;
    },

    setSpec: async (spec) => {
      const projectId = get().projectId;
      if (projectId === null) return notOpen;
      const mine = session;
      const result = await callApi((api) => api.spec.set({ projectId, spec }));
      if (!isCurrent(mine)) return null;
      if (!result.ok) return result.error;
      const current = get().interview;
      if (current) set({ interview: { ...current, spec: result.value.spec, check: result.value.check } });
      // A pending question about a field the edit filled is dropped: ask for the next one.
      void get().load(true);
      return null;
    },

    importSpec: async (json) => {
      const projectId = get().projectId;
      if (projectId === null) return { ok: false, error: notOpen };
      const mine = session;
      const result = await callApi((api) => api.spec.import({ projectId, json }));
      if (!isCurrent(mine) || !result.ok) return result;
      const current = get().interview;
      if (current) set({ interview: { ...current, spec: result.value.spec, check: result.value.check } });
      void get().load(true);
      return result;
    },

    exportSpec: async () => {
      const projectId = get().projectId;
      if (projectId === null) return { ok: false, error: notOpen };
      return callApi((api) => api.spec.export({ projectId }));
    },
  };
});
