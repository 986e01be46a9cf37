import type { Command } from 'commander';
import { AppError } from '../../../src-shared/AppError.ts';
import type { EventPayload } from '../../../src-shared/contract.ts';
import { CliExit, pausedExitCode } from '../CliExit.ts';
import type { CliContext } from '../CliContext.ts';
import { createByteProgress } from '../createProgress.ts';

type DownloadProgress = EventPayload<'models.downloadProgress'>;

const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(1)} MiB`;

/**
 * Follows one download to its end on the terminal: a bar with MiB, speed and time left; Ctrl+C
 * pauses it (the partial file is kept) and exits 130 with the command that resumes it.
 */
async function follow(ctx: CliContext, label: string, start: () => Promise<{ downloadId: string; done: Promise<void> }>, resumeHint: string): Promise<DownloadProgress> {
  const core = ctx.core();
  const progress = createByteProgress(ctx.output, ctx.io, label);
  let downloadId: string | undefined;
  let final: DownloadProgress | undefined;
  const unsubscribe = core.bus.subscribe((event, payload) => {
    if (event !== 'models.downloadProgress') return;
    const update = payload as DownloadProgress;
    if (downloadId !== undefined && update.downloadId !== downloadId) return;
    progress.update(update.downloadedBytes, update.totalBytes, update);
    if (update.state !== 'running') final = update;
  });
  const onSignal = () => {
    if (downloadId !== undefined) core.models.pause(downloadId);
  };
  process.once('SIGINT', onSignal);
  try {
    const started = await start();
    downloadId = started.downloadId;
    await started.done;
  } finally {
    unsubscribe();
    progress.done();
    process.off('SIGINT', onSignal);
  }
  if (final?.state === 'paused') {
    const message = `Paused at ${mib(final.downloadedBytes)}${final.totalBytes === null ? '' : ` of ${mib(final.totalBytes)}`}; the partial file is kept. Resume with: ${resumeHint}`;
    ctx.output.event('paused', { downloadId: final.downloadId, message });
    ctx.output.notice(message);
    throw new CliExit(pausedExitCode, message);
  }
  if (final?.state !== 'done') {
    const resumable = final?.resumable ? ` The partial file is kept: ${resumeHint} fetches the rest.` : '';
    throw new AppError(final?.state === 'cancelled' ? 'CANCELLED' : 'PROVIDER_FAILED', `Download ${final?.state ?? 'failed'}: ${final?.message ?? 'no reason given'}${resumable}`);
  }
  return final;
}

/** `models pull`, `downloads`, `resume`, `cancel` and `remove`: downloads a user can pause, resume and check. */
export function addModelDownloadCommands(models: Command, context: () => CliContext): void {
  models
    .command('pull')
    .description('download a catalogue model (an ID from `models catalog`, checked against its size and sha256) or a GGUF by https:// or hf: address; Ctrl+C pauses, the same command resumes')
    .argument('<id-or-uri>', 'MODEL:QUANT from `models catalog`, https://.../file.gguf, hf:<user>/<repo>/<file>.gguf or hf:<user>/<repo>:<quant>')
    .action(async (idOrUri: string) => {
      const ctx = context();
      const final = await follow(ctx, `Pulling ${idOrUri}`, () => ctx.core().models.pull(idOrUri), `service-creator models pull ${idOrUri}`);
      ctx.output.result('pulled', { uri: final.uri, fileName: final.fileName ?? null }, `Downloaded ${final.fileName ?? final.uri} (${mib(final.downloadedBytes)}), checked`);
    });

  models
    .command('downloads')
    .description('list paused downloads (kept across restarts) with their IDs')
    .action(async () => {
      const ctx = context();
      const list = await ctx.call('models.downloads');
      if (ctx.output.json) {
        for (const download of list) ctx.output.result('download', { download }, '');
        return;
      }
      if (list.length === 0) {
        ctx.output.result('downloads', {}, 'No paused downloads.');
        return;
      }
      const lines = list.map((d) => `${d.downloadId}  ${d.state}  ${d.fileName ?? '?'}  ${mib(d.downloadedBytes)}${d.totalBytes === null ? '' : ` of ${mib(d.totalBytes)}`}  ${d.uri}`);
      ctx.output.result('downloads', {}, `${lines.join('\n')}\nResume: service-creator models resume ID · delete the partial file: service-creator models cancel ID`);
    });

  models
    .command('resume')
    .description('resume a paused download by its ID (from `models downloads`): only the rest is fetched')
    .argument('<id>', 'download ID')
    .action(async (id: string) => {
      const ctx = context();
      const final = await follow(ctx, `Resuming ${id}`, () => ctx.core().models.resume(id), `service-creator models resume ${id}`);
      ctx.output.result('pulled', { uri: final.uri, fileName: final.fileName ?? null }, `Downloaded ${final.fileName ?? final.uri} (${mib(final.downloadedBytes)}), checked`);
    });

  models
    .command('cancel')
    .description('forget a paused download and delete its partial file')
    .argument('<id>', 'download ID')
    .action(async (id: string) => {
      const ctx = context();
      await ctx.call('models.cancelDownload', { downloadId: id });
      ctx.output.result('cancelled', { downloadId: id }, `Cancelled ${id}; its partial file was deleted`);
    });

  models
    .command('remove')
    .description("delete a model from the app's models folder; refused while the routing uses it unless --force (the message names those tasks)")
    .argument('<name>', 'model file name, as `models list` shows it')
    .option('--force', 'delete it even though routing targets use it (those tasks then skip it)')
    .action(async (name: string, options: { force?: boolean }) => {
      const ctx = context();
      const removed = await ctx.call('models.remove', { id: name, ...(options.force ? { force: true } : {}) });
      const uses = removed.usedBy.map((use) => `${use.task} (${use.providerId})`).join(', ');
      ctx.output.result('removed', { removed }, uses === '' ? `Removed ${removed.id}` : `Removed ${removed.id}; the routing of ${uses} still names it: those tasks skip it until you change them`);
    });
}
