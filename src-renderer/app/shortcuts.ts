import { canAct, useConnectionStore } from '../features/connection/connectionStore.ts';
import { useNavigationStore } from '../features/navigation/navigationStore.ts';
import { usePipelineStore } from '../features/pipeline/pipelineStore.ts';

export interface Shortcut {
  /** The key as `KeyboardEvent.key` reports it. */
  key: string;
  /** How the help overlay names the key. */
  label: string;
  what: string;
  run: () => void;
}

/** Focuses an element once the view that holds it has rendered (it may be a lazy chunk). */
function focusSoon(selector: string): void {
  let tries = 0;
  const attempt = () => {
    const element = document.querySelector<HTMLElement>(selector);
    if (element) element.focus();
    else if (++tries < 40) setTimeout(attempt, 50);
  };
  attempt();
}

/** The run on the page, paused or resumed by its shortcut (only while it is in that state). */
function pauseOrResume(): void {
  if (!canAct(useConnectionStore.getState())) return;
  const pipeline = usePipelineStore.getState();
  const run = pipeline.runs.find((candidate) => candidate.id === pipeline.selectedRunId);
  if (run?.status === 'generating') void pipeline.pause();
  else if (run?.status === 'paused') void pipeline.resume();
}

/**
 * The app-wide keys (one key each, only when no field has the focus, so typing is never taken),
 * in the order the help overlay (`?`) lists them.
 */
export const shortcuts: readonly Shortcut[] = [
  {
    key: 'n',
    label: 'N',
    what: 'New project: the project list with its name field focused',
    run: () => {
      useNavigationStore.getState().show('projects');
      focusSoon('[data-testid=project-name-input]');
    },
  },
  { key: '1', label: '1', what: 'Go to Projects', run: () => useNavigationStore.getState().show('projects') },
  { key: '2', label: '2', what: 'Go to Providers', run: () => useNavigationStore.getState().show('providers') },
  { key: '3', label: '3', what: 'Go to Usage', run: () => useNavigationStore.getState().show('usage') },
  { key: '4', label: '4', what: 'Go to Settings', run: () => useNavigationStore.getState().show('settings') },
  { key: 'a', label: 'A', what: "Focus the interview's answer box", run: () => focusSoon('[data-testid=interview-pending] [data-testid=answer-text]') },
  { key: 'p', label: 'P', what: 'Pause or resume the run on screen', run: pauseOrResume },
];

/** True when a key press belongs to what the user is typing (a field, an editor), not to the app. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (target as HTMLInputElement).type;
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(type);
}
