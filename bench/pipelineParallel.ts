/**
 * Parallel file generation: the same 12-file plan at concurrency 4 vs concurrency 1, through the
 * real core (issue 5). Goal: files phase at concurrency 4 ≤ 0.35x of concurrency 1.
 *
 *   npx node bench/pipelineParallel.ts [--runs 5] [--delay 200] [--layers 3] [--width 4] [--project-check=off] [--warm-checker]
 *                                                          (npm run bench:pipeline-parallel)
 *
 * The plan (bench/layeredPlan.ts): 3 layers of 4 small Python modules, each file of a layer
 * importing two files of the layer before, one of the last layer a test file; so the graph is
 * 4 wide and 3 deep. The model is the test fake OpenAI-compatible server with the pipeline
 * responder (test/support), run in a worker thread so its timers do not queue behind the core's
 * event loop; it answers every request (plan, each file, the review, each doc) after `--delay` ms.
 *
 * One run: a fresh core (createCore) on a fresh temp data dir, the provider added with
 * `providers.add`, a project with the vFirewall spec, `pipeline.plan` (not timed), then
 * t0 = just before `pipeline.start {concurrency}` and until `pipeline.wait` resolves. Times:
 * - files: t0 → the last plan file's `file-done` event on core.bus (the files phase);
 * - whole: t0 → `pipeline.wait` resolved (files + consistency with its one review request +
 *   README.md and API.md, which are sequential in both modes: 3 × delay more).
 * Each run must end `done` with every file written once (attempts 1) and no findings.
 * The real validators run, wrapped to time each call (their share of a file's time), the project
 * check's calls too, with the pyright server's CPU per run; --warm-checker keeps the checkers
 * (pyright server) alive across the runs' cores, as in an app that has already checked a project.
 *
 * After one untimed warm-up per mode (tree-sitter, prettier, tokenizer load), the modes alternate
 * (A B, B A, ...) `--runs` times each; the verdict uses the medians. Exits 1 when the median
 * files-phase ratio misses 0.35x.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { createCore, type Core } from '../src-main/core/createCore.ts';
import type { Validators } from '../src-main/pipeline/PipelineContext.ts';
import { pipelineValidators } from '../src-main/pipeline/validate/pipelineValidators.ts';
import { holdProjectChecker, pyrightServer } from '../src-main/pipeline/typecheck/projectChecker.ts';
import type { Plan } from '../src-shared/pipeline/plan.ts';
import type { PipelineEvent, RunView } from '../src-shared/pipeline/pipelineTypes.ts';
import { startFakeOpenAiServer } from '../test/support/fakes/fakeOpenAiServer.ts';
import { vFirewallSpec } from '../test/support/interviewScript.ts';
import { pipelineResponder } from '../test/support/pipelineResponder.ts';
import { layeredPlan } from './layeredPlan.ts';

const goal = 0.35;
const projectCheck = !process.argv.includes('--project-check=off');
/** The app has already checked a project: the bench holds the checkers, so each run's fresh core finds pyright running. */
const warmChecker = process.argv.includes('--warm-checker');

interface ServerData {
  plan: Plan;
  files: Record<string, string>;
  delayMs: number;
}

// ---------------------------------------------------------------------------------------------
// The model (worker thread)

async function runServer(data: ServerData): Promise<void> {
  const responder = pipelineResponder({ plan: data.plan, files: data.files, delayMs: data.delayMs });
  const server = await startFakeOpenAiServer({ respond: responder.respond, models: ['scripted'] });
  parentPort?.postMessage({ url: server.url });
  parentPort?.on('message', (message: unknown) => {
    if (message === 'close') void server.close().then(() => parentPort?.close());
  });
}

// ---------------------------------------------------------------------------------------------
// One run (main thread)

interface FileTimes {
  /** First `file-started` (the request is about to be sent), ms after t0. */
  started: number;
  /** `file-done`, ms after t0. */
  done: number;
}

interface RunResult {
  concurrency: number;
  files: number;
  whole: number;
  times: Map<string, FileTimes>;
  /** The first `consistency` event (static check + review done), ms after t0. */
  consistency: number;
  validateMs: number[];
  /** checkConsistency calls (the static cross-file check). */
  consistencyMs: number[];
  /** checkProject calls (the project-wide type check), wall ms each. */
  projectCheckMs: number[];
  /** Layer checks skipped because the checker was still cold. */
  skippedLayerChecks: number;
  /** CPU ms the pyright server used during the run (its /proc stat, start included when it started in the run). */
  pyrightCpuMs: number;
}

/** user + system CPU ms of a process so far (Linux /proc), 0 when it is gone. */
function processCpuMs(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}

/** The real validators, each validateFile and checkConsistency call timed. */
function timedValidators(validateMs: number[], consistencyMs: number[], projectCheckMs: number[], skipped: { count: number }): Validators {
  const { checkProject, prepareProjectCheck, projectCheckWarm, releaseProjectCheck, ...rest } = pipelineValidators;
  return {
    ...rest,
    // --project-check off: without the project-wide type check (pyright), to measure what it costs.
    ...(projectCheck && checkProject && prepareProjectCheck && projectCheckWarm && releaseProjectCheck
      ? {
          prepareProjectCheck,
          releaseProjectCheck,
          projectCheckWarm: (runId, languages) => {
            const warm = projectCheckWarm(runId, languages);
            if (!warm) skipped.count += 1;
            return warm;
          },
          async checkProject(files, options) {
            const started = performance.now();
            try {
              return await checkProject(files, options);
            } finally {
              projectCheckMs.push(performance.now() - started);
            }
          },
        }
      : {}),
    async validateFile(file, project) {
      const started = performance.now();
      try {
        return await pipelineValidators.validateFile(file, project);
      } finally {
        validateMs.push(performance.now() - started);
      }
    },
    async checkConsistency(files) {
      const started = performance.now();
      try {
        return await pipelineValidators.checkConsistency(files);
      } finally {
        consistencyMs.push(performance.now() - started);
      }
    },
  };
}

async function oneRun(url: string, plan: Plan, concurrency: number): Promise<RunResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sc-bench-pipeline-'));
  const validateMs: number[] = [];
  const consistencyMs: number[] = [];
  const projectCheckMs: number[] = [];
  const skipped = { count: 0 };
  let core: Core | undefined;
  try {
    core = createCore({ dataDir, host: 'cli', env: { FAKE_KEY: 'k' }, validators: timedValidators(validateMs, consistencyMs, projectCheckMs, skipped) });
    const dispatch = core.dispatch;
    const call = async <T>(channel: Parameters<Core['dispatch']>[0], input?: unknown): Promise<T> => {
      const result = await dispatch(channel, input as never);
      if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
      return result.value as T;
    };
    await call('providers.add', { config: { id: 'fake', type: 'openai', label: 'Fake', location: 'local', baseUrl: url, models: ['scripted'], apiKeyEnv: 'FAKE_KEY' } });
    const project = await call<{ id: string }>('projects.create', { name: 'Layered' });
    await call('spec.set', { projectId: project.id, spec: { ...vFirewallSpec, name: 'Layered' } });
    const planned = await call<RunView>('pipeline.plan', { projectId: project.id });

    const planPaths = new Set(plan.files.map((file) => file.path));
    const times = new Map<string, FileTimes>();
    let t0 = 0;
    let consistency = Number.NaN;
    const unsubscribe = core.bus.subscribe((event, payload) => {
      if (event !== 'pipeline.event') return;
      const at = performance.now() - t0;
      const e = payload as PipelineEvent;
      if (e.runId !== planned.id) return;
      if (e.kind === 'consistency' && Number.isNaN(consistency)) consistency = at;
      if (!('path' in e)) return;
      const entry = times.get(e.path) ?? { started: Number.NaN, done: Number.NaN };
      if (e.kind === 'file-started' && Number.isNaN(entry.started)) entry.started = at;
      if (e.kind === 'file-done') entry.done = at;
      times.set(e.path, entry);
    });
    const cpuBefore = processCpuMs(pyrightServer.pid);
    const pidBefore = pyrightServer.pid;
    t0 = performance.now();
    await call('pipeline.start', { runId: planned.id, concurrency });
    const run = await call<RunView>('pipeline.wait', { runId: planned.id });
    const whole = performance.now() - t0;
    const pyrightCpuMs = processCpuMs(pyrightServer.pid) - (pyrightServer.pid === pidBefore ? cpuBefore : 0);
    unsubscribe();

    const wrong = run.files.filter((file) => file.status !== 'done' || file.attempts !== 1);
    if (run.status !== 'done' || wrong.length > 0 || run.findings.length > 0 || run.concurrency !== concurrency) {
      throw new Error(
        `run at concurrency ${concurrency} ended ${run.status} (${run.error ?? 'no error'}), concurrency ${run.concurrency}; ` +
          `files not done once: ${wrong.map((file) => `${file.path} ${file.status} x${file.attempts} ${file.problems[0]?.message ?? file.error ?? ''}`).join('; ') || 'none'}; ` +
          `findings: ${run.findings.map((finding) => finding.message).join('; ') || 'none'}`,
      );
    }
    const planDone = [...times].filter(([path]) => planPaths.has(path)).map(([, entry]) => entry.done);
    if (planDone.length !== planPaths.size || planDone.some(Number.isNaN)) throw new Error(`missing file-done events: ${planDone.length} of ${planPaths.size}`);
    return { concurrency, files: Math.max(...planDone), whole, times, consistency, validateMs, consistencyMs, projectCheckMs, skippedLayerChecks: skipped.count, pyrightCpuMs };
  } finally {
    await core?.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Reporting

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

const f0 = (value: number) => value.toFixed(0);
const f1 = (value: number) => value.toFixed(1);

/** Where a run's time went: per-file time beyond the model's delay, and the waits between layers. */
function breakdown(result: RunResult, plan: Plan, delayMs: number): string {
  const planPaths = plan.files.map((file) => file.path);
  const perFile = planPaths.map((path) => {
    const entry = result.times.get(path) as FileTimes;
    return entry.done - entry.started - delayMs;
  });
  // Dispatch: a file's first request vs the last file-done before it that it waited for (its
  // last dependency, or the file whose slot it took), else t0.
  const dispatch = plan.files.map((file) => {
    const started = result.times.get(file.path)?.started ?? 0;
    const ready = Math.max(0, ...file.dependsOn.map((dependency) => result.times.get(dependency)?.done ?? 0));
    const slot = Math.max(0, ...planPaths.map((path) => result.times.get(path)?.done ?? 0).filter((done) => done <= started));
    return started - Math.max(ready, slot);
  });
  const docs = [...result.times].filter(([path]) => !planPaths.includes(path));
  return (
    `  per file, file-started -> file-done minus the ${delayMs} ms delay: median ${f1(median(perFile))}  max ${f1(Math.max(...perFile))} ms\n` +
    `  last dependency or freed slot -> file-started (scheduling + prompt building): median ${f1(median(dispatch))}  max ${f1(Math.max(...dispatch))} ms\n` +
    `  validateFile per call: median ${f1(median(result.validateMs))}  max ${f1(Math.max(...result.validateMs))} ms over ${result.validateMs.length} calls\n` +
    `  checkConsistency: ${result.consistencyMs.map(f1).join(', ')} ms; consistency event (static check + review) at ${f0(result.consistency)} ms, ${f0(result.consistency - result.files)} ms after the files\n` +
    (projectCheck
      ? `  checkProject (type check) calls: ${result.projectCheckMs.map(f0).join(', ') || 'none'} ms wall; layer checks skipped while cold: ${result.skippedLayerChecks}; pyright server CPU during the run: ${f0(result.pyrightCpuMs)} ms\n`
      : '') +
    `  after the files: ${docs.map(([path, entry]) => `${path} done at ${f0(entry.done)}`).join(', ')}; whole ${f0(result.whole)} ms`
  );
}

function timeline(result: RunResult, plan: Plan): string {
  return plan.files
    .map((file) => {
      const entry = result.times.get(file.path) as FileTimes;
      return `    ${file.path.padEnd(22)} ${f0(entry.started).padStart(6)} -> ${f0(entry.done).padStart(6)} ms`;
    })
    .join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '5' },
      delay: { type: 'string', default: '200' },
      layers: { type: 'string', default: '3' },
      width: { type: 'string', default: '4' },
      verbose: { type: 'boolean', default: false },
      'project-check': { type: 'string', default: 'on' },
      'warm-checker': { type: 'boolean', default: false },
    },
  });
  const runs = Math.max(1, Number(values.runs));
  const delayMs = Number(values.delay);
  const layers = Number(values.layers);
  const width = Number(values.width);
  const { plan, files } = layeredPlan(layers, width);
  const total = plan.files.length;

  const worker = new Worker(new URL(import.meta.url), { workerData: { plan, files, delayMs } satisfies ServerData });
  const url = await new Promise<string>((resolve, reject) => {
    worker.once('message', (message: { url: string }) => resolve(message.url));
    worker.once('error', reject);
  });
  const cpu = cpus();
  process.stdout.write(
    `Pipeline parallelism: ${total} files in ${layers} layers of ${width} (graph ${width} wide), every model answer after ${delayMs} ms; ` +
      `concurrency ${width} vs 1, ${runs} alternating runs each after a warm-up; Node ${process.versions.node}; ` +
      `${cpu.length} cores (${cpu[0]?.model ?? 'unknown CPU'}); model server in a worker thread at ${url}\n` +
      `files = pipeline.start -> last plan file done; whole = pipeline.start -> pipeline.wait (adds the review and 2 docs, sequential in both modes)\n\n`,
  );

  const parallel = width;
  const results: Record<number, RunResult[]> = { [parallel]: [], 1: [] };
  const uptime = () => execFileSync('uptime', { encoding: 'utf8' }).trim();
  process.stdout.write(
    `project check: ${projectCheck ? `on (${warmChecker ? 'checkers held by the bench across runs: the app has checked before' : 'a fresh core per run starts pyright: the first run after the app starts'})` : 'off'}\n[${uptime()}]\n\n`,
  );
  const releaseChecker = warmChecker ? holdProjectChecker() : () => undefined;
  try {
    await oneRun(url, plan, parallel);
    await oneRun(url, plan, 1);
    process.stdout.write(`${'pair'.padEnd(6)}${'order'.padEnd(8)}${`c${parallel} files`.padStart(10)}${'c1 files'.padStart(10)}${'ratio'.padStart(8)}${`c${parallel} whole`.padStart(10)}${'c1 whole'.padStart(10)}${'ratio'.padStart(8)}\n`);
    for (let pair = 0; pair < runs; pair++) {
      const order = pair % 2 === 0 ? [parallel, 1] : [1, parallel];
      const got: Record<number, RunResult> = {};
      for (const concurrency of order) {
        const result = await oneRun(url, plan, concurrency);
        got[concurrency] = result;
        results[concurrency]?.push(result);
      }
      const a = got[parallel] as RunResult;
      const b = got[1] as RunResult;
      process.stdout.write(
        `${String(pair + 1).padEnd(6)}${order.map((c) => `c${c}`).join(' ').padEnd(8)}${f0(a.files).padStart(10)}${f0(b.files).padStart(10)}${(a.files / b.files).toFixed(3).padStart(8)}` +
          `${f0(a.whole).padStart(10)}${f0(b.whole).padStart(10)}${(a.whole / b.whole).toFixed(3).padStart(8)}\n`,
      );
    }
  } finally {
    worker.postMessage('close');
    await worker.terminate();
    releaseChecker();
    process.stdout.write(`[${uptime()}]\n`);
  }

  const a = results[parallel] as RunResult[];
  const b = results[1] as RunResult[];
  const summary = (label: string, pick: (result: RunResult) => number, floor: number) => {
    const ma = median(a.map(pick));
    const mb = median(b.map(pick));
    const ratio = ma / mb;
    const range = (list: RunResult[]) => `min ${f0(Math.min(...list.map(pick)))} max ${f0(Math.max(...list.map(pick)))}`;
    return {
      ratio,
      text:
        `${label.padEnd(6)} c${parallel}: median ${f0(ma)} ms (${range(a)})   c1: median ${f0(mb)} ms (${range(b)})   ` +
        `ratio ${ratio.toFixed(3)}x   floor ${floor.toFixed(3)}x (overhead c${parallel} +${f0(ma - floor * mb)} ms vs floor)`,
    };
  };
  // Floors: the model's delays alone. Files: layers vs total; whole: + review + 2 docs in both.
  const filesFloor = layers / total;
  const wholeFloor = (layers + 3) / (total + 3);
  const filesSummary = summary('files', (result) => result.files, filesFloor);
  const wholeSummary = summary('whole', (result) => result.whole, wholeFloor);
  const filesFloorMs = (n: number) => n * delayMs;
  process.stdout.write(
    `\nSummary (medians of ${runs} runs per mode)\n${filesSummary.text}\n${wholeSummary.text}\n` +
      `theoretical: files ${layers} x ${delayMs} = ${filesFloorMs(layers)} ms vs ${total} x ${delayMs} = ${filesFloorMs(total)} ms -> ${filesFloor.toFixed(3)}x; ` +
      `whole ${filesFloorMs(layers + 3)} vs ${filesFloorMs(total + 3)} ms -> ${wholeFloor.toFixed(3)}x (the whole run cannot reach ${goal}x with these sequential steps)\n` +
      `files-phase goal <= ${goal}x: ${filesSummary.ratio <= goal ? 'OK' : 'MISSED'}\n\n`,
  );
  const typical = (list: RunResult[]) => [...list].sort((x, y) => x.files - y.files)[Math.floor(list.length / 2)] as RunResult;
  for (const [label, list] of [[`concurrency ${parallel}`, a], ['concurrency 1', b]] as const) {
    const result = typical(list);
    process.stdout.write(`Where the time goes, median run at ${label} (files ${f0(result.files)} ms):\n${breakdown(result, plan, delayMs)}\n`);
    if (values.verbose) process.stdout.write(`  timeline (ms after pipeline.start):\n${timeline(result, plan)}\n`);
  }
  if (filesSummary.ratio > goal) process.exitCode = 1;
}

if (isMainThread) await main();
else await runServer(workerData as ServerData);
