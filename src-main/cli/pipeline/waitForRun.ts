import { AppError } from '../../../src-shared/AppError.ts';
import type { PipelineEvent, RunView } from '../../../src-shared/pipeline/pipelineTypes.ts';
import type { CliContext } from '../CliContext.ts';

export interface WaitOutcome {
  run: RunView;
  /** The user stopped the run (Ctrl+C or SIGTERM). */
  interrupted: boolean;
}

/**
 * Waits for a started run to stop working. The first stop request (Ctrl+C, SIGTERM: `io.waitForStop`)
 * pauses it: files being written finish and are kept, no new one starts, and this returns once
 * nothing is being written (a paused run in the files phase stays "working" in this process, so
 * `pipeline.wait` alone would not return). A second request cancels, dropping the files in progress.
 * Either way the run is resumable.
 */
export async function waitForRun(ctx: CliContext, runId: string, hooks: { onPausing: () => void; onCancelling: () => void }): Promise<WaitOutcome> {
  const waiting = ctx.call('pipeline.wait', { runId });
  // Still pending when the core closes after an interruption: its late failure means nothing.
  waiting.catch(() => undefined);
  const first = await Promise.race([waiting.then((run) => ({ run })), ctx.io.waitForStop().then(() => undefined)]);
  if (first) return { run: first.run, interrupted: false };

  hooks.onPausing();
  try {
    await ctx.call('pipeline.pause', { runId });
  } catch (error) {
    // It stopped on its own meanwhile (done, failed): report that.
    if (!(error instanceof AppError && error.code === 'CONFLICT')) throw error;
  }
  const watching = new AbortController();
  const outcome = await Promise.race([
    waiting.then(() => 'stopped' as const),
    untilNothingWritten(ctx, runId, watching.signal).then(() => 'idle' as const),
    ctx.io.waitForStop().then(() => 'cancel' as const),
  ]);
  watching.abort();
  if (outcome === 'cancel') {
    hooks.onCancelling();
    await ctx.call('pipeline.cancel', { runId }).catch(() => undefined);
    await waiting;
  }
  const run = await ctx.call('pipeline.get', { runId });
  return { run, interrupted: run.status !== 'done' };
}

/** Resolves once no file of the run is being written and the run is not generating; checks stop at `signal`. */
function untilNothingWritten(ctx: CliContext, runId: string, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    let checking = false;
    let again = false;
    const check = async (): Promise<void> => {
      if (checking) {
        again = true;
        return;
      }
      checking = true;
      try {
        do {
          again = false;
          if (signal.aborted) return;
          const run = await ctx.call('pipeline.get', { runId });
          if (run.status !== 'generating' && !run.files.some((file) => file.status === 'generating')) {
            unsubscribe();
            resolve();
            return;
          }
        } while (again);
      } catch (error) {
        unsubscribe();
        reject(error instanceof Error ? error : new Error(String(error)));
      } finally {
        checking = false;
      }
    };
    const unsubscribe = ctx.core().bus.subscribe((name, payload) => {
      if (name === 'pipeline.event' && (payload as PipelineEvent).runId === runId && (payload as PipelineEvent).kind === 'changed') void check();
    });
    signal.addEventListener('abort', unsubscribe, { once: true });
    void check();
  });
}
