import { AppError } from '../../../src-shared/AppError.ts';
import type { SetupChoice } from '../../../src-shared/domain/setup.ts';
import type { CliContext } from '../CliContext.ts';
import { createByteProgress } from '../createProgress.ts';
import type { LinePrompt } from './LinePrompt.ts';

interface Progress {
  downloadId: string;
  state: string;
  downloadedBytes: number;
  totalBytes: number | null;
  message?: string;
}

const gb = (bytes: number): string => `${(bytes / 1024 ** 3).toFixed(1)} GiB`;

/**
 * The catalogue's recommended model for this machine (fit computed by the catalogue), confirmed,
 * downloaded with a progress bar (the same channel and events as the app), then offered as the
 * setup choice. Undefined when the user says no or nothing fits this machine.
 */
export async function downloadRecommended(ctx: CliContext, prompt: LinePrompt): Promise<SetupChoice | undefined> {
  ctx.output.notice('Reading the model catalogue and how each model fits this computer…');
  const catalog = await ctx.call('models.catalog');
  const entry = catalog.entries.find((candidate) => candidate.recommended);
  if (!entry || entry.fit.verdict === 'too-big') {
    ctx.io.stderr.write('No model in the catalogue fits this computer; a server on another machine or a cloud provider may.\n');
    return undefined;
  }
  ctx.io.stderr.write(`Recommended: ${entry.model.name} ${entry.file.quantization} (${gb(entry.file.sizeBytes)}, ${entry.fit.label}, context ${entry.fit.contextSize}). ${entry.why}\n`);
  const yes = await prompt.line('Download it now? [Y/n] ');
  if (/^n/i.test(yes)) return undefined;

  const before = new Set((await ctx.call('models.list')).map((model) => model.id));
  const progress = createByteProgress(ctx.output, ctx.io, `Downloading ${entry.model.name}`);
  let downloadId: string | undefined;
  let final: Progress | undefined;
  let unsubscribe: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    unsubscribe = ctx.core().bus.subscribe((event, payload) => {
      if (event !== 'models.downloadProgress') return;
      const update = payload as Progress;
      if (downloadId !== undefined && update.downloadId !== downloadId) return;
      progress.update(update.downloadedBytes, update.totalBytes);
      if (update.state === 'running') return;
      final = update;
      unsubscribe();
      resolve();
    });
  });
  try {
    downloadId = (await ctx.call('models.download', { uri: entry.file.uri })).downloadId;
    await finished;
  } finally {
    unsubscribe();
    progress.done();
  }
  if (final?.state !== 'done') throw new AppError(final?.state === 'cancelled' ? 'CANCELLED' : 'PROVIDER_FAILED', `The download did not finish (${final?.state ?? 'failed'}): ${final?.message ?? 'no reason given'}`);
  const added = (await ctx.call('models.list')).find((model) => !before.has(model.id));
  if (!added) throw new AppError('PROVIDER_FAILED', 'The download finished but no new model is in the models folder');
  return { kind: 'local-model', modelId: added.id };
}
