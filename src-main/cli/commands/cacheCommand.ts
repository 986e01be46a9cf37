import { Command } from 'commander';
import type { CacheStats } from '../../../src-shared/domain/budget.ts';
import { formatBytes } from '../../providers/catalog/formatBytes.ts';
import type { CliContext } from '../CliContext.ts';
import { wholeNumberOption } from '../wholeNumberOption.ts';

/** What the cache holds, in the unit that shows it: bytes or KiB under a MiB (formatBytes says at least "1 MiB", an empty cache too). */
function heldSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} byte${bytes === 1 ? '' : 's'}`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  return formatBytes(bytes);
}

function describeStats(stats: CacheStats, enabled: boolean): string {
  const looked = stats.hits + stats.misses;
  return [
    `The response cache is ${enabled ? 'on' : 'off'}.`,
    `${stats.entries} answer${stats.entries === 1 ? '' : 's'} kept (${heldSize(stats.bytes)} of ${formatBytes(stats.maxBytes)}).`,
    looked === 0 ? 'Nothing looked up yet.' : `${stats.hits} hit${stats.hits === 1 ? '' : 's'} and ${stats.misses} miss${stats.misses === 1 ? '' : 'es'} since ${stats.since} (${Math.round(stats.hitRate * 100)} % answered from the cache); ${stats.evictions} removed to make room or expired.`,
  ].join('\n');
}

/** The response cache: same request to the same model answered from what was kept, at no cost. */
export function cacheCommand(context: () => CliContext): Command {
  const cache = new Command('cache').description('the response cache: answers kept for requests asked again');
  cache
    .command('stats')
    .description('what the cache holds and how often it answered')
    .action(async () => {
      const ctx = context();
      const [stats, settings] = await Promise.all([ctx.call('cache.stats'), ctx.call('settings.get')]);
      ctx.output.result('cache', { stats, settings: settings.responseCache }, describeStats(stats, settings.responseCache.enabled));
    });
  cache
    .command('clear')
    .description('remove every kept answer (the statistics start again)')
    .action(async () => {
      const ctx = context();
      const { removed } = await ctx.call('cache.clear');
      ctx.output.result('cache', { removed }, `Removed ${removed} kept answer${removed === 1 ? '' : 's'}.`);
    });
  cache
    .command('on')
    .description('answer a request asked again from the cache')
    .option('--ttl-hours <n>', 'how long an answer is kept (1 to 8760 hours)', wholeNumberOption(1, 24 * 365))
    .option('--max-mb <n>', 'the most the cache may hold, in MB (1 to 100000)', wholeNumberOption(1, 100_000))
    .action(async (options: { ttlHours?: number; maxMb?: number }) => {
      const ctx = context();
      const current = (await ctx.call('settings.get')).responseCache;
      const next = { ...current, enabled: true, ...(options.ttlHours !== undefined ? { ttlHours: options.ttlHours } : {}), ...(options.maxMb !== undefined ? { maxMegabytes: options.maxMb } : {}) };
      const settings = await ctx.call('settings.set', { responseCache: next });
      ctx.output.result('cache', { settings: settings.responseCache }, `The response cache is on: answers are kept ${next.ttlHours} hours, at most ${next.maxMegabytes} MB.`);
    });
  cache
    .command('off')
    .description('always ask the model (kept answers stay until cleared or expired)')
    .action(async () => {
      const ctx = context();
      const current = (await ctx.call('settings.get')).responseCache;
      const settings = await ctx.call('settings.set', { responseCache: { ...current, enabled: false } });
      ctx.output.result('cache', { settings: settings.responseCache }, 'The response cache is off: every request is sent to the model.');
    });
  return cache;
}
