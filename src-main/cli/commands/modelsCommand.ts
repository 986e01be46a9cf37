import { resolve } from 'node:path';
import { Command } from 'commander';
import type { CliContext } from '../CliContext.ts';
import { describeCatalog } from './describeCatalog.ts';
import { addModelDownloadCommands } from './modelDownloadCommands.ts';

export function modelsCommand(context: () => CliContext): Command {
  const models = new Command('models').description('local GGUF models for the llama.cpp provider');

  models
    .command('list')
    .description('list GGUF models with architecture, size and quantisation')
    .action(async () => {
      const ctx = context();
      const list = await ctx.call('models.list');
      if (ctx.output.json) {
        for (const model of list) ctx.output.result('model', { model }, '');
        return;
      }
      if (list.length === 0) {
        ctx.output.result('models', {}, 'No local models. Import a GGUF file (service-creator models import FILE) or pull one (service-creator models pull URL|hf:...).');
        return;
      }
      ctx.output.result(
        'models',
        {},
        list.map((m) => `${m.id}  ${m.architecture ?? '?'}  ${m.quantization ?? '?'}  ${(m.sizeBytes / 1024 ** 2).toFixed(1)} MiB  ctx ${m.contextLength ?? '?'}`).join('\n'),
      );
    });

  models
    .command('catalog')
    .description('the model catalogue with each file\'s fit for this machine (from its GGUF header, or estimated offline)')
    .option('--refresh', 'read every header again')
    .action(async (options: { refresh?: boolean }) => {
      const ctx = context();
      const catalog = await ctx.call('models.catalog', options.refresh === true ? { refresh: true } : undefined);
      ctx.output.result('catalog', { catalog }, describeCatalog(catalog));
    });

  models
    .command('import')
    .description('copy a GGUF file into the data folder (checked, with its sha256)')
    .argument('<file>', 'path to a .gguf file')
    .action(async (file: string) => {
      const ctx = context();
      // The core refuses relative paths (from the UI they would mean its working folder); here they mean the shell's.
      const model = await ctx.call('models.import', { path: resolve(file) });
      ctx.output.result('model', { model }, `Imported ${model.id} (${(model.sizeBytes / 1024 ** 2).toFixed(1)} MiB)`);
    });

  addModelDownloadCommands(models, context);

  return models;
}
