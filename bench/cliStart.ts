/**
 * Cold start of the CLI: `service-creator --version` and `service-creator projects list`, each a
 * fresh Node process, next to a bare `node -e 0` (what no program can beat).
 *
 *   npx node bench/cliStart.ts [--runs 10]      (npm run bench:cli-start)
 *
 * A temporary SERVICE_CREATOR_HOME holds a few projects (made before timing), so `projects list`
 * opens a real database and prints real rows. The three commands run interleaved (one of each per
 * round), so a burst of load from elsewhere hits all of them alike. Each time is spawn → exit,
 * wall clock. The goal is a median of at most 300 ms for each command; the exit code is 1 when a
 * command fails (not when the goal is missed: the machine's load is not the program's fault, so
 * read the numbers with the load printed next to them).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freshBundle } from '../bin/freshBundle.js';

const binPath = fileURLToPath(new URL('../bin/service-creator.js', import.meta.url));
const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const goalMs = 300;

interface Subject {
  label: string;
  args: string[];
}

const subjects: Subject[] = [
  { label: 'node -e 0 (bare Node)', args: ['-e', '0'] },
  { label: 'service-creator --version', args: [binPath, '--version'] },
  { label: 'service-creator projects list', args: [binPath, 'projects', 'list'] },
];

function parseRuns(argv: string[]): number {
  const index = argv.indexOf('--runs');
  const raw = index >= 0 ? argv[index + 1] : process.env.BENCH_RUNS;
  if (raw === undefined) return 10;
  const runs = Number(raw);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs needs a positive whole number, not "${raw}"`);
  return runs;
}

/** Runs one fresh process to its end; its wall time in ms. Throws when it fails. */
function timeOnce(args: string[], env: NodeJS.ProcessEnv): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const elapsed = performance.now() - started;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${String(result.status ?? result.signal)}: ${result.stderr.toString().slice(0, 500)}`);
  return elapsed;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function load(): string {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(', ');
}

function main(): void {
  const runs = parseRuns(process.argv.slice(2));
  const home = mkdtempSync(join(tmpdir(), 'sc-bench-cli-'));
  const env: NodeJS.ProcessEnv = { ...process.env, SERVICE_CREATOR_HOME: home };
  delete env.SERVICE_CREATOR_DEBUG;
  try {
    for (const name of ['inventory', 'blog-api', 'weather-cli', 'todo-service', 'chat-bridge']) timeOnce([binPath, 'projects', 'create', name], env);
    // Untimed: the first process after a build pays for cold disk caches, not for the program.
    for (const subject of subjects) timeOnce(subject.args, env);
    console.log(`CLI cold start, ${runs} interleaved runs each (Node ${process.versions.node}, load average before: ${load()})`);
    // Which code the launcher runs decides the numbers: say it, so a rerun compares like with like.
    console.log(
      freshBundle()
        ? 'The CLI runs from its built bundle (out/cli).\n'
        : 'The CLI runs from the TypeScript sources: no fresh bundle, or SERVICE_CREATOR_FROM_SOURCES=1 (run "npm run build" first; the goal is for the bundle).\n',
    );
    const times = subjects.map(() => [] as number[]);
    for (let round = 0; round < runs; round++) {
      subjects.forEach((subject, index) => times[index]?.push(timeOnce(subject.args, env)));
    }
    const bare = median(times[0] ?? []);
    console.log(`${'command'.padEnd(32)}${'median'.padStart(10)}${'min'.padStart(8)}${'max'.padStart(8)}${'over bare'.padStart(11)}  goal`);
    subjects.forEach((subject, index) => {
      const values = times[index] ?? [];
      const middle = median(values);
      const goal = index === 0 ? '' : middle <= goalMs ? `≤ ${goalMs} ms: met` : `≤ ${goalMs} ms: MISSED`;
      console.log(
        `${subject.label.padEnd(32)}${`${middle.toFixed(0)} ms`.padStart(10)}${Math.min(...values).toFixed(0).padStart(8)}${Math.max(...values).toFixed(0).padStart(8)}${(index === 0 ? '' : `+${(middle - bare).toFixed(0)} ms`).padStart(11)}  ${goal}`,
      );
    });
    console.log(`\nload average after: ${load()}`);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

try {
  main();
} catch (error: unknown) {
  console.error(`benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
