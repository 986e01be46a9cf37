import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { AppError } from '../../../src-shared/AppError.ts';
import { defaultSandboxImages, defaultSandboxLimits, imageReferenceSchema, maxTestTimeoutSeconds, type SandboxLanguage } from '../../../src-shared/sandbox/sandboxTypes.ts';
import { requireEngine } from '../../sandbox/connectDocker.ts';
import { reapOrphans } from '../../sandbox/reapOrphans.ts';
import { runInSandbox } from '../../sandbox/runInSandbox.ts';
import { cliDocker } from '../cliDocker.ts';
import { type CliContext, usageError } from '../CliContext.ts';
import { findProject } from '../findProject.ts';
import { describeTestResult, type ShownResult, testOutcomeError } from '../sandbox/describeTestResult.ts';
import { dirTestPlan } from '../sandbox/dirTestPlan.ts';
import { finishedRun } from '../sandbox/finishedRun.ts';
import { readProjectDir, skippedFolderNames } from '../sandbox/readProjectDir.ts';
import { TestLog } from '../sandbox/TestLog.ts';
import { waitOrStop } from '../sandbox/waitOrStop.ts';
import { schemaOption } from '../schemaOption.ts';
import { wholeNumberOption } from '../wholeNumberOption.ts';

interface TestOptions {
  project?: string;
  run?: string;
  image?: string;
  timeout?: number;
  allowNetworkInstall?: boolean;
  command?: string;
  install?: string;
  language?: SandboxLanguage;
}

const testHelp = `
What is tested: with --project, the project's latest finished run (or --run ID), as stored; with
DIR, the files of that folder (e.g. one written by "generate --out"), except binary files, links
that lead out of it, and these folders: ${skippedFolderNames.join(', ')}.
DIR's test and install commands and its language come from DIR/.service-creator/provenance.json,
else from --command, --install and --language.

The tests run in a Docker container with no network, capped memory, CPU and processes, a
read-only root and no privileges; the install step (e.g. pip install) runs first, with network,
only with --allow-network-install. Needs Docker running (DOCKER_HOST, else the default socket).

Exit 0 when every test passed; 1 when tests failed, the run timed out, ran out of memory or
processes, gave no JUnit report, or Docker is not running (one line says which). Ctrl+C stops
the run and removes its container.

With --json: "started", then "log" lines (stream, text) as the tests print, then "result" (the
outcome, summary and every case); an "error" line follows a result that is not a pass.`;

/** `service-creator test`: a generated project's own tests in the sandbox, from the store or a folder. */
export function testCommand(context: () => CliContext): Command {
  return new Command('test')
    .description("run a project's own tests in the sandbox (Docker: no network, memory, CPU and process limits)")
    .argument('[dir]', 'a project folder on disk instead of --project (e.g. one written by generate --out)')
    .option('--project <project>', 'project id or name: test its latest finished run')
    .option('--run <id>', 'with --project: test this run instead of the latest finished one')
    .addOption(new Option('--image <image>', `container image (default ${defaultSandboxImages.python} for Python, ${defaultSandboxImages.node} for Node)`).argParser(schemaOption(imageReferenceSchema)))
    .addOption(new Option('--timeout <seconds>', `wall-clock limit of the tests (1-${maxTestTimeoutSeconds}; default ${defaultSandboxLimits.timeoutMs / 1000})`).argParser(wholeNumberOption(1, maxTestTimeoutSeconds)))
    .option('--allow-network-install', 'run the install step first, with network (the tests still run without)')
    .option('--command <cmd>', 'with DIR: the test command (default: the provenance\'s; needed without one)')
    .option('--install <cmd>', 'with DIR: the install step (runs only with --allow-network-install)')
    .addOption(new Option('--language <language>', 'with DIR: which image family (default: the provenance\'s, else python)').choices(['python', 'node']))
    .addHelpText('after', testHelp)
    .action(async (dir: string | undefined, options: TestOptions) => {
      if (dir !== undefined && options.project !== undefined) throw usageError('Name a folder (service-creator test DIR) or a project (--project P), not both');
      if (dir === undefined && options.project === undefined) throw usageError('Name what to test: a project folder (service-creator test DIR) or a project (--project P)');
      if (dir === undefined && (options.command !== undefined || options.install !== undefined || options.language !== undefined)) {
        throw usageError("--command, --install and --language are for a folder (DIR); a project's run has its own commands");
      }
      if (dir !== undefined && options.run !== undefined) throw usageError('--run is for --project; a folder is tested as it is');
      const ctx = context();
      if (dir !== undefined) await testFolder(ctx, dir, options);
      else await testProject(ctx, options.project ?? '', options);
    });
}

/** `test --project P`: through the core (`tests.run`), so the run and its result are stored with the project. */
async function testProject(ctx: CliContext, projectName: string, options: TestOptions): Promise<void> {
  const project = findProject(ctx, projectName);
  const run = await finishedRun(ctx, project, options.run, 'tested');
  // Subscribed before the run starts: its first output may come before tests.run answers.
  const log = new TestLog(ctx.output, ctx.io);
  const following = log.follow(ctx.core().bus);
  let finished;
  let stopped: boolean;
  try {
    const started = await ctx.call('tests.run', {
      runId: run.id,
      ...(options.image !== undefined ? { image: options.image } : {}),
      ...(options.timeout !== undefined ? { timeoutSeconds: options.timeout } : {}),
      ...(options.allowNetworkInstall ? { allowNetworkInstall: true } : {}),
    });
    following.attach(started.id);
    ctx.output.notice(`Testing run ${run.id} of "${project.name}": ${run.plan?.test ?? '(no test command)'}`);
    ctx.output.event('started', { projectId: project.id, runId: run.id, testRunId: started.id, image: started.image });
    ({ value: finished, stopped } = await waitOrStop(ctx.io, ctx.call('tests.wait', { testRunId: started.id }), () => {
      ctx.output.notice('\nStopping the tests');
      return ctx.call('tests.cancel', { testRunId: started.id });
    }));
  } finally {
    following.stop();
  }
  if (stopped || finished.status === 'cancelled') throw new AppError('CANCELLED', `Test run ${finished.id} was cancelled: its container was stopped and removed`);
  if (!finished.result) throw new AppError('INTERNAL', `Test run ${finished.id} ended without a result (${finished.status})`);
  finish(ctx, finished.result, { projectId: project.id, runId: run.id, testRunId: finished.id }, run.plan?.install);
}

/** `test DIR`: straight to the engine from this process; nothing is stored. */
async function testFolder(ctx: CliContext, dir: string, options: TestOptions): Promise<void> {
  const root = resolve(dir);
  const contents = await readProjectDir(root);
  const plan = await dirTestPlan(root, options);
  const image = options.image ?? defaultSandboxImages[plan.language];
  const { endpoint, docker } = cliDocker(ctx);
  await requireEngine(docker, endpoint);
  // What a killed earlier run left behind goes first; failing that is no reason not to test.
  await reapOrphans(docker).catch(() => undefined);

  if (contents.skippedBinary.length > 0) {
    const listed = contents.skippedBinary.slice(0, 5).join(', ');
    ctx.output.notice(`Left out ${contents.skippedBinary.length} binary file(s): ${listed}${contents.skippedBinary.length > 5 ? ', ...' : ''}`);
  }
  ctx.output.notice(`Testing ${root}: ${contents.files.length} files, "${plan.test}" in ${image}`);
  ctx.output.event('started', { dir: root, files: contents.files.length, image, language: plan.language, test: plan.test, ...(plan.install ? { install: plan.install } : {}) });
  const log = new TestLog(ctx.output, ctx.io);
  const controller = new AbortController();
  let outcome;
  try {
    outcome = await waitOrStop(
      ctx.io,
      runInSandbox(docker, {
        files: contents.files,
        image,
        language: plan.language,
        ...(plan.install ? { install: plan.install } : {}),
        allowNetwork: options.allowNetworkInstall === true,
        test: plan.test,
        limits: { ...defaultSandboxLimits, ...(options.timeout !== undefined ? { timeoutMs: options.timeout * 1000 } : {}) },
        signal: controller.signal,
        onLog: (stream, text) => log.write(stream, text),
      }),
      () => {
        ctx.output.notice('\nStopping the tests');
        controller.abort(new AppError('CANCELLED', 'The test run was cancelled'));
      },
    );
  } catch (error) {
    if (controller.signal.aborted && error instanceof AppError && error.code === 'CANCELLED') throw new AppError('CANCELLED', 'The test run was cancelled: its container was stopped and removed', { cause: error });
    throw error;
  } finally {
    log.end();
  }
  const { log: _text, ...result } = outcome.value;
  finish(ctx, result, { dir: root }, plan.install);
}

/** Prints the result (table and summary, or the `result` line) and throws the exit-1 error when it is not a pass. */
function finish(ctx: CliContext, result: ShownResult, ids: Record<string, string>, install: string | undefined): void {
  ctx.output.result('result', { ...ids, result }, describeTestResult(result).join('\n'));
  if (install && !result.installed && result.installNote) ctx.output.notice(`The install step ("${install}") did not run (${result.installNote.replace(/^skipped: /, '')}): add --allow-network-install to run it`);
  const error = testOutcomeError(result);
  if (error) throw error;
}
