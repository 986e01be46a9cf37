/**
 * What our sandbox adds to a test run: `runInSandbox` (volume, locked-down container, archive
 * upload, attach, wait, report read back and parsed, container and volume removed) vs the
 * Docker CLI's `docker run --rm` of the same image and the same command.
 *
 *   npx node bench/sandboxOverhead.ts [--runs 10] [--warmup 2] [--image service-creator/sandbox-python:dev]
 *
 * The project is one trivial passing pytest file. The `docker run --rm` side bind-mounts it
 * from a temp folder (`-v dir:/p -w /p`) and runs `python3 -m pytest -q -p no:cacheprovider`;
 * ours runs `python3 -m pytest -q` (it adds `--junitxml` and `-p no:cacheprovider` itself) with
 * the default limits. A sample is the wall time of one whole run; the sides alternate (A B A B
 * ...) after the warm-up so machine noise hits both alike. Then one more run of ours is
 * profiled: every engine call it makes, timed. Goal: median ours / docker run ≤ 1.2x.
 * Exits 1 when the goal is missed.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type Docker from 'dockerode';
import { connectDocker, dockerEndpoint, requireEngine } from '../src-main/sandbox/connectDocker.ts';
import { runInSandbox, type SandboxRunRequest } from '../src-main/sandbox/runInSandbox.ts';
import { defaultSandboxImages, defaultSandboxLimits } from '../src-shared/sandbox/sandboxTypes.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    image: { type: 'string', default: defaultSandboxImages.python },
  },
});
const runs = Number(values.runs);
const warmup = Number(values.warmup);
const image = values.image;
const goal = 1.2;

const testFile = 'def test_ok():\n    assert 1 + 1 == 2\n';
const dockerCli = ['/usr/local/bin/docker', '/usr/bin/docker'].find((path) => existsSync(path)) ?? 'docker';

const endpoint = dockerEndpoint({ env: process.env, platform: process.platform });
const docker = connectDocker(endpoint);
await requireEngine(docker, endpoint);

const projectDir = mkdtempSync(join(tmpdir(), 'sc-bench-sandbox-'));
mkdirSync(join(projectDir, 'tests'));
writeFileSync(join(projectDir, 'tests', 'test_ok.py'), testFile);
const request: SandboxRunRequest = {
  files: [{ path: 'tests/test_ok.py', content: testFile }],
  image,
  language: 'python',
  allowNetwork: false,
  test: 'python3 -m pytest -q',
  limits: defaultSandboxLimits,
};

async function ours(client: Docker = docker): Promise<number> {
  const started = performance.now();
  const result = await runInSandbox(client, request);
  const elapsed = performance.now() - started;
  if (result.outcome !== 'passed') throw new Error(`runInSandbox did not pass: ${result.outcome} ${result.message ?? ''}\n${result.log}`);
  return elapsed;
}

function dockerRun(): Promise<number> {
  const started = performance.now();
  const args = ['run', '--rm', '-v', `${projectDir}:/p`, '-w', '/p', image, 'python3', '-m', 'pytest', '-q', '-p', 'no:cacheprovider'];
  return new Promise((resolve, reject) => {
    const child = spawn(dockerCli, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DOCKER_HOST: endpoint.describe } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`docker run exited with ${code}:\n${output}`))));
  });
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** A client whose engine calls (and those of the containers and volumes it hands out) are timed. */
function profiled(client: Docker, timings: [string, number][]): Docker {
  const time =
    <T extends object>(target: T, prefix: string, wrapResult?: (value: unknown) => unknown) =>
    (name: string, original: (...args: unknown[]) => unknown) =>
    async (...args: unknown[]) => {
      const started = performance.now();
      try {
        const value = await original.apply(target, args);
        return wrapResult ? wrapResult(value) : value;
      } finally {
        timings.push([`${prefix}${name}`, performance.now() - started]);
      }
    };
  const wrap = <T extends object>(target: T, prefix: string, names: string[], wrapResults: Record<string, (value: unknown) => unknown> = {}): T =>
    new Proxy(target, {
      get(object, property, receiver) {
        const value: unknown = Reflect.get(object, property, receiver);
        if (typeof property !== 'string' || !names.includes(property) || typeof value !== 'function') return value;
        return time(object, prefix, wrapResults[property])(property, value as (...args: unknown[]) => unknown);
      },
    });
  const container = (value: unknown) => wrap(value as Docker.Container, 'container.', ['putArchive', 'attach', 'start', 'wait', 'inspect', 'getArchive', 'remove', 'kill', 'stats']);
  const volume = (value: unknown) => wrap(value as Docker.Volume, 'volume.', ['remove']);
  return wrap(client, 'docker.', ['createVolume', 'createContainer'], { createContainer: container, createVolume: volume });
}

try {
  console.log(`sandbox overhead: runInSandbox vs \`${dockerCli} run --rm\`, image ${image}, ${runs} runs each after ${warmup} warm-up, interleaved`);
  for (let index = 0; index < warmup; index++) {
    await ours();
    await dockerRun();
  }
  const oursMs: number[] = [];
  const dockerMs: number[] = [];
  for (let index = 0; index < runs; index++) {
    // Alternate which side goes first in each pair.
    if (index % 2 === 0) {
      oursMs.push(await ours());
      dockerMs.push(await dockerRun());
    } else {
      dockerMs.push(await dockerRun());
      oursMs.push(await ours());
    }
  }
  const f = (ms: number) => ms.toFixed(0).padStart(5);
  const ratio = median(oursMs) / median(dockerMs);
  console.log(`  docker run --rm   median ${f(median(dockerMs))} ms   min ${f(Math.min(...dockerMs))}   max ${f(Math.max(...dockerMs))}`);
  console.log(`  runInSandbox      median ${f(median(oursMs))} ms   min ${f(Math.min(...oursMs))}   max ${f(Math.max(...oursMs))}`);
  console.log(`  ratio (median)    ${ratio.toFixed(2)}x   goal ≤ ${goal}x   ${ratio <= goal ? 'met' : 'MISSED'}`);

  const timings: [string, number][] = [];
  const total = await ours(profiled(docker, timings));
  const engineMs = timings.reduce((sum, [, ms]) => sum + ms, 0);
  console.log(`  one profiled runInSandbox: ${total.toFixed(0)} ms; engine calls in order (wait = the test command itself):`);
  for (const [name, ms] of timings) console.log(`    ${name.padEnd(26)} ${ms.toFixed(1).padStart(7)} ms`);
  console.log(`    ${'outside engine calls'.padEnd(26)} ${(total - engineMs).toFixed(1).padStart(7)} ms (packing, parsing, scheduling)`);
  process.exitCode = ratio <= goal ? 0 : 1;
} finally {
  rmSync(projectDir, { recursive: true, force: true });
}
