import { Command, InvalidArgumentError, Option } from 'commander';
import type { BudgetStatus } from '../../../src-shared/domain/budget.ts';
import { formatUsd } from '../../../src-shared/formatUsd.ts';
import { parseUsd } from '../../../src-shared/parseUsd.ts';
import type { CliContext } from '../CliContext.ts';
import { usageError } from '../CliContext.ts';
import { findProject } from '../findProject.ts';
import { isTimeZone } from '../../../src-shared/domain/timeZone.ts';
import { usedPercent } from '../../../src-shared/usedPercent.ts';

/** "the daily budget: $3.20 of $10.00 used (32 %), $6.80 left; $0.50 of it reserved by running processes for their calls". */
export function describeBudget(status: BudgetStatus): string {
  const used = status.spentUsd + status.reservedUsd;
  const held = status.reservedUsd > 0 ? `; ${formatUsd(status.reservedUsd)} of it reserved by running processes for their calls` : '';
  // A limit of $0 is not "no limit" (budget clear is): nothing it counts may be spent.
  const state =
    status.limitUsd === 0 ? ' (a limit of $0: no call it counts to a priced model is sent; `budget clear` removes a limit)' : status.used >= 1 ? ' (no room left: calls it counts are not sent)' : status.used >= 0.8 ? ' (over 80 %)' : '';
  return `${status.label}: ${formatUsd(used)} of ${formatUsd(status.limitUsd)} used (${usedPercent(status.used)} %), ${formatUsd(status.leftUsd)} left${held}${state}`;
}

function describeZone(zone: string): string {
  return `Days and months begin at midnight, ${zone} time (\`budget zone <zone>\` changes it).`;
}

/** An IANA time zone this runtime knows, checked before anything is asked of the core. */
function zoneArgument(value: string): string {
  if (!isTimeZone(value)) throw new InvalidArgumentError(`expected a time zone such as Europe/Berlin, America/New_York or UTC, got ${JSON.stringify(value.slice(0, 100))}`);
  return value;
}

/** Dollars as typed: "10", "2.50", "$5", "$1,200" (0 allowed: nothing may be spent); never "0x10" or "1e-400". */
function usdOption(value: string): number {
  const number = parseUsd(value);
  if (number === null || number > 1_000_000) throw new InvalidArgumentError(`expected an amount in US dollars from 0 to 1000000 (at most 4 decimal places, e.g. 12.50 or $1,200), got ${JSON.stringify(value.slice(0, 100))}`);
  return number;
}

interface ScopeOptions {
  provider?: string;
  project?: string;
  period: 'day' | 'month';
}

function scopeOf(options: ScopeOptions): { scope: BudgetStatus['scope']; scopeId: string } {
  if (options.provider !== undefined && options.project !== undefined) throw usageError('A budget counts one provider or one project, not both: give --provider or --project');
  if (options.provider !== undefined) return { scope: 'provider', scopeId: options.provider };
  if (options.project !== undefined) return { scope: 'project', scopeId: options.project };
  return { scope: 'overall', scopeId: '' };
}

function scopeOptions(command: Command): Command {
  return command
    .option('--provider <id>', "only this provider's calls")
    .option('--project <id-or-name>', "only this project's calls")
    .addOption(new Option('--period <period>', 'a calendar day or month (local time)').choices(['day', 'month']).default('day'));
}

/** Spending limits checked before every call to a priced (cloud) model, shared by the app and every CLI command. */
export function budgetCommand(context: () => CliContext): Command {
  const budget = new Command('budget').description('spending limits, checked before a call to a cloud model is sent');
  budget
    .command('show')
    .description('every budget with what this day or month has used')
    .action(async () => {
      const ctx = context();
      const statuses = await ctx.call('budgets.list');
      // Every process counts days in the data folder's zone, whatever its own TZ: said, so a "day" is never a surprise.
      const { zone } = await ctx.call('budgets.timeZone', {});
      ctx.output.result(
        'budgets',
        { budgets: statuses, timeZone: zone },
        statuses.length === 0 ? 'No budget is set: calls are not limited by cost.' : [...statuses.map(describeBudget), describeZone(zone)].join('\n'),
      );
    });
  scopeOptions(budget.command('set').description('set a budget (replaces the one for the same scope and period)').argument('<usd>', 'the limit in US dollars', usdOption)).action(
    async (limitUsd: number, options: ScopeOptions) => {
      const ctx = context();
      const scope = scopeOf(options);
      const statuses = await ctx.call('budgets.set', { ...scope, period: options.period, limitUsd });
      // The budget just set, by what names it (a project given by name is kept by its id).
      const scopeId = scope.scope === 'project' ? findProject(ctx, scope.scopeId).id : scope.scopeId;
      const set = statuses.find((status) => status.scope === scope.scope && status.scopeId === scopeId && status.period === options.period);
      ctx.output.result('budgets', { budgets: statuses }, set ? `Set ${describeBudget(set)}` : 'Set.');
    },
  );
  budget
    .command('zone')
    .description("the time zone whose midnight begins budgets' days and months, for every process of this data folder; with a zone, changes it")
    .argument('[zone]', 'an IANA time zone, e.g. Europe/Berlin, America/New_York, UTC', zoneArgument)
    .action(async (given: string | undefined) => {
      const ctx = context();
      const { zone } = await ctx.call('budgets.timeZone', given === undefined ? {} : { zone: given });
      ctx.output.result('budget-zone', { zone }, given === undefined ? describeZone(zone) : `${describeZone(zone)} What was spent before the change stays counted in the old zone's day and month.`);
    });
  scopeOptions(budget.command('clear').description('remove a budget')).action(async (options: ScopeOptions) => {
    const ctx = context();
    const { cleared, budgets } = await ctx.call('budgets.clear', { ...scopeOf(options), period: options.period });
    ctx.output.result('budgets', { cleared, budgets }, cleared ? 'Removed that budget.' : 'There was no such budget; nothing changed.');
  });
  return budget;
}
