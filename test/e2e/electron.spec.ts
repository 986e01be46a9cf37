import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { _electron as electron, test, expect, type ElectronApplication, type Page } from '@playwright/test';
import { findElectronBinary, hasDisplay } from '../../scripts/findElectronBinary.ts';
import { makeHome, removeHome, repoRoot } from './startServe.ts';

/**
 * The desktop app itself: the built main process (out/main/index.js) in a real Electron. Skips
 * with a reason where that cannot run: no Electron binary (offline installs never download one),
 * or Linux without a display and without Xvfb to make one.
 */
const mainPath = join(repoRoot, 'out/main/index.js');
const binary = findElectronBinary();
const electronPath = 'path' in binary ? binary.path : undefined;

test.describe.configure({ mode: 'serial' });

let display: { env: NodeJS.ProcessEnv; stop: () => Promise<void> } | undefined;
let displayProblem: string | undefined;

test.beforeAll(async () => {
  if (!electronPath) return;
  if (hasDisplay()) {
    display = { env: {}, stop: async () => undefined };
    return;
  }
  try {
    display = await startXvfb();
  } catch (error) {
    displayProblem = error instanceof Error ? error.message : String(error);
  }
});

test.afterAll(async () => {
  await display?.stop();
});

/** Skips the test, saying why in the report (annotation) and in the list output (stdout). */
function skipBecause(reason: string): void {
  console.log(reason);
  test.skip(true, reason);
}

test.beforeEach(() => {
  if (!electronPath) skipBecause(`skipped: no Electron binary (${'reason' in binary ? binary.reason : 'unknown'})`);
  if (!display) skipBecause(`skipped: no display for Electron (no DISPLAY or WAYLAND_DISPLAY, and Xvfb could not start: ${displayProblem ?? 'unknown'})`);
  if (!existsSync(mainPath)) throw new Error(`The app is not built: ${mainPath} is missing. Run "npx electron-vite build" first.`);
});

function launchArgs(): string[] {
  // Root (CI containers) cannot use Chromium's sandbox; the renderer is still context-isolated.
  const root = process.platform === 'linux' && process.getuid?.() === 0;
  return [...(root ? ['--no-sandbox'] : []), mainPath];
}

function appEnv(home: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...process.env, ...display?.env })) if (value !== undefined) env[key] = value;
  delete env.ELECTRON_RUN_AS_NODE;
  delete env.ELECTRON_RENDERER_URL; // load the built renderer, never a dev server
  env.SERVICE_CREATOR_HOME = home;
  env.SERVICE_CREATOR_FIRST_RUN = 'off'; // this spec starts on Projects, not on the first-run screen
  return env;
}

async function launch(home: string): Promise<{ app: ElectronApplication; page: Page }> {
  const app = await electron.launch({ executablePath: electronPath, args: launchArgs(), env: appEnv(home), cwd: repoRoot, timeout: 60_000 });
  const page = await app.firstWindow();
  await expect(page.getByTestId('project-list').or(page.getByTestId('projects-empty'))).toBeVisible({ timeout: 30_000 });
  return { app, page };
}

test('the desktop app: isolated renderer, projects persist, one instance at a time', async () => {
  const home = await makeHome();
  const opened: ElectronApplication[] = [];
  try {
    const first = await launch(home);
    opened.push(first.app);
    const { page } = first;

    // contextIsolation + sandbox: only the preload's api reaches the page, never Node.
    const globals = await page.evaluate(() => {
      const scope = window as unknown as Record<string, unknown>;
      return {
        api: typeof scope.api,
        projects: typeof (scope.api as { projects?: unknown } | undefined)?.projects,
        require: typeof scope.require,
        process: typeof scope.process,
        module: typeof scope.module,
        buffer: typeof scope.Buffer,
      };
    });
    expect(globals).toEqual({ api: 'object', projects: 'object', require: 'undefined', process: 'undefined', module: 'undefined', buffer: 'undefined' });
    await expect(page.getByTestId('error-banner')).toHaveCount(0);

    await page.getByTestId('project-name-input').fill('Desktop project');
    await page.getByTestId('project-create-button').click();
    const row = page.getByTestId('project-item').filter({ hasText: 'Desktop project' });
    await expect(row).toBeVisible();
    const id = await row.getAttribute('data-project-id');

    // A second launch while the first runs hands over to it and exits.
    const second = await runToExit(spawn(electronPath ?? '', launchArgs(), { env: appEnv(home), cwd: repoRoot, stdio: 'ignore' }), 30_000);
    expect(second.exited, 'the second instance should exit (single-instance lock)').toBe(true);
    expect(first.app.windows().length).toBeGreaterThan(0);
    expect(await page.evaluate(() => document.readyState)).toBe('complete');

    await first.app.close();
    opened.pop();

    const relaunched = await launch(home);
    opened.push(relaunched.app);
    await expect(relaunched.page.locator(`[data-testid=project-item][data-project-id="${id}"]`)).toBeVisible();
    await expect(relaunched.page.getByTestId('project-item-name')).toHaveText(['Desktop project']);
  } finally {
    for (const app of opened) await app.close().catch(() => undefined);
    await removeHome(home);
  }
});

test('the desktop app: served from app://, no traversal, links only to allowed hosts in the browser', async () => {
  const home = await makeHome();
  let app: ElectronApplication | undefined;
  try {
    const launched = await launch(home);
    app = launched.app;
    const { page } = launched;

    // The renderer comes from our own scheme, never file:// (which shares an origin with every local file).
    expect(page.url()).toMatch(/^app:\/\/renderer\//);
    expect(await page.evaluate(() => window.location.origin)).toBe('app://renderer');

    const probe = await page.evaluate(async () => {
      const status = (url: string) => fetch(url).then((response) => response.status, () => 'blocked');
      const index = await fetch('/index.html');
      return {
        index: index.status,
        csp: index.headers.get('content-security-policy'),
        encodedDots: await status('/%2e%2e/main/index.js'),
        encodedSlash: await status('/..%2fmain%2findex.js'),
        encodedBackslash: await status('/..%5cmain%5cindex.js'),
        missing: await status('/no-such-file.js'),
        fileUrl: await status('file:///etc/passwd'),
        remote: await status('https://example.com/'),
      };
    });
    expect(probe.index).toBe(200);
    expect(probe.csp).toContain("default-src 'none'");
    for (const key of ['encodedDots', 'encodedSlash', 'encodedBackslash', 'missing', 'fileUrl', 'remote'] as const) {
      expect(probe[key], key).not.toBe(200);
    }

    // window.open: an allowed https host goes to the system browser (recorded here), anything else nowhere.
    await app.evaluate(({ shell }) => {
      const opened: string[] = [];
      (globalThis as { openedExternally?: string[] }).openedExternally = opened;
      shell.openExternal = async (url: string) => void opened.push(url);
    });
    await page.evaluate(() => {
      // The allowed one last: once it is recorded, the refused ones before it have been decided.
      for (const url of ['https://huggingface.co.evil.example/', 'https://huggingface.co@evil.example/', 'http://huggingface.co/', 'file:///etc/passwd', 'https://huggingface.co/models']) {
        window.open(url);
      }
    });
    await expect
      .poll(() => app?.evaluate(() => (globalThis as { openedExternally?: string[] }).openedExternally ?? []))
      .toEqual(['https://huggingface.co/models']);
    expect(app.windows()).toHaveLength(1);
  } finally {
    await app?.close().catch(() => undefined);
    await removeHome(home);
  }
});

function runToExit(child: ChildProcess, timeoutMs: number): Promise<{ exited: boolean; code: number | null }> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve({ exited: false, code: null });
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ exited: true, code });
    });
    child.once('error', () => {
      clearTimeout(timer);
      resolve({ exited: false, code: null });
    });
  });
}

/** Starts Xvfb on a free display number (it reports the number on a pipe); rejects when it is not installed. */
function startXvfb(): Promise<{ env: NodeJS.ProcessEnv; stop: () => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let reported = '';
    const timer = setTimeout(() => {
      xvfb.kill('SIGKILL');
      reject(new Error(`Xvfb did not report a display within 10 s: ${stderr.trim()}`));
    }, 10_000);
    xvfb.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`Xvfb is not available (${error.message})`));
    });
    xvfb.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Xvfb exited (code ${code}): ${stderr.trim()}`));
    });
    xvfb.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const pipe = xvfb.stdio[3];
    pipe?.on('data', (chunk: Buffer) => {
      reported += chunk.toString('utf8');
      const match = reported.match(/^(\d+)\n/);
      if (!match) return;
      clearTimeout(timer);
      resolve({
        env: { DISPLAY: `:${match[1]}` },
        stop: () =>
          new Promise<void>((done) => {
            if (xvfb.exitCode !== null) return done();
            xvfb.once('exit', () => done());
            xvfb.kill('SIGTERM');
          }),
      });
    });
  });
}
