import { test as base, type Page } from '@playwright/test';
import { makeHome, removeHome, startServe, type ServeHandle, type ServeOptions } from './startServe.ts';

/**
 * The fixtures every UI spec shares: a fresh data folder per test and real `service-creator
 * serve` processes on it, stopped afterwards (their output attached when a test fails or they
 * wrote to stderr).
 */
export interface ServeFixtures {
  /** A fresh SERVICE_CREATOR_HOME, deleted after the test. */
  home: string;
  /** Starts a server on `home` (with extra environment, if given); every server started this way is stopped after the test. */
  startServer: (options?: Pick<ServeOptions, 'env' | 'port'>) => Promise<ServeHandle>;
  /** The server most tests need, already listening. */
  serve: ServeHandle;
}

export const test = base.extend<ServeFixtures>({
  // eslint-disable-next-line no-empty-pattern
  home: async ({}, use) => {
    const home = await makeHome();
    await use(home);
    await removeHome(home);
  },
  startServer: async ({ home }, use, testInfo) => {
    const started: ServeHandle[] = [];
    await use(async (options = {}) => {
      const server = await startServe({ ...options, home });
      started.push(server);
      return server;
    });
    for (const server of started) {
      const code = await server.stop();
      const { stdout, stderr } = server.output();
      if (testInfo.status !== testInfo.expectedStatus || stderr.trim() !== '') {
        await testInfo.attach(`serve ${server.port} output (exit ${code})`, {
          body: `--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`,
          contentType: 'text/plain',
        });
      }
    }
  },
  serve: async ({ startServer }, use) => {
    await use(await startServer());
  },
});

export { expect } from '@playwright/test';

/** Console errors, uncaught exceptions, failed requests and HTTP errors seen by a page (CSP violations are console errors). */
export function collectProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught exception: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.method()} ${request.url()} (${request.failure()?.errorText})`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.request().method()} ${response.url()}`);
  });
  return problems;
}
