import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests. The `chromium` project drives the UI served by `service-creator serve` in the
 * system Chromium (no browser downloads: never run `playwright install`); the `electron` project
 * launches the desktop app and skips itself where no Electron binary exists. The UI must already
 * be built (`npm run build`): this config builds nothing.
 */
const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  // One more try; a test that passes only on it is "flaky", counted as passed and named in `npm test`'s summary.
  retries: 1,
  forbidOnly: Boolean(process.env.CI),
  reporter: [
    ['list'],
    ['html', { outputFolder: 'playwright-report', open: 'never' }],
    // `npm test` (scripts/test.ts) sets PLAYWRIGHT_JSON_OUTPUT_NAME to count the results.
    ...(process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [['json'] as ['json']] : []),
  ],
  use: {
    headless: true,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
  },
  projects: [
    {
      name: 'chromium',
      testIgnore: /electron\.spec\.ts$/,
      use: {
        browserName: 'chromium',
        launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
      },
    },
    {
      // No browser: the spec launches Electron itself and never touches the page fixture.
      name: 'electron',
      testMatch: /electron\.spec\.ts$/,
    },
  ],
});
