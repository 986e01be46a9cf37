/**
 * How the generation page holds up while a file streams in fast: one file at about 500 tokens a
 * second for about 10 seconds, through `service-creator serve` and the bridge into Chromium.
 *
 *   npx node bench/pipelineStreamingUi.ts [--runs 3]      (npm run bench:streaming-ui)
 *
 * Each run: a fresh data dir and `serve`, a scripted OpenAI-compatible server on loopback whose
 * plan has one large text file (streamed as ~5,000 token frames, 2 ms apart) and one tiny test
 * file; the page plans, starts the run and, once the file's text shows in the live pane, measures
 * for `--window` ms (default 8,000, inside the stream): frames per second and the longest frame
 * (a requestAnimationFrame loop), long tasks (PerformanceObserver 'longtask', > 50 ms), React
 * commits per second (a minimal React DevTools hook, which React calls on every commit, also in
 * production builds), and the token events the page received per second (WebSocket frames). The
 * same is measured for an idle window on the same page afterwards, side by side. Medians of the
 * runs. Needs the built UI (npm run build) and /usr/bin/chromium (or CHROMIUM_PATH).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumArgs } from '../playwright.config.ts';
import type { Plan } from '../src-shared/pipeline/plan.ts';
import { removeHome, makeHome, runCli, startServe, type ServeHandle } from '../test/e2e/startServe.ts';
import { startFakeOpenAiServer, type FakeServer, type FakeStep } from '../test/support/fakes/fakeOpenAiServer.ts';
import { vFirewallSpec } from '../test/support/interviewScript.ts';
import { classifyPipelineRequest } from '../test/support/pipelineResponder.ts';

const streamedPath = 'data/stream.txt';
const tokenFrames = 5000;
const tokenDelayMs = 2;
const plan: Plan = {
  files: [
    { path: streamedPath, purpose: 'A large generated data file', language: 'text', kind: 'config', dependsOn: [], exports: [] },
    { path: 'tests/test_ok.py', purpose: 'A smoke test', language: 'python', kind: 'test', dependsOn: [], exports: [] },
  ],
  install: 'true',
  test: 'pytest -q',
};
// ~8 characters per token, like code: 40,000 characters in all (more than the live pane keeps).
const streamedText = Array.from({ length: tokenFrames / 2 }, (_, index) => `row ${String(index).padStart(5, '0')} = ok\n`).join('');

interface Measured {
  seconds: number;
  fps: number;
  longestFrameMs: number;
  longTasks: number;
  commitsPerSecond: number;
  tokensPerSecond: number;
}

interface PageBench {
  start(): void;
  stop(): { seconds: number; frames: number; longestFrameMs: number; longTasks: number; commits: number };
}

declare global {
  interface Window {
    bench?: PageBench;
    __REACT_DEVTOOLS_GLOBAL_HOOK__?: unknown;
  }
}

/** Runs in the page before its own scripts (not subject to the page's CSP). */
function installBench(): void {
  let measuring = false;
  let startedAt = 0;
  let frames = 0;
  let longest = 0;
  let last = 0;
  let commits = 0;
  const longTasks: number[] = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (measuring && entry.duration > 50) longTasks.push(entry.duration);
  }).observe({ type: 'longtask', buffered: false });
  const loop = (now: number) => {
    if (measuring) {
      frames += 1;
      if (last > 0) longest = Math.max(longest, now - last);
      last = now;
    }
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
  // The part of the React DevTools hook that React uses: it reports every commit here.
  window.__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
    isDisabled: false,
    supportsFiber: true,
    renderers: new Map(),
    inject: () => 1,
    checkDCE: () => undefined,
    onScheduleFiberRoot: () => undefined,
    onCommitFiberRoot: () => {
      if (measuring) commits += 1;
    },
    onCommitFiberUnmount: () => undefined,
    onPostCommitFiberRoot: () => undefined,
    setStrictMode: () => undefined,
  };
  window.bench = {
    start: () => {
      measuring = true;
      startedAt = performance.now();
      frames = 0;
      longest = 0;
      last = 0;
      commits = 0;
      longTasks.length = 0;
    },
    stop: () => {
      measuring = false;
      return { seconds: (performance.now() - startedAt) / 1000, frames, longestFrameMs: longest, longTasks: longTasks.length, commits };
    },
  };
}

function parseNumber(argv: string[], flag: string, fallback: number): number {
  const index = argv.indexOf(flag);
  if (index < 0) return fallback;
  const value = Number(argv[index + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${flag} needs a positive whole number, not "${argv[index + 1]}"`);
  return value;
}

function respond(body: unknown): FakeStep | undefined {
  const ask = classifyPipelineRequest(body);
  switch (ask.kind) {
    case 'plan':
      return { reply: { json: plan } };
    case 'generate':
    case 'fix':
      return ask.path === streamedPath ? { reply: streamedText, chunks: tokenFrames, chunkDelayMs: tokenDelayMs } : { reply: 'def test_ok():\n    assert True\n' };
    case 'review':
      return { reply: { json: { issues: [] } } };
    case 'docs':
      return { reply: `# ${ask.path}\n\nGenerated documentation.\n` };
    default:
      return undefined;
  }
}

async function prepare(home: string, fake: FakeServer): Promise<void> {
  const steps = [
    ['providers', 'add', '--id', 'fake', '--type', 'openai', '--base-url', fake.url, '--model', 'scripted', '--local'],
    ['projects', 'create', 'Stream'],
  ];
  for (const args of steps) {
    const result = await runCli(args, home);
    if (result.code !== 0) throw new Error(`service-creator ${args.join(' ')} failed: ${result.stderr}`);
  }
  const specFile = join(home, 'spec.json');
  await writeFile(specFile, JSON.stringify({ ...vFirewallSpec, name: 'Stream' }));
  const imported = await runCli(['spec', 'import', specFile, '--project', 'Stream'], home);
  if (imported.code !== 0) throw new Error(`spec import failed: ${imported.stderr}`);
}

/** Counts the `file-text` events the page receives over the bridge. */
function countTokenEvents(page: Page): { count: () => number } {
  let count = 0;
  page.on('websocket', (socket) => {
    socket.on('framereceived', (frame) => {
      const text = String(frame.payload);
      if (text.includes('"file-text"')) count += 1;
    });
  });
  return { count: () => count };
}

async function measureWindow(page: Page, tokens: { count: () => number }, windowMs: number): Promise<Measured> {
  const before = tokens.count();
  await page.evaluate(() => window.bench?.start());
  await page.waitForTimeout(windowMs);
  const result = await page.evaluate(() => window.bench?.stop());
  if (!result) throw new Error('the page has no bench hooks');
  return {
    seconds: result.seconds,
    fps: result.frames / result.seconds,
    longestFrameMs: result.longestFrameMs,
    longTasks: result.longTasks,
    commitsPerSecond: result.commits / result.seconds,
    tokensPerSecond: (tokens.count() - before) / result.seconds,
  };
}

async function measure(browser: Browser, windowMs: number): Promise<{ streaming: Measured; idle: Measured }> {
  const home = await makeHome();
  const fake = await startFakeOpenAiServer({ respond, models: ['scripted'] });
  let serve: ServeHandle | undefined;
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  try {
    await prepare(home, fake);
    serve = await startServe({ home });
    const page = await context.newPage();
    await page.addInitScript(installBench);
    const tokens = countTokenEvents(page);
    await page.goto(serve.url);
    await page.getByRole('button', { name: 'Generation runs of Stream', exact: true }).click();
    await page.getByTestId('pipeline-plan').click();
    await page.getByTestId('plan-editor').waitFor({ timeout: 30_000 });
    await page.getByTestId('plan-concurrency').fill('1');
    await page.getByTestId('plan-start').click();
    const live = page.locator(`[data-testid=run-live][data-path="${streamedPath}"]`);
    await live.and(page.locator(':not([data-length="0"])')).waitFor({ timeout: 30_000 });
    const streaming = await measureWindow(page, tokens, windowMs);
    if ((await live.count()) === 0) throw new Error(`the stream ended inside the ${windowMs} ms window; measure a shorter --window`);
    await page.locator('[data-testid=run-status][data-status=done]').waitFor({ timeout: 120_000 });
    const idle = await measureWindow(page, tokens, Math.min(windowMs, 3000));
    return { streaming, idle };
  } finally {
    await context.close();
    await serve?.stop();
    await fake.close();
    await removeHome(home);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

const metrics: { key: keyof Measured; label: string; digits: number }[] = [
  { key: 'tokensPerSecond', label: 'token events received / s', digits: 0 },
  { key: 'fps', label: 'frames / s', digits: 1 },
  { key: 'longestFrameMs', label: 'longest frame (ms)', digits: 1 },
  { key: 'longTasks', label: 'long tasks (> 50 ms)', digits: 0 },
  { key: 'commitsPerSecond', label: 'React commits / s', digits: 1 },
];

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const runs = parseNumber(argv, '--runs', Number(process.env.BENCH_RUNS ?? 3));
  const windowMs = parseNumber(argv, '--window', 8000);
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  const browser = await chromium.launch({ executablePath, headless: true, args: chromiumArgs });
  const results: { streaming: Measured; idle: Measured }[] = [];
  try {
    console.log(`generation page while one file streams (~${Math.round(1000 / tokenDelayMs)} token frames/s nominal, ${tokenFrames} frames), ${runs} runs, ${windowMs} ms window`);
    console.log(`(Chromium ${browser.version()}, Node ${process.versions.node})\n`);
    for (let index = 1; index <= runs; index++) {
      const run = await measure(browser, windowMs);
      results.push(run);
      const { streaming: s } = run;
      console.log(
        `run ${index}: ${s.tokensPerSecond.toFixed(0)} tokens/s, ${s.fps.toFixed(1)} fps, longest frame ${s.longestFrameMs.toFixed(1)} ms, ${s.longTasks} long tasks, ${s.commitsPerSecond.toFixed(1)} commits/s`,
      );
    }
  } finally {
    await browser.close();
  }
  console.log('');
  console.log(`${'median of runs'.padEnd(28)}${'streaming'.padStart(12)}${'idle'.padStart(10)}${'ratio'.padStart(9)}`);
  for (const metric of metrics) {
    const streaming = median(results.map((run) => run.streaming[metric.key]));
    const idle = median(results.map((run) => run.idle[metric.key]));
    const ratio = idle === 0 ? '—' : `${(streaming / idle).toFixed(2)}x`;
    console.log(`${metric.label.padEnd(28)}${streaming.toFixed(metric.digits).padStart(12)}${idle.toFixed(metric.digits).padStart(10)}${ratio.padStart(9)}`);
  }
  const commits = median(results.map((run) => run.streaming.commitsPerSecond));
  const tokens = median(results.map((run) => run.streaming.tokensPerSecond));
  console.log(`\nReact commits per token event while streaming: ${(commits / Math.max(tokens, 1)).toFixed(3)} (1.0 would be one render per token)`);
}

main().catch((error: unknown) => {
  console.error(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
