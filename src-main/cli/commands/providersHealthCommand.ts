import { Command } from 'commander';
import { breakerWords, windowWords, type ProviderHealth } from '../../../src-shared/domain/providerHealth.ts';
import type { CliContext } from '../CliContext.ts';

/** Provider health in words: one block per target, its breaker and each window on a line. */
export function describeHealth(health: ProviderHealth): string {
  if (health.targets.length === 0) return 'No model calls in the last day, so there is no health to show yet.';
  const blocks = health.targets.map((target) =>
    [`${target.label} · ${target.model}: ${breakerWords[target.breaker]}`, ...target.windows.map((window) => `  ${windowWords(window)}`)].join('\n'),
  );
  return [...blocks, '', 'Breakers are those of this command; the app and `serve` show their own in Usage > Provider health.'].join('\n');
}

/** `service-creator providers health [--json]`. */
export function providersHealthCommand(context: () => CliContext): Command {
  return new Command('health').description('latency, failures and breaker of each provider and model over the last hour and day').action(async () => {
    const ctx = context();
    const health = await ctx.call('providers.health');
    ctx.output.result('providerHealth', { health }, describeHealth(health));
  });
}
