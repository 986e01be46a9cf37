/**
 * Model download throughput: the app's downloader (HTTP range requests, hashing as it writes,
 * then the size/sha256/GGUF checks and the move into the models folder) next to `curl -s -o`,
 * both fetching the same generated file from the same loopback server.
 *
 *   npx node bench/modelDownload.ts [--runs 5] [--mib 256]      (npm run bench:model-download)
 *
 * The server (test/support/rangeFileServer.ts) runs in its own process, so neither client shares
 * an event loop with it. Runs are interleaved (curl, app, app with a known sha256, per round,
 * each round starting with another) so a burst of load from elsewhere hits all alike; each time
 * is request → file in place, wall clock. Prints medians in MiB/s, the ratio app / curl (goal ≥ 0.9×) and the machine's load.
 * Exit code 1 when a download fails or its bytes differ (not when the goal is missed: read the
 * numbers with the load printed beside them).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomFillSync } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { downloadModel } from '../src-main/providers/download/downloadModel.ts';
import { startRangeFileServer } from '../test/support/rangeFileServer.ts';

const goal = 0.9;

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  const raw = index >= 0 ? process.argv[index + 1] : undefined;
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} needs a positive whole number, not "${raw}"`);
  return value;
}

/** Random bytes after GGUF's magic (nothing compresses); the server reports their sha256 to check each result. */
function modelBody(bytes: number): Buffer {
  const body = randomFillSync(Buffer.alloc(bytes));
  body.write('GGUF', 0, 'latin1');
  return body;
}

async function serve(bytes: number): Promise<void> {
  const body = modelBody(bytes);
  const server = await startRangeFileServer({ '/model.gguf': { body } });
  process.stdout.write(`${JSON.stringify({ url: `${server.url}/model.gguf`, sha256: createHash('sha256').update(body).digest('hex') })}\n`);
  process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
}

async function startServerProcess(bytes: number): Promise<{ child: ChildProcess; url: string; sha256: string }> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--serve', String(bytes)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    let seen = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      if (seen.includes('\n')) resolve(seen.split('\n')[0] ?? '');
    });
    child.once('exit', (code) => reject(new Error(`the server process exited (${String(code)}) before listening`)));
  });
  const { url, sha256 } = JSON.parse(line) as { url: string; sha256: string };
  return { child, url, sha256 };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

/** Streamed in small pieces: reading a whole 256 MiB file here would load this process's garbage collector during the next timed run. */
async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function main(): Promise<void> {
  const runs = option('--runs', 5);
  const mib = option('--mib', 256);
  const bytes = mib * 1024 * 1024;
  const curlVersion = spawnSync('curl', ['--version']);
  if (curlVersion.error) throw new Error('curl is not installed (apt-get install -y curl)');
  const { child, url, sha256 } = await startServerProcess(bytes);
  const work = mkdtempSync(join(tmpdir(), 'sc-bench-download-'));
  const times: Record<'curl' | 'app' | 'appSha', number[]> = { curl: [], app: [], appSha: [] };
  let failed = false;
  try {
    const check = async (path: string, label: string) => {
      if (statSync(path).size !== bytes || (await sha256File(path)) !== sha256) {
        failed = true;
        console.error(`${label}: the downloaded bytes differ from the served file`);
      }
      rmSync(path, { force: true });
    };
    const subjects: Record<keyof typeof times, (round: number) => Promise<void>> = {
      curl: async () => {
        const curlPath = join(work, 'curl.gguf');
        const started = performance.now();
        const curl = spawnSync('curl', ['-s', '-o', curlPath, url]);
        times.curl.push(performance.now() - started);
        if (curl.status !== 0) throw new Error(`curl exited ${String(curl.status)}: ${curl.stderr.toString()}`);
        await check(curlPath, 'curl');
      },
      app: async (round) => {
        const started = performance.now();
        const model = await downloadModel(url, join(work, `app-${round}`));
        times.app.push(performance.now() - started);
        await check(model.path, 'app');
      },
      appSha: async (round) => {
        const started = performance.now();
        const model = await downloadModel(url, join(work, `sha-${round}`), { sha256, expectedBytes: bytes });
        times.appSha.push(performance.now() - started);
        await check(model.path, 'app (sha256 known)');
      },
    };
    const order = Object.keys(subjects) as (keyof typeof times)[];
    for (let round = 0; round < runs; round += 1) {
      // Each round starts with another subject, so none always runs right after the same one.
      for (let index = 0; index < order.length; index += 1) {
        const name = order[(round + index) % order.length] as keyof typeof times;
        await subjects[name](round);
      }
    }
  } finally {
    child.kill('SIGTERM');
    rmSync(work, { recursive: true, force: true });
  }
  const rate = (ms: number) => bytes / 1024 ** 2 / (ms / 1000);
  const curlRate = rate(median(times.curl));
  const rows: [string, number[]][] = [
    ['curl -s -o', times.curl],
    ['app downloader', times.app],
    ['app downloader, sha256 known', times.appSha],
  ];
  console.log(`Model download: ${mib} MiB from a loopback HTTP server (own process), medians of ${runs} interleaved runs`);
  console.log('| client | median ms | MiB/s | vs curl |');
  console.log('|---|---:|---:|---:|');
  for (const [label, values] of rows) {
    const ms = median(values);
    console.log(`| ${label} | ${ms.toFixed(0)} | ${rate(ms).toFixed(0)} | ${(rate(ms) / curlRate).toFixed(2)}x |`);
  }
  const ratio = rate(median(times.app)) / curlRate;
  console.log(`Goal: app ≥ ${goal}x curl: ${ratio >= goal ? 'met' : 'missed'} (${ratio.toFixed(2)}x)`);
  const uptime = spawnSync('uptime', { encoding: 'utf8' });
  console.log(`Load: ${uptime.stdout.trim() || loadavg().map((value) => value.toFixed(2)).join(', ')}`);
  if (failed) process.exitCode = 1;
}

if (process.argv.includes('--serve')) await serve(option('--serve', 256 * 1024 * 1024));
else await main();
