import { Argument, Command, Option } from 'commander';
import { balanceStrategies, balanceStrategyLabels, type BalanceStrategy, type RoutingStrategies } from '../../../src-shared/domain/balanceStrategy.ts';
import { taskKinds, type RoutedTarget, type Routing, type TaskKind } from '../../../src-shared/domain/provider.ts';
import { type CliContext, usageError } from '../CliContext.ts';

interface SetOptions {
  strategy?: BalanceStrategy;
  target?: string[];
  clear?: boolean;
}

/**
 * `providers routing`: where each task kind goes and how its calls are spread over its targets
 * (the strategy); `providers routing set TASK --strategy weighted --target a/m:3 --target b/m:1`
 * changes one task. Everything goes through the routing channels, as the routing screen does.
 */
export function routingCommand(context: () => CliContext): Command {
  const routing = new Command('routing').description('show or set where each task goes and how its calls are spread (strategy, weights)');

  const show = async () => {
    const ctx = context();
    const view = await ctx.call('routing.get');
    ctx.output.result('routing', view, describeRouting(view.routing, view.strategies));
  };
  routing.action(show);
  routing.command('show').description('show the routing of every task with its strategy').action(show);

  routing
    .command('set')
    .description('set one task: its targets (in order, each with an optional weight) and/or its strategy')
    .addArgument(new Argument('<task>', 'task kind').choices(taskKinds))
    .addOption(new Option('--strategy <strategy>', strategyHelp()).choices(balanceStrategies))
    .option('--target <target...>', 'provider/model[:weight]: the task targets in order, replacing the ones it has; a trailing ":N" is a weight for --strategy weighted (a model whose name ends in ":N" needs its weight given too, e.g. qwen:7:1)')
    .option('--clear', 'remove the task routing: every enabled provider in list order again')
    .action(async (task: TaskKind, options: SetOptions) => {
      const ctx = context();
      if (options.clear && (options.target || options.strategy)) throw usageError('--clear removes the task routing; it cannot be combined with --target or --strategy');
      if (!options.clear && !options.target && !options.strategy) throw usageError('Nothing to set: give --target (one or more), --strategy, or --clear');
      const current = await ctx.call('routing.get');
      const targets = options.clear ? [] : options.target?.map(parseTarget);
      if (!options.clear && !targets && !current.routing[task]?.length) {
        throw usageError(`The ${task} task has no targets yet, so a strategy has nothing to choose from: give them with --target provider/model`);
      }
      const view = await ctx.call('routing.set', {
        routing: targets ? { [task]: targets } : {},
        ...(options.strategy ? { strategies: { [task]: options.strategy } } : {}),
      });
      const strategy = view.strategies[task] ?? 'ordered';
      const weightsIgnored = strategy !== 'weighted' && (view.routing[task] ?? []).some((t) => t.weight !== undefined);
      ctx.output.result(
        'routing',
        view,
        [
          options.clear ? `${task}: routing removed; every enabled provider in list order` : describeTask(task, view.routing[task] ?? [], strategy),
          ...(weightsIgnored ? [`Note: weights count only with --strategy weighted (this task is ${strategy}).`] : []),
        ].join('\n'),
      );
    });

  return routing;
}

/** "provider/model" with an optional trailing ":weight" (a whole number, 0-1000). */
export function parseTarget(text: string): RoutedTarget {
  const slash = text.indexOf('/');
  if (slash <= 0 || slash === text.length - 1) throw usageError(`A target is provider/model, optionally with :weight (got "${text.slice(0, 200)}")`);
  const providerId = text.slice(0, slash);
  let model = text.slice(slash + 1);
  if (/:-\d+$/.test(model)) throw usageError(`A weight is a whole number from 0 to 1000 (got "${text.slice(0, 200)}")`);
  const weighted = /^(.+):(\d+)$/.exec(model);
  if (!weighted) return { providerId, model };
  model = weighted[1] ?? model;
  const weight = Number(weighted[2]);
  if (weight > 1000) throw usageError(`A weight is a whole number from 0 to 1000 (got ${weight} in "${text.slice(0, 200)}")`);
  return { providerId, model, weight };
}

function describeRouting(routing: Routing, strategies: RoutingStrategies): string {
  return taskKinds.map((task) => describeTask(task, routing[task] ?? [], strategies[task] ?? 'ordered')).join('\n');
}

function describeTask(task: TaskKind, targets: readonly RoutedTarget[], strategy: BalanceStrategy): string {
  if (targets.length === 0) return `${task}: every enabled provider in list order (no routing set)`;
  const total = targets.reduce((sum, target) => sum + (target.weight ?? 1), 0);
  const lines = targets.map((target, index) => {
    const weight = target.weight ?? 1;
    const share = strategy === 'weighted' ? `  weight ${weight}${total > 0 ? ` (${Math.round((weight / total) * 100)} %)` : ''}` : '';
    return `  ${index + 1}. ${target.providerId}/${target.model}${share}`;
  });
  return [`${task}: ${balanceStrategyLabels[strategy].label.toLowerCase()} (${strategy})`, ...lines].join('\n');
}

function strategyHelp(): string {
  return `how calls are spread over the targets: ${balanceStrategies.map((s) => `${s} (${balanceStrategyLabels[s].description.replace(/\.$/, '').toLowerCase()})`).join('; ')}`;
}
