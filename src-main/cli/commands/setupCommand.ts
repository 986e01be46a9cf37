import { resolve } from 'node:path';
import { Command } from 'commander';
import { AppError } from '../../../src-shared/AppError.ts';
import type { SetupApplyResult, SetupChoice, SetupDetection } from '../../../src-shared/domain/setup.ts';
import type { CliContext } from '../CliContext.ts';
import { readSecret } from '../readSecret.ts';
import { describeDetection } from '../setup/describeDetection.ts';
import { downloadRecommended } from '../setup/downloadRecommended.ts';
import { LinePrompt } from '../setup/LinePrompt.ts';

interface SetupOptions {
  detect?: boolean;
  skip?: boolean;
}

/** One entry of the menu: what it says and what choosing it does (resolves the choice, or undefined to ask again). */
interface MenuEntry {
  label: string;
  pick: () => Promise<SetupChoice | 'skip' | undefined>;
}

export function setupCommand(context: () => CliContext): Command {
  return new Command('setup')
    .description('first-run setup: find model servers on this computer, pick a model, route every task to it and check it answers')
    .option('--detect', 'only look (hardware, model servers on 127.0.0.1 and ::1) and print what was found; changes nothing')
    .option('--skip', 'do not set up now (the app stops offering its first-run screen)')
    .action(async (options: SetupOptions) => {
      const ctx = context();
      if (options.skip) {
        const status = await ctx.call('setup.skip');
        ctx.output.result('setup-status', { status }, 'Setup skipped: add a model any time with "service-creator setup" or in Providers.');
        return;
      }
      if (!ctx.output.json) ctx.output.notice('Looking at this computer and for model servers on 127.0.0.1 and ::1…');
      const detection = await ctx.call('setup.detect');
      if (options.detect) {
        ctx.output.result('setup-detection', { detection }, describeDetection(detection));
        return;
      }
      if (!ctx.output.json) ctx.io.stderr.write(`${describeDetection(detection)}\n\n`);
      const prompt = new LinePrompt(ctx.io);
      try {
        const choice = await ask(ctx, prompt, detection);
        if (choice === 'skip') {
          const status = await ctx.call('setup.skip');
          ctx.output.result('setup-status', { status }, 'Setup skipped: add a model any time with "service-creator setup" or in Providers.');
          return;
        }
        ctx.output.notice('Setting up the routing and asking the model for a one-line test answer…');
        const result = await ctx.call('setup.apply', { choice });
        ctx.output.result('setup-applied', { result }, describeResult(result));
        if (!result.test.ok) throw new AppError('PROVIDER_FAILED', `The routing is in place, but ${result.model} did not answer the test: check that its server is running`);
      } finally {
        prompt.close();
      }
    });
}

/** The menu: detected servers, GGUF files already here, download, import, cloud, skip. */
async function ask(ctx: CliContext, prompt: LinePrompt, detection: SetupDetection): Promise<SetupChoice | 'skip'> {
  const entries: MenuEntry[] = [];
  for (const server of detection.servers) {
    entries.push({
      label: `Use ${server.name} at ${server.baseUrl}${server.models.length === 0 ? ' (it lists no models: load one in it first)' : ''}`,
      pick: async () => {
        if (server.models.length === 0) {
          ctx.io.stderr.write(`${server.name} lists no models; load or pull one in it, then run setup again.\n`);
          return undefined;
        }
        const index = server.models.length === 1 ? 0 : await prompt.choose(`Which model of ${server.name}?`, server.models.map((model) => model.id + (model.contextLength ? ` (context ${model.contextLength})` : '')));
        const model = server.models[index]?.id ?? '';
        return { kind: 'server', serverKind: server.kind, baseUrl: server.baseUrl, providerType: server.providerType, model };
      },
    });
  }
  for (const model of await ctx.call('models.list')) {
    entries.push({ label: `Use ${model.id} (a GGUF file already in the models folder)`, pick: () => Promise.resolve({ kind: 'local-model', modelId: model.id }) });
  }
  entries.push({
    label: detection.catalogue ? 'Download the model recommended for this computer (from Hugging Face)' : 'Download a recommended model (not available in this version yet)',
    pick: () => {
      if (detection.catalogue) return downloadRecommended(ctx, prompt);
      ctx.io.stderr.write('The catalogue of recommended models is not available in this version yet: download a GGUF with "service-creator models pull hf:…", or import one.\n');
      return Promise.resolve(undefined);
    },
  });
  entries.push({
    label: 'Import a GGUF file from this computer',
    pick: async () => {
      const path = await prompt.line('Path of the .gguf file: ');
      if (path === '') return undefined;
      ctx.output.notice('Importing (the file is checked and copied into the models folder)…');
      const model = await ctx.call('models.import', { path: resolve(path) });
      return { kind: 'local-model', modelId: model.id };
    },
  });
  if (detection.cloudAllowed) entries.push({ label: 'Add a cloud provider (needs an API key; prompts leave this computer)', pick: () => addCloud(ctx, prompt) });
  else ctx.io.stderr.write('Cloud providers are not offered: the privacy mode is Local only (service-creator settings set privacyMode local-first to allow them).\n');
  entries.push({ label: 'Skip for now', pick: () => Promise.resolve('skip') });
  for (;;) {
    const index = await prompt.choose('How should Service Creator reach a model?', entries.map((entry) => entry.label));
    const picked = await entries[index]?.pick();
    if (picked !== undefined) return picked;
  }
}

/** A cloud provider: its type, a model, the key (never shown), added through providers.add. */
async function addCloud(ctx: CliContext, prompt: LinePrompt): Promise<SetupChoice | undefined> {
  const cloudTypes = ctx.providerTypes.infos().filter((info) => !info.local && info.key !== 'none');
  if (cloudTypes.length === 0) return undefined;
  const type = cloudTypes[await prompt.choose('Which provider?', cloudTypes.map((info) => info.label))];
  if (!type) return undefined;
  const model = await prompt.line(`Model to use (as ${type.label} names it): `);
  if (model === '') return undefined;
  const envKey = type.envVar === undefined ? undefined : ctx.io.env[type.envVar];
  const apiKey = envKey ? undefined : await readSecret(ctx.io, `API key for ${type.label} (stored in the OS keychain; not shown as you type): `);
  if (!envKey && !apiKey) {
    ctx.io.stderr.write('No key was entered; nothing was added.\n');
    return undefined;
  }
  const existing = new Set(ctx.core().providers.stored().providers.map((provider) => provider.id));
  let id = type.type;
  for (let n = 2; existing.has(id); n += 1) id = `${type.type}-${n}`;
  const config = { id, type: type.type, label: type.label, location: 'cloud' as const, models: [model], limits: {}, enabled: true };
  await ctx.call('providers.add', { config, ...(apiKey ? { apiKey } : {}) });
  return { kind: 'provider', providerId: id, model };
}

function describeResult(result: SetupApplyResult): string {
  const lines = [
    `${result.added ? 'Added' : 'Using'} provider ${result.providerId}; ${result.model} is now the first target of every task.`,
    result.test.ok ? `Test answer from ${result.model} (${(result.test.ms / 1000).toFixed(1)} s): ${result.test.text}` : `The test did not pass: ${result.test.message}`,
    result.status.usable ? 'Ready: create a project with "service-creator projects create NAME" and run its interview.' : `Not usable yet: ${result.status.reason}.`,
  ];
  return lines.join('\n');
}
