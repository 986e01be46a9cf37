import { startFakeOpenAiServer } from '../support/fakes/fakeOpenAiServer.ts';
import { runCli } from './startServe.ts';
import { collectProblems, expect, test } from './serveFixture.ts';

/**
 * Provider health and telemetry in Chromium against a real `service-creator serve`: the data
 * folder is filled by real routed calls (`service-creator chat`) to a local OpenAI-compatible
 * server that answers three times and refuses the fourth.
 */
test('provider health: each model with its state and its failures and latency in words', async ({ page, home, startServer }) => {
  const fake = await startFakeOpenAiServer({
    models: ['m1'],
    script: [{ reply: 'one' }, { reply: 'two' }, { reply: 'three' }, { status: 400, body: { error: { message: 'bad request', type: 'invalid_request_error' } } }],
  });
  try {
    const added = await runCli(['providers', 'add', '--id', 'box', '--label', 'Office box', '--type', 'openai', '--base-url', fake.url, '--model', 'm1', '--local', '--json'], home);
    expect(added.code, added.stderr).toBe(0);
    for (const prompt of ['one', 'two', 'three']) expect((await runCli(['chat', '--prompt', prompt, '--json'], home)).code).toBe(0);
    expect((await runCli(['chat', '--prompt', 'refused', '--json'], home)).code).toBe(1);

    const serve = await startServer();
    const problems = collectProblems(page);
    await page.goto(serve.url);
    await page.getByTestId('nav-usage').click();
    const panel = page.getByTestId('provider-health');
    await expect(panel.getByRole('heading', { name: 'Provider health' })).toBeVisible();
    const row = panel.getByTestId('health-row');
    await expect(row).toHaveCount(1);
    await expect(row.getByRole('rowheader')).toHaveText('Office box / m1');
    await expect(row.getByTestId('health-breaker')).toHaveText('working');
    for (const window of ['hour', 'day']) {
      const cell = row.getByTestId(`health-${window}`);
      await expect(cell).toContainText('1 of 4 calls failed (25%)');
      await expect(cell).toContainText(/Typically \d+ ms; 1 in 20 slower than \d+ ms/);
    }
    await expect(panel.getByRole('columnheader')).toHaveText(['Provider / model', 'Now', 'Last hour', 'Last day']);

    // A call made meanwhile (the CLI) shows after Refresh.
    expect((await runCli(['chat', '--prompt', 'four', '--json'], home)).code).toBe(0);
    await page.getByTestId('usage-refresh').click();
    await expect(row.getByTestId('health-hour')).toContainText('1 of 5 calls failed (20%)');
    expect(problems).toEqual([]);
  } finally {
    await fake.close();
  }
});

test('provider health with no call in the last day says so where its panel stands, as the CLI does', async ({ page, serve }) => {
  const problems = collectProblems(page);
  await page.goto(serve.url);
  await page.getByTestId('nav-usage').click();
  const panel = page.getByTestId('provider-health');
  await expect(panel.getByRole('heading', { name: 'Provider health' })).toBeVisible();
  await expect(panel.getByTestId('health-empty')).toHaveText('No model calls in the last day, so there is no health to show yet.');
  await expect(panel.getByTestId('health-row')).toHaveCount(0);
  expect(problems).toEqual([]);
});

test('telemetry: off by default; an address is asked for before it can go on, then it is saved in the core', async ({ page, serve }) => {
  const problems = collectProblems(page);
  await page.goto(serve.url);
  await page.getByTestId('nav-settings').click();
  const enabled = page.getByTestId('telemetry-enabled');
  await expect(enabled).toBeEnabled();
  await expect(enabled).not.toBeChecked();
  await expect(page.getByText('Prompts, answers and code are never sent.', { exact: false })).toBeVisible();

  await enabled.click();
  await expect(page.getByTestId('telemetry-problem')).toHaveText('Give the collector’s address, such as http://localhost:4318.');
  await expect(enabled).not.toBeChecked();
  const address = page.getByTestId('telemetry-endpoint');
  await address.fill('ftp://collector.example');
  await expect(page.getByTestId('telemetry-problem')).toHaveText('The address starts with http:// or https://.');
  await expect(page.getByTestId('telemetry-save')).toBeDisabled();
  await address.fill('http://127.0.0.1:4318');
  await expect(page.getByTestId('telemetry-problem')).toHaveCount(0);
  const networkUse = page.getByTestId('app-network-use');
  await expect(networkUse).toHaveText('Nothing');
  await enabled.click();
  await expect(enabled).toBeChecked();
  await expect
    .poll(async () => ((await runCli(['settings', 'get', '--json'], serve.home)).lines[0] as { settings?: { telemetry?: unknown } } | undefined)?.settings?.telemetry)
    .toEqual({ enabled: true, endpoint: 'http://127.0.0.1:4318', includePrompts: false });
  // On, the collector is listed under what leaves this machine, on the same page at once.
  await expect(networkUse).toContainText('OpenTelemetry collector (127.0.0.1:4318)');
  // Turned off elsewhere (the CLI), the page follows.
  await runCli(['settings', 'telemetry', '--off'], serve.home);
  await expect(enabled).not.toBeChecked();
  await expect(networkUse).toHaveText('Nothing');
  await expect(address).toHaveValue('http://127.0.0.1:4318');
  expect(problems).toEqual([]);
});
