import { Command, Option } from 'commander';
import { AppError } from '../../../src-shared/AppError.ts';
import { defaultRepairRounds, defaultSandboxLimits, imageReferenceSchema, maxRepairRounds, maxTestTimeoutSeconds, type RepairView, type SandboxEvent } from '../../../src-shared/sandbox/sandboxTypes.ts';
import type { CliContext } from '../CliContext.ts';
import { findProject } from '../findProject.ts';
import { projectFlag } from '../pipeline/runStoppedError.ts';
import { describeRepairEnd, describeRepairRound } from '../sandbox/describeRepairRound.ts';
import { finishedRun } from '../sandbox/finishedRun.ts';
import { waitOrStop } from '../sandbox/waitOrStop.ts';
import { schemaOption } from '../schemaOption.ts';
import { wholeNumberOption } from '../wholeNumberOption.ts';

interface RepairOptions {
  project: string;
  run?: string;
  rounds?: number;
  image?: string;
  timeout?: number;
  allowNetworkInstall?: boolean;
}

const repairHelp = `
Each round asks the model (task "fix") for every file the failing tests point at, keeps an answer
only when it passes the same checks as generation, and runs the tests again. It stops when the
tests pass, when a round changes nothing or makes no progress, or after the last round. Changed
files become new versions of the run's files: export the run again to get them.

Exit 0 when the tests pass at the end; 1 otherwise (the note says why), or when Docker is not
running. Ctrl+C stops the repair (and its test run) at once.

With --json: "started", then one "round" line as each round ends (round 0 is the first test run),
then "result" (the repair: status, note, rounds); an "error" line follows a result that is not green.`;

/** `service-creator repair`: the repair loop over a finished run, round by round. */
export function repairCommand(context: () => CliContext): Command {
  return new Command('repair')
    .description("run a finished project's tests and have the model fix what fails, in rounds, until they pass")
    .requiredOption('--project <project>', 'project id or name: repair its latest finished run')
    .option('--run <id>', 'repair this run instead of the latest finished one')
    .addOption(new Option('--rounds <n>', `fix rounds at most (1-${maxRepairRounds}; default ${defaultRepairRounds})`).argParser(wholeNumberOption(1, maxRepairRounds)))
    .addOption(new Option('--image <image>', 'container image for the tests (default: the language\'s sandbox image)').argParser(schemaOption(imageReferenceSchema)))
    .addOption(new Option('--timeout <seconds>', `wall-clock limit of each test run (1-${maxTestTimeoutSeconds}; default ${defaultSandboxLimits.timeoutMs / 1000})`).argParser(wholeNumberOption(1, maxTestTimeoutSeconds)))
    .option('--allow-network-install', 'run the install step before each test run, with network')
    .addHelpText('after', repairHelp)
    .action(async (options: RepairOptions) => {
      const ctx = context();
      const project = findProject(ctx, options.project);
      const run = await finishedRun(ctx, project, options.run, 'repaired');

      const started = await ctx.call('repair.start', {
        runId: run.id,
        ...(options.rounds !== undefined ? { rounds: options.rounds } : {}),
        ...(options.image !== undefined ? { image: options.image } : {}),
        ...(options.timeout !== undefined ? { timeoutSeconds: options.timeout } : {}),
        ...(options.allowNetworkInstall ? { allowNetworkInstall: true } : {}),
      });
      ctx.output.event('started', { projectId: project.id, runId: run.id, repairId: started.id, maxRounds: started.maxRounds });
      ctx.output.notice(`Repairing run ${run.id} of "${project.name}": up to ${started.maxRounds} round(s); round 0 runs the tests as they are`);

      const rounds = new RoundPrinter(ctx, started.id);
      const unsubscribe = ctx.core().bus.subscribe((name, payload) => {
        if (name === 'sandbox.event' && (payload as SandboxEvent).kind === 'repair-changed' && (payload as { repairId: string }).repairId === started.id) rounds.refresh();
      });
      let final: RepairView;
      let stopped: boolean;
      try {
        ({ value: final, stopped } = await waitOrStop(ctx.io, ctx.call('repair.wait', { repairId: started.id }), () => {
          ctx.output.notice('Stopping the repair');
          return ctx.call('repair.cancel', { repairId: started.id });
        }));
      } finally {
        unsubscribe();
      }
      await rounds.settle(final);

      ctx.output.result('result', { projectId: project.id, runId: run.id, repair: final }, describeRepairEnd(final));
      const changed = final.rounds.some((round) => round.changed.some((item) => item.outcome === 'changed'));
      if (changed) ctx.output.notice(`Changed files are new versions of run ${run.id}: export it again with "service-creator export ${projectFlag(project.name)} --out DIR"`);
      if (stopped || final.status === 'cancelled') throw new AppError('CANCELLED', `Repair ${final.id} was cancelled${changed ? '; the files it changed are kept' : ''}`);
      if (final.status !== 'green') throw new AppError('TESTS_FAILED', `The tests still fail: repair ${final.status}: ${final.note ?? 'no reason was recorded'}`);
    });
}

/** Prints each round once, as soon as the core records it; `repair-changed` events trigger a look. */
class RoundPrinter {
  readonly #ctx: CliContext;
  readonly #repairId: string;
  #printed = 0;
  #queue: Promise<void> = Promise.resolve();

  constructor(ctx: CliContext, repairId: string) {
    this.#ctx = ctx;
    this.#repairId = repairId;
  }

  refresh(): void {
    this.#queue = this.#queue.then(async () => {
      try {
        this.#print(await this.#ctx.call('repair.get', { repairId: this.#repairId }));
      } catch {
        // The final view, printed by settle, covers what a failed look missed.
      }
    });
  }

  /** Prints the rounds not printed yet from the final view, after any look in flight. */
  async settle(final: RepairView): Promise<void> {
    await this.#queue;
    this.#print(final);
  }

  #print(repair: RepairView): void {
    for (const round of repair.rounds.slice(this.#printed)) {
      this.#ctx.output.event('round', { repairId: repair.id, round });
      this.#ctx.output.notice(describeRepairRound(round));
    }
    this.#printed = Math.max(this.#printed, repair.rounds.length);
  }
}
