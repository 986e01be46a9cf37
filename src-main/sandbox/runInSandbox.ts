import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { finished } from 'node:stream/promises';
import { Writable } from 'node:stream';
import type Docker from 'dockerode';
import { AppError } from '../../src-shared/AppError.ts';
import type { RunawayTest, SandboxLanguage, SandboxLimits, SandboxOutcome, SandboxResult, TestCase } from '../../src-shared/sandbox/sandboxTypes.ts';
import { CappedLog, type LogStream } from './CappedLog.ts';
import { engineNotRunningMessage } from './connectDocker.ts';
import { packProject, type ProjectFile } from './packProject.ts';
import { parseJunit } from './parseJunit.ts';
import { readContainerFiles } from './readContainerFiles.ts';
import { buildContainerScript, sandboxPaths } from './containerScript.ts';
import { currentOwner, ownerLabel, sandboxLabel } from './sandboxLabels.ts';
import { TrailerSplitter } from './TrailerSplitter.ts';
import { nodeProbeFile, nodeProbeSource, pytestProbeModule, pytestProbeSource, stacksIntervalSeconds } from './progressProbes.ts';
import { describeRunaway, runawayFromProbe } from './runawayFromProbe.ts';

export interface SandboxRunRequest {
  files: readonly ProjectFile[];
  image: string;
  language: SandboxLanguage;
  /** Install step (e.g. `npm ci`); runs only when `allowNetwork`, in its own container with network. */
  install?: string;
  allowNetwork: boolean;
  test: string;
  limits: SandboxLimits;
  /** Added to the sandbox's own labels on the containers and the volume. */
  labels?: Record<string, string>;
  signal?: AbortSignal;
  /** Live output, capped like the stored log. */
  onLog?: (stream: LogStream, text: string) => void;
  /** Network of the install container; default `bridge`. A custom network (a proxy's) goes here. */
  installNetwork?: string;
}

/** The sandbox user: `nobody` in Debian-based images; numeric, so it needs no passwd entry. */
const sandboxUid = 65534;
const maxReportBytes = 16 * 1024 * 1024;
const drainOutputMs = 2_000;
/** The probe files are small; anything bigger was written by the tests and is not read. */
const maxProbeBytes = 1024 * 1024;
/** The probes beside the project (progressProbes.ts). */
const probeFiles = [
  { path: `tools/${pytestProbeModule}.py`, content: pytestProbeSource },
  { path: `tools/${nodeProbeFile}`, content: nodeProbeSource },
];
/** The /tmp tmpfs, for programs that ignore TMPDIR (see sandboxPaths.tmp). */
const smallTmpBytes = 64 * 1024 * 1024;

interface StepResult {
  container: Docker.Container;
  exitCode: number | null;
  timedOut: boolean;
  oomKilled: boolean;
  /** Processes in the container when the timeout stopped it, from the engine's stats. */
  pidsAtTimeout: number | undefined;
  durationMs: number;
  /** Forks the pids limit refused, from the wrapper's trailer; undefined without one. */
  pidsRefused: number | undefined;
  /** The report from the trailer: text, `null` when the wrapper found none, undefined without a (whole) trailer. */
  report: string | null | undefined;
}

/**
 * Runs a project's tests in a locked-down container and reads their JUnit report.
 *
 * Each run gets a fresh volume, mounted at /sandbox: the project goes to /sandbox/project and the
 * report to /sandbox/out. Why a volume: the container's root is read-only, and the engine's
 * archive upload (`putArchive`) refuses a read-only root but accepts a path inside a volume of a
 * created (not yet started) container (streaming the tar through stdin instead would need the
 * sandbox user to own the volume's root, which the engine makes root-owned); the volume also
 * outlives the container's exit, so the report file can still be read with `getArchive` (a
 * tmpfs is gone by then), and it carries the install step's output to the test container.
 * Temporary files and HOME are in the volume too (TMPDIR=/sandbox/tmp, HOME=/sandbox/home): they
 * are on the engine's disk, not in memory, so writing (pytest capturing a chatty test's output)
 * never counts against the memory limit; a small tmpfs /tmp remains for programs that ignore
 * TMPDIR. The volume has no hard size limit: Docker's local volume driver cannot set one (only
 * overlay2 on xfs with project quotas can, and not for volumes), and its files are not readable
 * from outside the engine where it runs in a VM (Docker Desktop); the run's wall-clock limit
 * bounds how much it can write, and the volume is removed at the end of every run. The report normally arrives at the end of
 * stdout (see TrailerSplitter: a second archive call would cost ~50 ms a run); the file in the
 * volume is the fallback when that trailer is missing or garbled.
 *
 * The test container has no network, memory = memory+swap, CPU and pids caps, a read-only root,
 * user 65534, all capabilities dropped and no-new-privileges; its output is not kept by the
 * engine (log driver `none`, so a flood cannot fill the engine's disk) but streamed to us and
 * capped. Containers and the volume are removed whatever happens, cancel and errors included.
 *
 * Resolves with outcome `error` when the engine or the image is missing; rejects with CANCELLED
 * when `signal` aborts and with INVALID_INPUT for a bad file path.
 */
export async function runInSandbox(docker: Docker, request: SandboxRunRequest): Promise<SandboxResult> {
  const { limits, signal } = request;
  const log = new CappedLog(limits.logBytes, request.onLog);
  const labels = { ...request.labels, [sandboxLabel]: '1', [ownerLabel]: currentOwner() };
  const cleanups: (() => Promise<unknown>)[] = [];
  const base = { image: request.image, limits, installed: false, ...(request.install && !request.allowNetwork ? { installNote: 'skipped: network is not allowed by policy' } : {}) };
  try {
    signal?.throwIfAborted();
    const archive = await packProject(request.files, { root: 'project', extraDirs: ['out', 'deps', 'tmp', 'home'], extraFiles: probeFiles, uid: sandboxUid, gid: sandboxUid });
    const volume = await docker.createVolume({ Name: `service-creator-sandbox-${randomUUID()}`, Labels: labels });
    cleanups.push(() => volume.remove());
    const stepBase = { docker, image: request.image, limits, labels, volume: volume.name, log, signal, cleanups, marker: `service-creator-trailer-${randomUUID()}` };

    let installed = false;
    if (request.install && request.allowNetwork) {
      log.write('stdout', `[service-creator] install: ${request.install}\n`);
      const install = await runStep({ ...stepBase, command: buildContainerScript(request.install, request.language, 'install', stepBase.marker), network: request.installNetwork ?? 'bridge', archive });
      const stopped = install.timedOut ? 'timeout' : install.oomKilled ? 'oom' : undefined;
      if (stopped || install.exitCode !== 0) {
        return result({ ...base, outcome: stopped ?? 'error', failedStep: 'install', exitCode: install.exitCode, cases: [], log, durationMs: install.durationMs, message: `The install step "${request.install}" ${stopped === 'timeout' ? `ran past the ${limits.timeoutMs / 1000} s limit` : stopped === 'oom' ? `ran out of memory (${mib(limits.memoryBytes)} MiB)` : `exited with ${install.exitCode}`}; the tests did not run` });
      }
      installed = true;
    }

    const testScript = buildContainerScript(request.test, request.language, 'test', stepBase.marker, { stacksIntervalS: stacksIntervalSeconds(limits.timeoutMs) });
    const test = await runStep({ ...stepBase, command: testScript, network: 'none', ...(installed ? {} : { archive }) });
    const pidsHit = (test.pidsRefused ?? 0) > 0 || (test.pidsAtTimeout !== undefined && test.pidsAtTimeout >= limits.pids - 2);
    let cases: TestCase[] | undefined;
    let reportProblem: string | undefined;
    const parse = (xml: string): boolean => {
      try {
        cases = parseJunit(xml).cases;
        reportProblem = undefined;
        return true;
      } catch (error) {
        reportProblem = error instanceof Error ? error.message : String(error);
        return false;
      }
    };
    // The report normally comes in the trailer. Without a whole one (the wrapper was killed, a
    // leftover process wrote into it, it was too big), read the file from the volume instead.
    if (!test.timedOut && !(typeof test.report === 'string' && parse(test.report)) && test.report !== null) {
      const file = (await readContainerFiles(test.container, sandboxPaths.out, maxReportBytes)).find((found) => found.name === 'junit.xml');
      if (file?.content) parse(file.content.toString('utf8'));
      else if (file) reportProblem = `The JUnit report is ${file.size} bytes; the limit is ${maxReportBytes}`;
    }
    const { outcome, message } = judge({ test, cases, pidsHit, limits, reportProblem });
    // Stopped by a limit, or ended without a report: the probe says which test was running.
    const runaway = outcome === 'timeout' || outcome === 'oom' || outcome === 'pids' || outcome === 'no-report' ? await readRunaway(test.container) : undefined;
    const said = runaway && message ? `${message}; ${describeRunaway(runaway)} was running` : message;
    return result({ ...base, installed, outcome, exitCode: test.exitCode, cases: cases ?? [], log, durationMs: test.durationMs, ...(said ? { message: said } : {}), ...(runaway ? { runaway } : {}) });
  } catch (error) {
    if (signal?.aborted) throw new AppError('CANCELLED', 'The sandbox run was cancelled', { cause: error });
    if (error instanceof AppError && error.code === 'INVALID_INPUT') throw error;
    return result({ ...base, outcome: 'error', exitCode: null, cases: [], log, durationMs: 0, message: engineProblem(error, request.image) });
  } finally {
    // Newest first: containers before the volume they use. Force, so a running one goes too.
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  }
}

interface StepRequest {
  docker: Docker;
  image: string;
  limits: SandboxLimits;
  labels: Record<string, string>;
  volume: string;
  log: CappedLog;
  signal: AbortSignal | undefined;
  cleanups: (() => Promise<unknown>)[];
  command: { cmd: string[]; env: string[] };
  network: string;
  marker: string;
  /** Unpacked into the volume before start (once, by the first step). */
  archive?: Buffer;
}

/** One container over the run's volume: create, upload, attach, start, wait with the wall-clock limit. */
async function runStep(step: StepRequest): Promise<StepResult> {
  const { docker, limits, log, signal } = step;
  const container = await docker.createContainer({
    Image: step.image,
    Cmd: step.command.cmd,
    Env: step.command.env,
    User: `${sandboxUid}:${sandboxUid}`,
    WorkingDir: sandboxPaths.project,
    Labels: step.labels,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    NetworkDisabled: step.network === 'none',
    HostConfig: {
      NetworkMode: step.network,
      Memory: limits.memoryBytes,
      MemorySwap: limits.memoryBytes,
      NanoCpus: Math.round(limits.cpus * 1e9),
      PidsLimit: limits.pids,
      ReadonlyRootfs: true,
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      // Only for programs that write to /tmp by name: TMPDIR points at the volume (disk). Kept
      // small, since a tmpfs counts against the memory limit; full, it says "no space left".
      Tmpfs: { '/tmp': `rw,nosuid,nodev,exec,size=${Math.min(smallTmpBytes, limits.memoryBytes)},mode=1777` },
      Mounts: [{ Type: 'volume', Source: step.volume, Target: sandboxPaths.root }],
      LogConfig: { Type: 'none', Config: {} },
    },
  });
  step.cleanups.push(() => container.remove({ force: true, v: true }));
  signal?.throwIfAborted();
  if (step.archive) await container.putArchive(step.archive, { path: sandboxPaths.root });

  const stream = await container.attach({ stream: true, stdout: true, stderr: true });
  const stdout = new TrailerSplitter(step.marker, (chunk) => log.write('stdout', chunk), maxReportBytes + 4096);
  docker.modem.demuxStream(stream, sink((chunk) => stdout.write(chunk)), sink((chunk) => log.write('stderr', chunk)));
  const ended = finished(stream).catch(() => undefined);
  signal?.throwIfAborted();

  await container.start();
  const startedAt = performance.now();
  const waited: Promise<{ StatusCode?: number }> = container.wait();
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stop = await new Promise<'exited' | 'timeout' | 'aborted'>((resolve) => {
    waited.then(() => resolve('exited'), () => resolve('exited'));
    timer = setTimeout(() => resolve('timeout'), limits.timeoutMs);
    onAbort = () => resolve('aborted');
    if (signal?.aborted) resolve('aborted');
    signal?.addEventListener('abort', onAbort, { once: true });
  }).finally(() => {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  });
  let pidsAtTimeout: number | undefined;
  if (stop === 'timeout') {
    // A fork bomb never ends on its own: what stopped it was the clock, but the cause is the
    // pids limit, which the engine's stats show as current = limit.
    const stats = await container.stats({ stream: false, 'one-shot': true }).catch(() => undefined);
    pidsAtTimeout = stats?.pids_stats?.current;
  }
  if (stop !== 'exited') await container.kill().catch(() => undefined);
  const { StatusCode } = await waited;
  const durationMs = Math.round(performance.now() - startedAt);
  await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, drainOutputMs).unref())]);
  stdout.end();
  if (stop === 'aborted') throw new AppError('CANCELLED', 'The sandbox run was cancelled');
  const exitCode = stop === 'timeout' ? null : (StatusCode ?? null);
  // A clean exit was not killed; otherwise ask whether the kernel's OOM killer fired in the container.
  const oomKilled = exitCode !== 0 && stop === 'exited' ? ((await container.inspect()).State.OOMKilled ?? false) : false;
  return { container, exitCode, timedOut: stop === 'timeout', oomKilled, pidsAtTimeout, durationMs, ...readTrailer(stdout.trailer, step.marker) };
}

/** The probe's files from the run's out folder (in the volume, so readable after a kill). */
async function readRunaway(container: Docker.Container): Promise<RunawayTest | undefined> {
  const files = await readContainerFiles(container, sandboxPaths.out, maxProbeBytes).catch(() => []);
  const text = (name: string) => files.find((file) => file.name === name)?.content?.toString('utf8');
  const running = text('running.json');
  const stacks = text('stacks.txt');
  return runawayFromProbe({ ...(running !== undefined ? { running } : {}), ...(stacks !== undefined ? { stacks } : {}) }, sandboxPaths.project);
}

/** `" pids N\n"`, then `"<marker> junit\n<report>"` when there is a report. */
function readTrailer(trailer: string | undefined, marker: string): Pick<StepResult, 'pidsRefused' | 'report'> {
  const pids = trailer === undefined ? undefined : /^ pids (\d*)\n/.exec(trailer);
  if (!trailer || !pids) return { pidsRefused: undefined, report: undefined };
  const rest = trailer.slice(pids[0].length);
  const junitHeader = `${marker} junit\n`;
  return { pidsRefused: Number(pids[1] || 0), report: rest.startsWith(junitHeader) ? rest.slice(junitHeader.length) : rest === '' ? null : undefined };
}

function judge({ test, cases, pidsHit, limits, reportProblem }: { test: StepResult; cases: TestCase[] | undefined; pidsHit: boolean; limits: SandboxLimits; reportProblem: string | undefined }): { outcome: SandboxOutcome; message?: string } {
  const pidsMessage = `The tests hit the limit of ${limits.pids} processes and threads (a fork bomb or runaway threads); the kernel refused further ones`;
  if (test.timedOut) {
    return pidsHit ? { outcome: 'pids', message: `${pidsMessage}, and the run was stopped at the ${limits.timeoutMs / 1000} s limit` } : { outcome: 'timeout', message: `The tests ran past the ${limits.timeoutMs / 1000} s limit and were stopped` };
  }
  const failing = cases?.filter((testCase) => testCase.status === 'failed' || testCase.status === 'error').length ?? 0;
  if (cases && cases.length > 0 && failing === 0 && test.exitCode === 0) return { outcome: 'passed' };
  if (test.oomKilled) return { outcome: 'oom', message: `A process ran out of memory (limit ${mib(limits.memoryBytes)} MiB) and the kernel killed it` };
  if (pidsHit) return { outcome: 'pids', message: pidsMessage };
  if (cases) {
    if (failing > 0) return { outcome: 'failed' };
    if (cases.length === 0) return { outcome: 'failed', message: `The JUnit report lists no test cases (the command exited with ${test.exitCode})` };
    return { outcome: 'failed', message: `The report shows no failing test, but the command exited with ${test.exitCode}` };
  }
  return { outcome: 'no-report', message: `The test command exited with ${test.exitCode} without a JUnit report at ${sandboxPaths.report}${reportProblem ? ` (${reportProblem})` : ''}` };
}

function result(fields: Omit<SandboxResult, 'summary' | 'log' | 'logTruncated'> & { log: CappedLog }): SandboxResult {
  const { log, ...rest } = fields;
  const count = (status: TestCase['status']) => rest.cases.filter((testCase) => testCase.status === status).length;
  return { ...rest, summary: { passed: count('passed'), failed: count('failed'), errors: count('error'), skipped: count('skipped') }, log: log.text, logTruncated: log.truncated };
}

function sink(write: (chunk: Buffer) => void): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      write(chunk);
      callback();
    },
  });
}

/** A user-facing reason for a failure of the engine itself (not of the tests). */
function engineProblem(error: unknown, image: string): string {
  const { statusCode, code, message } = error as { statusCode?: number; code?: string; message?: string };
  const reason = message ?? String(error);
  if (code === 'ECONNREFUSED' || code === 'ENOENT' || code === 'EACCES' || code === 'ECONNRESET') return `${engineNotRunningMessage} (${reason})`;
  if (statusCode === 404 && /image/i.test(reason)) return `The sandbox image "${image}" is not on this Docker engine: build or pull it first (${reason.trim()})`;
  return `The sandbox run failed in the Docker engine: ${reason.trim()}`;
}

function mib(bytes: number): number {
  return Math.round(bytes / (1024 * 1024));
}
