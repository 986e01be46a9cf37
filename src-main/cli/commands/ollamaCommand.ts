import { Command } from 'commander';
import { AppError } from '../../../src-shared/AppError.ts';
import { ollamaModelNameSchema, type OllamaModel, type OllamaPullProgress, type OllamaStatus } from '../../../src-shared/domain/ollama.ts';
import { type CliContext, usageError } from '../CliContext.ts';
import { CliExit, stopSignals, stoppedExitCode } from '../CliExit.ts';
import { createByteProgress } from '../createProgress.ts';


interface ProviderOption {
  provider?: string;
}

function modelName(text: string): string {
  const parsed = ollamaModelNameSchema.safeParse(text);
  if (!parsed.success) throw usageError(`"${text.slice(0, 80)}": ${parsed.error.issues[0]?.message ?? 'not an Ollama model name'}`);
  return parsed.data;
}

const gib = (bytes: number): string => (bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GiB` : `${Math.max(1, Math.round(bytes / 1024 ** 2))} MiB`);

function describeModel(model: OllamaModel): string {
  const facts = [
    gib(model.sizeBytes),
    ...(model.parameterSize ? [`${model.parameterSize} parameters`] : []),
    ...(model.quantization ? [model.quantization] : []),
    model.contextLength === undefined ? 'context not reported' : `context ${model.contextLength.toLocaleString('en-US')} tokens`,
    ...(model.fit ? [`${model.fit.label} here${model.fit.verdict === 'too-big' ? '' : ` with ${model.fit.contextSize.toLocaleString('en-US')} tokens`}`] : []),
  ];
  return `${model.name}  ${facts.join(', ')}`;
}

/** Refuses to go on when Ollama is not running, with the status's own words. */
function requireRunning(status: OllamaStatus): void {
  if (!status.running) throw new AppError('PROVIDER_FAILED', status.message);
}

/**
 * `service-creator ollama status|list|pull NAME|rm NAME`: Ollama's models managed from here,
 * through the same service as the ollama.* channels. The server is the configured Ollama
 * provider's (`--provider ID`, else the first), else Ollama's default address.
 */
export function ollamaCommand(context: () => CliContext): Command {
  const ollama = new Command('ollama').description("Ollama's models: whether it runs, what it has, pull and remove");

  ollama
    .command('status')
    .description('whether Ollama is running, and where')
    .option('--provider <id>', 'the Ollama provider whose address to use')
    .action(async (options: ProviderOption) => {
      const ctx = context();
      const status = await ctx.call('ollama.status', options.provider ? { providerId: options.provider } : undefined);
      requireRunning(status); // exit 1 with the words when it is not running, for scripts
      ctx.output.result('ollama-status', { status }, status.message);
    });

  ollama
    .command('list')
    .description('installed models with size, parameters, quantisation and context length')
    .option('--provider <id>', 'the Ollama provider whose address to use')
    .action(async (options: ProviderOption) => {
      const ctx = context();
      const { status, models } = await ctx.call('ollama.models', options.provider ? { providerId: options.provider } : undefined);
      requireRunning(status);
      if (ctx.output.json) {
        for (const model of models) ctx.output.result('ollama-model', { model }, '');
        return;
      }
      ctx.output.result('ollama-models', {}, models.length === 0 ? `${status.message}; it has no models yet: service-creator ollama pull qwen2.5-coder:7b` : models.map(describeModel).join('\n'));
    });

  ollama
    .command('pull')
    .description('download a model into Ollama, with progress (Ctrl-C cancels)')
    .argument('<name>', 'e.g. qwen2.5-coder:7b')
    .option('--provider <id>', 'the Ollama provider whose address to use')
    .action(async (text: string, options: ProviderOption) => {
      const ctx = context();
      const name = modelName(text);
      const core = ctx.core();
      requireRunning(await core.ollama.status(options.provider));
      const progress = createByteProgress(ctx.output, ctx.io, `Pulling ${name}`);
      let lastStatus = '';
      const unsubscribe = core.bus.subscribe((event, payload) => {
        if (event !== 'ollama.pullProgress') return;
        const update = payload as OllamaPullProgress;
        if (update.name !== name) return;
        if (ctx.output.json && update.status !== lastStatus) ctx.output.event('ollama-step', { name, status: update.status });
        lastStatus = update.status;
        progress.update(update.completedBytes, update.totalBytes);
      });
      const pull = core.ollama.pull(name, options.provider);
      // Ctrl+C, a closed terminal or a kill: the pull is cancelled, and the command ends as a stopped one does (130).
      let stoppedBy: NodeJS.Signals | undefined;
      const onSignal = (signal: NodeJS.Signals): void => {
        stoppedBy ??= signal;
        core.ollama.cancelPull(pull.pullId);
      };
      for (const signal of stopSignals) process.on(signal, onSignal);
      let final: OllamaPullProgress;
      try {
        final = await pull.done;
      } finally {
        unsubscribe();
        progress.done();
        for (const signal of stopSignals) process.off(signal, onSignal);
      }
      if (final.state === 'cancelled' && stoppedBy !== undefined) {
        ctx.output.error('CANCELLED', `Stopped${stoppedBy === 'SIGINT' ? ' (Ctrl+C)' : ''}: the pull of ${name} was cancelled.`);
        throw new CliExit(stoppedExitCode, 'pull stopped');
      }
      if (final.state === 'cancelled') throw new AppError('CANCELLED', final.message ?? `The pull of ${name} was cancelled`);
      if (final.state !== 'done') throw new AppError('PROVIDER_FAILED', final.message ?? `The pull of ${name} failed`);
      ctx.output.result('ollama-pulled', { name, bytes: final.completedBytes }, `Pulled ${name} into Ollama`);
    });

  ollama
    .command('rm')
    .description('remove a model from Ollama')
    .argument('<name>', 'e.g. qwen2.5-coder:7b')
    .option('--provider <id>', 'the Ollama provider whose address to use')
    .action(async (text: string, options: ProviderOption) => {
      const ctx = context();
      const name = modelName(text);
      await ctx.call('ollama.delete', { name, ...(options.provider ? { providerId: options.provider } : {}) });
      ctx.output.result('ollama-removed', { name }, `Removed ${name} from Ollama`);
    });

  return ollama;
}
