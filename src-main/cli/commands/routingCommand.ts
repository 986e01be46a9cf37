import { Argument, Command, Option } from 'commander';
import { balanceStrategies, balanceStrategyLabels, type BalanceStrategy, type RoutingStrategies } from '../../../src-shared/domain/balanceStrategy.ts';
import { maxModelNameChars, maxRoutedTargets, providerIdSchema, taskKinds, type RoutedTarget, type Routing, type TaskKind } from '../../../src-shared/domain/provider.ts';
import { type CliContext, usageError } from '../CliContext.ts';
import { providersOneLine } from './providersOneLine.ts';
import { routingTargetProblem } from '../../../src-shared/domain/routingTargetProblem.ts';

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
    const providers = ctx.core().providers.stored().providers;
    ctx.output.result('routing', view, describeRouting(view.routing, view.strategies, (target) => routingTargetProblem(target, providers, view.privacyMode)));
  };
  routing.action(show);
  routing.command('show').description('show the routing of every task with its strategy').action(show);

  routing
    .command('set')
    .description('set one task: its targets (in order, each with an optional weight) and/or its strategy')
    .addArgument(new Argument('<task>', 'task kind').choices(taskKinds))
    .addOption(new Option('--strategy <strategy>', strategyHelp()).choices(balanceStrategies))
    .option('--target <target...>', 'provider/model[:weight]: the task targets in order, each once, replacing the ones it has; a trailing ":N" is a whole-number weight (0-1000) for --strategy weighted (a model whose name ends in ":N" or ":N.N" needs its weight given too, e.g. qwen:7:1)')
    .option('--clear', 'remove the task routing: every enabled provider in list order again')
    .action(async (task: TaskKind, options: SetOptions) => {
      const ctx = context();
      if (options.clear && (options.target || options.strategy)) throw usageError('--clear removes the task routing; it cannot be combined with --target or --strategy');
      if (!options.clear && !options.target && !options.strategy) throw usageError('Nothing to set: give --target (one or more), --strategy, or --clear');
      const current = await ctx.call('routing.get');
      if ((options.target?.length ?? 0) > maxRoutedTargets) throw usageError(`A task has at most ${maxRoutedTargets} targets (got ${options.target?.length ?? 0})`);
      const targets = options.clear ? [] : options.target?.map(parseTarget);
      const repeated = targets?.find((target, index) => targets.findIndex((other) => other.providerId === target.providerId && other.model === target.model) !== index);
      if (repeated) {
        throw usageError(`${repeated.providerId}/${providersOneLine(repeated.model.slice(0, 200))} is given twice: list each target once (for a bigger share under --strategy weighted, give it a bigger weight)`);
      }
      if (!options.clear && !targets && !current.routing[task]?.length) {
        throw usageError(`The ${task} task has no targets yet, so a strategy has nothing to choose from: give them with --target provider/model`);
      }
      const view = await ctx.call('routing.set', {
        routing: targets ? { [task]: targets } : {},
        ...(options.strategy ? { strategies: { [task]: options.strategy } } : {}),
      });
      const strategy = view.strategies[task] ?? 'ordered';
      const weightsIgnored = strategy !== 'weighted' && (view.routing[task] ?? []).some((t) => t.weight !== undefined);
      const allZero = strategy === 'weighted' && (view.routing[task] ?? []).every((t) => t.weight === 0);
      // Targets calls will pass over, said now rather than found in the attempts later.
      const stored = ctx.core().providers.stored().providers;
      const problem = (target: RoutedTarget) => routingTargetProblem(target, stored, view.privacyMode);
      const passedOver = (targets ?? []).flatMap((target) => {
        const provider = stored.find((p) => p.id === target.providerId);
        if (!provider) return [`Note: there is no provider "${target.providerId}" yet: calls pass ${target.providerId}/${providersOneLine(target.model)} over until it is added (providers add --id ${target.providerId}).`];
        return provider.enabled ? [] : [`Note: provider "${target.providerId}" is disabled: calls pass ${target.providerId}/${providersOneLine(target.model)} over.`];
      });
      ctx.output.result(
        'routing',
        view,
        [
          options.clear ? `${task}: routing removed; every enabled provider in list order` : describeTask(task, view.routing[task] ?? [], strategy, problem),
          ...(weightsIgnored ? [`Note: weights count only with --strategy weighted (this task is ${strategy}).`] : []),
          ...(!options.clear && allZero ? ['Note: every weight is 0, so no target gets a share: calls go in the listed order. Give the targets you want used a weight of 1 or more.'] : []),
          ...passedOver,
        ].join('\n'),
      );
    });

  return routing;
}

/**
 * "provider/model" with an optional trailing ":weight" (a whole number, 0-1000). A trailing ":"
 * and a number that is not a whole one (":1.5", ":-1", ":-0.5") is refused as a weight, not
 * taken silently into the model's name; a model with no name before its weight (":3") too.
 */
export function parseTarget(text: string): RoutedTarget {
  const shown = providersOneLine(text.slice(0, 200));
  const slash = text.indexOf('/');
  if (slash <= 0 || slash === text.length - 1) throw usageError(`A target is provider/model, optionally with :weight (got "${shown}")`);
  const providerId = text.slice(0, slash);
  const id = providerIdSchema.safeParse(providerId);
  if (!id.success) throw usageError(`${id.error.issues[0]?.message ?? 'Not a provider id'} (got "${shown}")`);
  let model = text.slice(slash + 1);
  // A control character (a line break, an escape) is no part of a model's name: a pasted mistake.
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(model)) throw usageError(`A model name cannot hold a line break or other control character (got "${shown}")`);
  if (/:(-\d*\.?\d+|\d*\.\d+|\d+\.)$/.test(model)) throw usageError(`A weight is a whole number from 0 to 1000 (got "${shown}")`);
  const weighted = /^(.*):(\d+)$/.exec(model);
  if (!weighted) return tooLong({ providerId, model }, shown);
  model = weighted[1] ?? '';
  if (model === '') throw usageError(`A target is provider/model, optionally with :weight; "${shown}" has a weight but no model`);
  const digits = weighted[2] ?? '';
  const weight = Number(digits);
  if (weight > 1000) throw usageError(`A weight is a whole number from 0 to 1000 (got ${digits.replace(/^0+(?=\d)/, '').slice(0, 20)} in "${shown}")`);
  return tooLong({ providerId, model, weight }, shown);
}

/** A model name past what a routing keeps, refused here in words rather than by the contract's check. */
function tooLong(target: RoutedTarget, shown: string): RoutedTarget {
  if (target.model.length > maxModelNameChars) throw usageError(`A model name is at most ${maxModelNameChars} characters (got ${target.model.length} in "${shown}")`);
  return target;
}

function describeRouting(routing: Routing, strategies: RoutingStrategies, problem: (target: RoutedTarget) => string | null): string {
  return taskKinds.map((task) => describeTask(task, routing[task] ?? [], strategies[task] ?? 'ordered', problem)).join('\n');
}

/** A task's targets, one a line; one the router passes over (problem) says why and has no share of a weighted split. */
function describeTask(task: TaskKind, targets: readonly RoutedTarget[], strategy: BalanceStrategy, problem: (target: RoutedTarget) => string | null): string {
  if (targets.length === 0) return `${task}: every enabled provider in list order (no routing set)`;
  const problems = targets.map(problem);
  const total = targets.reduce((sum, target, index) => sum + (problems[index] === null ? (target.weight ?? 1) : 0), 0);
  const lines = targets.map((target, index) => {
    const weight = target.weight ?? 1;
    const passedOver = problems[index];
    const share = strategy === 'weighted' ? `  weight ${weight}${passedOver === null && total > 0 ? ` (${Math.round((weight / total) * 100)} %)` : ''}` : '';
    const note = passedOver === null ? '' : `  (${passedOver}: passed over)`;
    return `  ${index + 1}. ${target.providerId}/${providersOneLine(target.model)}${share}${note}`;
  });
  const noneTried = problems.every((passedOver) => passedOver !== null);
  const noShare = noneTried ? ', every target passed over: no call can go to one' : strategy === 'weighted' && total === 0 ? ', every weight 0: in the listed order' : '';
  return [`${task}: ${balanceStrategyLabels[strategy].label.toLowerCase()} (${strategy})${noShare}`, ...lines].join('\n');
}

function strategyHelp(): string {
  return `how calls are spread over the targets: ${balanceStrategies.map((s) => `${s} (${balanceStrategyLabels[s].description.replace(/\.$/, '').toLowerCase()})`).join('; ')}`;
}
