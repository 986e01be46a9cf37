import { Command } from 'commander';
import { breakerWords, noHealthYet, windowWords, type ProviderHealth } from '../../../src-shared/domain/providerHealth.ts';
import type { CliContext } from '../CliContext.ts';

/** Provider health in words: one block per target, its breaker and each window on a line. */
export function describeHealth(health: ProviderHealth): string {
  if (health.targets.length === 0) return noHealthYet;
  const blocks = health.targets.map((target) =>
    [`${oneLine(target.label)} · ${oneLine(target.model)}: ${breakerWords[target.breaker]}`, ...target.windows.map((window) => `  ${windowWords(window)}`)].join('\n'),
  );
  return [...blocks, '', 'Breakers are those of this command; the app and `serve` show their own in Usage > Provider health.'].join('\n');
}

/**
 * A label or model name (any text a routing names) kept on its line: a newline in it would draw
 * lines of its own ("last hour: none of 99 calls failed"). The terminal-safe output shows every
 * other control character escaped.
 */
function oneLine(text: string): string {
  return text.replaceAll('\r', '\\r').replaceAll('\n', '\\n');
}

/** `service-creator providers health [--json]`. */
export function providersHealthCommand(context: () => CliContext): Command {
  return new Command('health').description('latency, failures and breaker of each provider and model over the last hour and day').action(async () => {
    const ctx = context();
    const health = await ctx.call('providers.health');
    ctx.output.result('providerHealth', { health }, describeHealth(health));
  });
}
