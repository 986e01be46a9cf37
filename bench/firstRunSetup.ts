/**
 * First run, from the setup screen to the first interview question, in Chromium.
 *
 *   npx node bench/firstRunSetup.ts [--runs 5]      (npm run bench:first-run-setup)
 *
 * Each run: a fresh data folder and a fresh `service-creator serve` on it (first-run screen on,
 * hardware given by SC_HARDWARE_OVERRIDE), a fresh browser context; the page opens the served
 * address and shows the setup screen (t0: it is visible), which looks at loopback and lists a
 * fake OpenAI-compatible server listening on 127.0.0.1:1234 (one server for all runs; the bench
 * stops with a clear message when another program holds the port); "Use this model" puts the
 * routing in place and shows the model's one-line test answer; Continue, a new project, Open; t1:
 * the first interview question is visible (the fake answers the interview's structured request
 * at once, so this measures the app, not a model). The steps are test/e2e/firstRunFlow.ts, the
 * same the e2e spec checks. Prints the median of t1 - t0 and of the steps in between, with the
 * load average. Needs the built UI (npm run build) and /usr/bin/chromium (or CHROMIUM_PATH).
 */
import { loadavg } from 'node:os';
import { chromium, type Browser } from 'playwright-core';
import { chromiumArgs } from '../playwright.config.ts';
import { firstRunEnv, runFirstRun, startSetupServer, type FirstRunTimes } from '../test/e2e/firstRunFlow.ts';
import { removeHome, startServe, type ServeHandle } from '../test/e2e/startServe.ts';

function parseRuns(argv: string[]): number {
  const index = argv.indexOf('--runs');
  const raw = index >= 0 ? argv[index + 1] : process.env.BENCH_RUNS;
  if (raw === undefined) return 5;
  const runs = Number(raw);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs needs a positive whole number, not "${raw}"`);
  return runs;
}

async function measure(browser: Browser, run: number): Promise<FirstRunTimes> {
  let serve: ServeHandle | undefined;
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    serve = await startServe({ env: firstRunEnv });
    return await runFirstRun(page, serve.url, `Bench project ${run}`);
  } finally {
    await context.close();
    if (serve) {
      await serve.stop();
      await removeHome(serve.home);
    }
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : Math.round(((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2);
}

function summary(label: string, values: number[]): string {
  return `${label}: median ${median(values)} ms (${values.length} runs; min ${Math.min(...values)}, max ${Math.max(...values)}; runs ${values.join(', ')})`;
}

async function main(): Promise<void> {
  const runs = parseRuns(process.argv.slice(2));
  const fake = await startSetupServer();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', headless: true, args: chromiumArgs });
  const results: FirstRunTimes[] = [];
  try {
    for (let run = 1; run <= runs; run += 1) {
      const times = await measure(browser, run);
      results.push(times);
      console.log(`run ${run}: first screen → question ${times.questionAt - times.firstScreenAt} ms (server listed +${times.detectedAt - times.firstScreenAt} ms, test answer +${times.answeredAt - times.firstScreenAt} ms)`);
    }
  } finally {
    await browser.close();
    await fake.close();
  }
  console.log(summary('first screen → first interview question', results.map((t) => t.questionAt - t.firstScreenAt)));
  console.log(summary('first screen → detected server listed', results.map((t) => t.detectedAt - t.firstScreenAt)));
  console.log(summary('first screen → test answer shown', results.map((t) => t.answeredAt - t.firstScreenAt)));
  console.log(`load average (1, 5, 15 min): ${loadavg().map((value) => value.toFixed(2)).join(', ')}`);
}

await main();
