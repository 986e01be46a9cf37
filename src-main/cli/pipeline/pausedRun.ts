import type { RunView } from '../../../src-shared/pipeline/pipelineTypes.ts';
import { shellQuote } from '../shellQuote.ts';
import { projectFlag } from './runStoppedError.ts';

/** The `generate` flags a user gave that matter again when the run goes on. */
export interface GenerateFlags {
  out?: string;
  zip?: boolean;
  git?: boolean;
  force?: boolean;
  concurrency?: number;
  json?: boolean;
}

/**
 * The command that goes on with a paused run: the project by name (a `--spec` was imported into
 * it, `--new` would plan afresh, so neither is repeated) and the user's own export and concurrency
 * flags, `--out` as it was typed, every value quoted for a shell.
 */
export function resumeCommand(projectName: string, flags: GenerateFlags): string {
  const words = ['service-creator', 'generate', projectFlag(projectName)];
  if (flags.out !== undefined) words.push('--out', shellQuote(flags.out));
  if (flags.zip) words.push('--zip');
  if (flags.git) words.push('--git');
  if (flags.force) words.push('--force');
  if (flags.concurrency !== undefined) words.push('--concurrency', String(flags.concurrency));
  if (flags.json) words.push('--json');
  return words.join(' ');
}

/**
 * What a run stopped by the user says (not an error: nothing failed): "Paused: 4 of 9 files
 * done. Resume with: ..." and, after a second Ctrl+C, that the files in progress start over.
 */
export function pausedMessage(run: RunView, resume: string): string {
  const done = `${run.progress.done} of ${run.progress.total} files done`;
  return run.status === 'cancelled'
    ? `Stopped: ${done} (the files that were being written start over). Resume with: ${resume}`
    : `Paused: ${done}. Resume with: ${resume}`;
}
