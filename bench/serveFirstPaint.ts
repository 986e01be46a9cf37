/**
 * Cold start of `service-creator serve` to first paint in Chromium.
 *
 *   npx node bench/serveFirstPaint.ts [--runs 5]      (npm run bench:first-paint)
 *
 * The first contentful paint is the app shell: index.html carries the window frame (the header
 * with the app's name and the navigation, disabled, and a "Loading…" status where the view goes)
 * and paints it with the app's stylesheet, inlined there, before any script runs; React then
 * replaces it with the live app. So FCP measures serve start + the HTML, not the renderer bundle; the
 * later marks say when the app was mounted (React replaced the shell) and when the projects
 * showed (the bridge answered), which is when the user can act. serve prints `listening` before
 * it opens the core (database, services, schemas), which it does once it has been idle a moment
 * after the page's first requests: the first paint does not wait for the core, "projects visible" does.
 *
 * Chromium starts once up front and is not counted, and is warmed before the first run by
 * painting a small page of text (so its GPU, raster and font caches are up, as in a browser the
 * user already has open; a just-launched Chromium added about 0.5 s to the first navigation of
 * every fresh context). The warm-up page is a data: URL: nothing of the app (no script, style or
 * HTTP cache) is loaded before t0. Each run: a fresh, empty data dir;
 * t0 = Date.now() right before spawning serve; wait for its `listening` line; open the printed
 * URL in a fresh browser context (its empty tab is made before t0, so browser-side tab setup is
 * not counted); take the page's `first-contentful-paint` entry and the frame in
 * which the projects view shows the app's data (`project-list` or `projects-empty`, i.e. the
 * bridge connected and answered). In-page times are performance.timeOrigin + the entry's time,
 * which is wall-clock epoch like Date.now() here. Needs the built UI (npm run build) and
 * /usr/bin/chromium (or CHROMIUM_PATH). Says whether serve ran from the CLI bundle (out/cli,
 * fresh: what a user of a build runs) or from the sources (any source edited since the build).
 * Exits non-zero when any run fails.
 */
import { readFileSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { chromium, type Browser } from 'playwright-core';
import { chromiumArgs } from '../playwright.config.ts';
import { removeHome, startServe, type ServeHandle } from '../test/e2e/startServe.ts';

interface Run {
  /** spawn → `listening` line on stdout */
  listening: number;
  /** spawn → the page's navigation start (performance.timeOrigin) */
  navigation: number;
  /** spawn → first contentful paint */
  fcp: number;
  /** spawn → React has replaced the shell with the app (in the DOM, not yet painted) */
  mounted: number;
  /** spawn → the frame that paints the project list / empty state (first meaningful paint) */
  data: number;
  /** spawn → the first byte of index.html */
  html: number;
  /** spawn → the last stylesheet linked from index.html (render-blocking) has arrived; undefined when none is linked (inlined) */
  css: number | undefined;
  /** spawn → the scripts named in index.html (entry and module preloads) have arrived */
  scripts: number;
}

interface LoadTimes {
  html: number;
  css: number | undefined;
  scripts: number;
}

/** Runs in the page once it has painted: when the document and the files index.html names came in (epoch ms). */
function readLoadTimes(): LoadTimes {
  const epoch = (time: number) => performance.timeOrigin + time;
  const [navigation] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
  const named = (selector: string, attribute: string) =>
    new Set([...document.querySelectorAll(selector)].map((element) => new URL(element.getAttribute(attribute) ?? '', document.baseURI).href));
  const styles = named('link[rel=stylesheet]', 'href');
  const scripts = new Set([...named('script[src]', 'src'), ...named('link[rel=modulepreload]', 'href')]);
  const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
  const lastEnd = (names: Set<string>) => Math.max(0, ...resources.filter((entry) => names.has(entry.name)).map((entry) => entry.responseEnd));
  return { html: epoch(navigation?.responseStart ?? 0), css: styles.size === 0 ? undefined : epoch(lastEnd(styles)), scripts: epoch(lastEnd(scripts)) };
}

interface PageMarks {
  navigation?: number;
  fcp?: number;
  /** React has put the app in place of the shell (the navigation's test ids exist only in the app) */
  mounted?: number;
  data?: number;
}

declare global {
  interface Window {
    benchMarks?: PageMarks;
  }
}

const dataSelector = '[data-testid=project-list], [data-testid=projects-empty]';
const mountedSelector = '[data-testid=nav-projects]';

/** Runs in the page before its own scripts (not subject to the page's CSP). */
function installMarks([selector, appSelector]: [string, string]): void {
  const marks: PageMarks = { navigation: performance.timeOrigin };
  window.benchMarks = marks;
  const epoch = (time: number) => performance.timeOrigin + time;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (entry.name === 'first-contentful-paint') marks.fcp ??= epoch(entry.startTime);
  }).observe({ type: 'paint', buffered: true });
  const observer = new MutationObserver(() => {
    if (marks.mounted === undefined && document.querySelector(appSelector)) marks.mounted = epoch(performance.now());
    if (marks.data !== undefined || !document.querySelector(selector)) return;
    observer.disconnect();
    // In the DOM now; the next animation frame is the one that paints it.
    requestAnimationFrame(() => (marks.data ??= epoch(performance.now())));
  });
  observer.observe(document, { childList: true, subtree: true });
}

/** Whether bin/service-creator.js will run the bundle: its manifest's files are all unchanged (the launcher's own check). */
function bundleIsFresh(): boolean {
  const dir = new URL('../out/cli/', import.meta.url);
  try {
    const manifest = JSON.parse(readFileSync(new URL('manifest.json', dir), 'utf8')) as { files: [string, number, number][] };
    return manifest.files.every(([path, mtimeMs, size]) => {
      const stats = statSync(new URL(path, dir), { throwIfNoEntry: false });
      return stats?.mtimeMs === mtimeMs && stats.size === size;
    });
  } catch {
    return false;
  }
}

/** Paints a page of text in a throw-away context: Chromium's GPU, raster and font paths are up before t0. */
async function warmBrowser(browser: Browser): Promise<void> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto('data:text/html,<!doctype html><title>warm-up</title><h1>Warm-up</h1><p>A page of text, painted once.</p>');
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  } finally {
    await context.close();
  }
}

function parseRuns(argv: string[]): number {
  const index = argv.indexOf('--runs');
  const raw = index >= 0 ? argv[index + 1] : process.env.BENCH_RUNS;
  if (raw === undefined) return 5;
  const runs = Number(raw);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs needs a positive whole number, not "${raw}"`);
  return runs;
}

async function measure(browser: Browser): Promise<Run> {
  let serve: ServeHandle | undefined;
  // The fresh context and its empty tab are browser-side setup, made before t0 and not counted.
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.addInitScript(installMarks, [dataSelector, mountedSelector] as [string, string]);
    serve = await startServe(); // t0 (serve.spawnedAt) is taken right before the spawn
    await page.goto(serve.url);
    await page.locator(dataSelector).first().waitFor({ state: 'visible', timeout: 30_000 });
    const marks = await page
      .waitForFunction(() => {
        const found = window.benchMarks;
        return found?.fcp !== undefined && found.data !== undefined ? found : undefined;
      }, undefined, { timeout: 30_000 })
      .then((handle) => handle.jsonValue() as Promise<Required<PageMarks>>);
    // The navigation starts after the spawn; anything else means the page and Node clocks disagree.
    if (marks.navigation < serve.spawnedAt - 5) throw new Error(`navigation started ${serve.spawnedAt - marks.navigation} ms before t0: clock mismatch`);
    const loads = await page.evaluate(readLoadTimes);
    const t0 = serve.spawnedAt;
    const since = (time: number) => Math.round(time - t0);
    return {
      listening: serve.listeningAt - t0,
      navigation: since(marks.navigation),
      fcp: since(marks.fcp),
      mounted: since(marks.mounted),
      data: since(marks.data),
      html: since(loads.html),
      css: loads.css === undefined ? undefined : since(loads.css),
      scripts: since(loads.scripts),
    };
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
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  const browser = await chromium.launch({ executablePath, headless: true, args: chromiumArgs });
  const results: Run[] = [];
  try {
    // Untimed: Chromium is up, and has painted once, before the first t0.
    await warmBrowser(browser);
    const launcher = bundleIsFresh() ? 'the CLI bundle (out/cli, fresh)' : 'the TypeScript sources (no fresh bundle: npm run build)';
    console.log(`serve cold start → first paint, ${runs} runs (Chromium ${browser.version()} warmed, Node ${process.versions.node}; serve runs ${launcher}; load average ${loadavg().map((v) => v.toFixed(2)).join(' ')})\n`);
    console.log('first contentful paint = the app shell from index.html; "app mounted" = React replaced it; "projects visible" = the bridge answered\n');
    console.log('run  spawn→listening  listening→FCP (of which before navigation)  spawn→FCP  spawn→projects visible');
    for (let index = 1; index <= runs; index++) {
      const run = await measure(browser);
      results.push(run);
      console.log(
        `${String(index).padStart(3)}  ${`${run.listening} ms`.padStart(15)}  ${`${run.fcp - run.listening} ms (${run.navigation - run.listening} ms)`.padStart(42)}  ${`${run.fcp} ms`.padStart(9)}  ${`${run.data} ms`.padStart(22)}`,
      );
    }
  } finally {
    await browser.close();
  }
  console.log('');
  console.log(summary('serve cold start → first contentful paint (the app shell)', results.map((run) => run.fcp)));
  const shellFirst = results.filter((run) => run.fcp < run.mounted).length;
  console.log(`  the first paint came before React mounted (i.e. it was the shell) in ${shellFirst} of ${results.length} runs`);
  console.log(summary('serve cold start → app mounted (React replaced the shell)', results.map((run) => run.mounted)));
  console.log(summary('serve cold start → projects visible (first meaningful paint)', results.map((run) => run.data)));
  console.log(summary('  split: spawn → listening', results.map((run) => run.listening)));
  console.log(summary('  split: listening → first contentful paint', results.map((run) => run.fcp - run.listening)));
  console.log(summary('    of which listening → navigation start', results.map((run) => run.navigation - run.listening)));
  console.log(summary('    of which navigation start → first contentful paint', results.map((run) => run.fcp - run.navigation)));
  console.log(summary('      navigation start → index.html first byte', results.map((run) => run.html - run.navigation)));
  const linkedCss = results.flatMap((run) => (run.css === undefined ? [] : [run.css - run.navigation]));
  if (linkedCss.length > 0) console.log(summary('      navigation start → stylesheet in', linkedCss));
  else console.log('      stylesheet: none linked (index.html carries it inline)');
  console.log(summary('      navigation start → scripts in (entry and preloads)', results.map((run) => run.scripts - run.navigation)));
  console.log(summary('  split: navigation start → app mounted (React replaced the shell)', results.map((run) => run.mounted - run.navigation)));
  console.log(summary('  split: first contentful paint → projects visible', results.map((run) => run.data - run.fcp)));
}

main().catch((error: unknown) => {
  console.error(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
