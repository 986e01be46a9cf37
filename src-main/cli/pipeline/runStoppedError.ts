import { AppError } from '../../../src-shared/AppError.ts';
import type { RunView } from '../../../src-shared/pipeline/pipelineTypes.ts';
import { shellQuote } from '../shellQuote.ts';

/** `--project "<name>"` as a user would type it again (quoted for a shell). */
export function projectFlag(projectName: string): string {
  return `--project ${shellQuote(projectName)}`;
}

/** One line per file that was not written: `path: failed (why)` / `path: blocked (why)`. */
export function unfinishedFileLines(run: RunView): string[] {
  return run.files.filter((file) => file.status === 'failed' || file.status === 'blocked').map((file) => `${file.path}: ${file.status}${file.error ? ` (${file.error})` : ''}`);
}

/**
 * The user error for a run that stopped before it was done: why (the run's error and its failed
 * files, or that it was paused) and the command that goes on where it stopped.
 */
export function runStoppedError(run: RunView, projectName: string): AppError {
  const again = `service-creator generate ${projectFlag(projectName)}`;
  const progress = `${run.progress.done} of ${run.progress.total} files done`;
  switch (run.status) {
    case 'failed': {
      const files = unfinishedFileLines(run);
      const listed = files.length > 0 ? ` Not written: ${files.slice(0, 5).join('; ')}${files.length > 5 ? `; and ${files.length - 5} more` : ''}.` : '';
      const reason = (run.error ?? 'no reason was recorded').replace(/\s*Resume to try them again\.$/, '').replace(/\.$/, '');
      // Files that failed validation are the model's output; anything else is the model call itself.
      const code = run.files.some((file) => file.status === 'failed' && file.problems.length > 0) ? 'INVALID_OUTPUT' : 'PROVIDER_FAILED';
      return new AppError(code, `Run ${run.id} failed (${progress}): ${reason}.${listed} Run "${again}" to try again; finished files are kept.`);
    }
    case 'paused':
    case 'cancelled':
      return new AppError('CANCELLED', `Run ${run.id} is ${run.status} with ${progress}. Run "${again}" to go on where it stopped.`);
    case 'planning':
    case 'planned':
    case 'generating':
    case 'done':
      return new AppError('INTERNAL', `Run ${run.id} stopped working while ${run.status}`);
    default:
      return run.status satisfies never;
  }
}
