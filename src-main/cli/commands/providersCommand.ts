import { Command, Option } from 'commander';
import type { ProviderConfig, ProviderType } from '../../../src-shared/domain/provider.ts';
import type { ProviderStatus } from '../../../src-shared/domain/providerStatus.ts';
import { AppError } from '../../../src-shared/AppError.ts';
import { type CliContext, usageError } from '../CliContext.ts';
import { wholeNumberOption } from '../wholeNumberOption.ts';
import { readSecret } from '../readSecret.ts';
import { routingCommand } from './routingCommand.ts';
import { providersHealthCommand } from './providersHealthCommand.ts';
import { providersOneLine } from './providersOneLine.ts';

interface AddOptions {
  id: string;
  type: ProviderType;
  label?: string;
  baseUrl?: string;
  model?: string[];
  apiKeyEnv?: string;
  local?: boolean;
  cloud?: boolean;
  rpm?: number;
  tpm?: number;
  burst?: number;
  firstTokenTimeout?: number;
  timeout?: number;
}

/** `--first-token-timeout` and `--timeout`, in seconds (1 s to 6 h), as the provider config's milliseconds. */
interface TimeoutOptions {
  firstTokenTimeout?: number;
  timeout?: number;
}

const timeoutSeconds = wholeNumberOption(1, 6 * 3600);

/** `--rpm`, `--tpm` and `--burst`: whole numbers in the ranges rateLimitsSchema allows. */
interface LimitOptions {
  rpm?: number;
  tpm?: number;
  burst?: number;
}

function withLimitOptions(command: Command): Command {
  return command
    .option('--rpm <n>', 'requests per minute limit (1 to 100000)', wholeNumberOption(1, 100_000))
    .option('--tpm <n>', 'tokens per minute limit (1 to 100000000)', wholeNumberOption(1, 100_000_000))
    .option('--burst <n>', 'the most requests started within one second (1 to 10000)', wholeNumberOption(1, 10_000));
}

function limitFields(options: LimitOptions): ProviderConfig['limits'] {
  return {
    ...(options.rpm !== undefined ? { requestsPerMinute: options.rpm } : {}),
    ...(options.tpm !== undefined ? { tokensPerMinute: options.tpm } : {}),
    ...(options.burst !== undefined ? { burst: options.burst } : {}),
  };
}

function timeoutFields(options: TimeoutOptions): { firstTokenTimeoutMs?: number; totalTimeoutMs?: number } {
  return {
    ...(options.firstTokenTimeout !== undefined ? { firstTokenTimeoutMs: options.firstTokenTimeout * 1000 } : {}),
    ...(options.timeout !== undefined ? { totalTimeoutMs: options.timeout * 1000 } : {}),
  };
}

export function providersCommand(context: () => CliContext): Command {
  // The types come from the provider descriptors (no core is opened for them).
  const registry = context().providerTypes;
  const types = registry.infos();
  const providers = new Command('providers').description('model providers: on-device first, cloud only when the privacy mode allows');

  providers
    .command('list')
    .description('list providers with their live status')
    .action(async () => {
      const ctx = context();
      // The same service the providers.list channel uses, waiting for the live checks to finish.
      const { providers: list, invalid } = await ctx.core().providers.list({ awaitChecks: true });
      if (ctx.output.json) {
        for (const provider of list) ctx.output.result('provider', { provider }, '');
        for (const broken of invalid) ctx.output.event('invalid-provider', broken);
        return;
      }
      if (list.length === 0 && invalid.length === 0) {
        ctx.output.result('providers', {}, 'No providers yet. Add one, e.g.: service-creator providers add --id local --type llama-cpp');
        return;
      }
      ctx.output.result('providers', {}, [...list.map((status) => describe(status, registry.needsKey(status.config))), ...invalid.map((b) => providersOneLine(`${b.id}: unreadable configuration (${b.problem})`))].join('\n'));
    });

  withLimitOptions(
    providers
      .command('add')
      .description('add a provider; a key is read from --api-key-env or asked for and stored in the OS keychain'),
  )
    .requiredOption('--id <id>', 'short id, e.g. openai-main')
    .addOption(
      new Option('--type <type>', `adapter: ${types.map((type) => `${type.type} (${type.label})`).join(', ')}`)
        .choices(types.map((type) => type.type))
        .makeOptionMandatory(),
    )
    .option('--label <label>', 'name shown in the app')
    .option('--base-url <url>', 'server address (OpenAI-compatible servers, Ollama, gateways)')
    .option('--model <model...>', 'models to offer for routing, in order')
    .option('--api-key-env <VAR>', 'read the key from this environment variable instead of the keychain')
    .addOption(new Option('--local', 'this server runs on your network: Local-only mode sends it prompts and code (a loopback address is local already)').conflicts('cloud'))
    .option('--cloud', 'count a loopback address as cloud (e.g. a tunnel to another machine)')
    .option('--first-token-timeout <seconds>', 'seconds to wait for the first token before trying the next target (default 120)', timeoutSeconds)
    .option('--timeout <seconds>', 'seconds one whole answer may take (default 600)', timeoutSeconds)
    .action(async (options: AddOptions) => {
      const ctx = context();
      const config = {
        id: options.id,
        type: options.type,
        label: options.label ?? options.id,
        location: registry.location({ type: options.type, ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}) }, options.local ? 'local' : options.cloud ? 'cloud' : undefined),
        ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
        models: options.model ?? [],
        ...(options.apiKeyEnv ? { apiKeyEnv: options.apiKeyEnv } : {}),
        limits: limitFields(options),
        enabled: true,
        ...timeoutFields(options),
      };
      let apiKey: string | undefined;
      const envVar = registry.envVar(options.type);
      const envKey = envVar === undefined ? undefined : ctx.io.env[envVar];
      if (!options.apiKeyEnv && registry.needsKey(config) && !envKey) apiKey = await askKey(ctx, options.id);
      const status = await ctx.call('providers.add', { config, ...(apiKey ? { apiKey } : {}) });
      if (status.state === 'key-rejected') {
        // A key the provider refuses is not kept: taken back (with the key just stored), so the
        // same command can simply be run again with the right key, and a script sees the failure.
        await ctx.call('providers.remove', { id: status.config.id });
        throw new AppError('PROVIDER_FAILED', `${status.config.id} was not added: ${status.detail}. Check the key and run the command again.`);
      }
      ctx.output.result('provider', { provider: status }, `Added ${describe(status, registry.needsKey(status.config))}`);
    });

  withLimitOptions(
    providers
      .command('edit')
      .description("change a provider's timeouts and rate limits")
      .argument('<id>', 'provider id')
      .option('--first-token-timeout <seconds>', 'seconds to wait for the first token before trying the next target', timeoutSeconds)
      .option('--timeout <seconds>', 'seconds one whole answer may take', timeoutSeconds),
  )
    .option('--clear-limits', 'remove its rate limits (with --rpm, --tpm or --burst: only those given are kept)')
    .action(async (id: string, options: TimeoutOptions & LimitOptions & { clearLimits?: boolean }) => {
      const ctx = context();
      const changes = timeoutFields(options);
      const limits = limitFields(options);
      if (Object.keys(changes).length === 0 && Object.keys(limits).length === 0 && !options.clearLimits) {
        throw usageError('Nothing to change: give --first-token-timeout SECONDS, --timeout SECONDS, --rpm N, --tpm N, --burst N or --clear-limits');
      }
      const config = ctx.core().providers.stored().providers.find((provider) => provider.id === id);
      if (!config) throw new AppError('NOT_FOUND', `No provider "${id}"; "service-creator providers list" shows the ones there are`);
      const status = await ctx.call('providers.update', { config: { ...config, ...changes, limits: { ...(options.clearLimits ? {} : config.limits), ...limits } } });
      ctx.output.result('provider', { provider: status }, `Changed ${describe(status, registry.needsKey(status.config))}`);
    });

  providers
    .command('remove')
    .description('remove a provider and its stored key')
    .argument('<id>', 'provider id')
    .action(async (id: string) => {
      const ctx = context();
      await ctx.call('providers.remove', { id });
      ctx.output.result('removed', { id }, `Removed provider ${id} and its stored key`);
    });

  providers
    .command('test')
    .description('check a provider now (connection, key, models)')
    .argument('<id>', 'provider id')
    .action(async (id: string) => {
      const ctx = context();
      const config = ctx.core().providers.stored().providers.find((provider) => provider.id === id);
      if (config && !ctx.output.json) ctx.output.notice(`Checking ${id} at ${registry.host(config)}…`);
      let status: ProviderStatus;
      try {
        status = await ctx.call('providers.test', { id });
      } catch (error) {
        if (error instanceof AppError && error.code === 'BLOCKED_BY_PRIVACY_MODE') {
          throw new AppError(error.code, `${error.message} (on the command line: service-creator settings set privacyMode local-first)`);
        }
        throw error;
      }
      ctx.output.result('provider', { provider: status }, describe(status, registry.needsKey(status.config)));
      // The provider failed the check, not the command line: a script branching on the code must not read it as bad arguments.
      if (status.state !== 'healthy') throw new AppError('PROVIDER_FAILED', `${id} is ${status.state}: ${status.detail}`);
    });

  providers.addCommand(routingCommand(context));
  providers.addCommand(providersHealthCommand(context));

  return providers;
}

function describe(status: ProviderStatus, needsKey: boolean): string {
  const { config } = status;
  const key = status.keyConfigured ? `key from ${status.keySource}` : needsKey ? 'no key' : 'no key needed';
  const models = config.models.length > 0 ? config.models.join(', ') : '(default model)';
  const timeouts = [
    ...(config.firstTokenTimeoutMs !== undefined ? [`first token within ${config.firstTokenTimeoutMs / 1000} s`] : []),
    ...(config.totalTimeoutMs !== undefined ? [`answer within ${config.totalTimeoutMs / 1000} s`] : []),
  ];
  // One line per provider: a model name or a server's message with a line break in it stays on it.
  return providersOneLine(`${config.id} [${config.type}, ${config.location}${config.enabled ? '' : ', disabled'}] ${status.state}: ${status.detail} | ${models} | ${key}${timeouts.length > 0 ? ` | ${timeouts.join(', ')}` : ''}`);
}

/**
 * Asks for the key without showing it (readSecret: raw mode on a terminal, one line from a pipe).
 * Nothing entered: nothing is added.
 */
async function askKey(ctx: CliContext, id: string): Promise<string> {
  const prompt = ctx.io.stdin.isTTY === true ? `API key for ${id} (stored in the OS keychain; not shown as you type): ` : '';
  const key = await readSecret(ctx.io, prompt);
  if (!key) {
    throw usageError(`Provider ${id} needs an API key: type it when asked on a terminal, pipe it on standard input, or pass --api-key-env VAR; nothing was added`);
  }
  return key;
}
