import type { Locator, Page } from '@playwright/test';
import { startFakeOpenAiServer } from '../support/fakes/fakeOpenAiServer.ts';
import { runCli } from './startServe.ts';
import { collectProblems, expect, test } from './serveFixture.ts';
import { openRuns, projectName, test as pipelineTest } from './pipelineFixture.ts';

/**
 * Routing, budgets and prices changed by the CLI (another process on the same data folder) while
 * the Providers and Usage pages are open in Chromium against a real `service-creator serve`: the
 * pages show the new values without a reload; a page with unsaved edits keeps them and says in
 * words that the stored value changed under them.
 */
async function cli(home: string, ...args: string[]): Promise<void> {
  const result = await runCli(args, home);
  expect(result.code, `service-creator ${args.join(' ')}\n${result.stderr}`).toBe(0);
}

/** A mark on the page's window: still there later, the page was not reloaded. */
async function markPage(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as { notReloaded?: boolean }).notReloaded = true;
  });
}

async function expectNotReloaded(page: Page): Promise<void> {
  expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
}

const task = (page: Page, name: string): Locator => page.locator(`[data-testid=routing-task][data-task=${name}]`);
const gauge = (page: Page, label: string) => page.getByTestId('budget-gauge').filter({ has: page.locator('.budget-gauge-label', { hasText: new RegExp(`^${label}$`) }) });

test('routing set by the CLI shows on the open Routing view; an unsaved edit is kept and says the routing changed elsewhere', async ({ page, serve }) => {
  await cli(serve.home, 'providers', 'add', '--id', 'box', '--label', 'Box', '--type', 'openai', '--base-url', 'http://127.0.0.1:9/v1', '--model', 'm1', '--model', 'm2', '--json');
  const problems = collectProblems(page);
  await page.goto(serve.url);
  await page.getByTestId('nav-providers').click();
  const code = task(page, 'code');
  const plan = task(page, 'plan');
  await expect(code.getByTestId('routing-default')).toBeVisible();
  await markPage(page);

  // Targets, weights and a strategy from the CLI: the view shows them as they are stored.
  await cli(serve.home, 'providers', 'routing', 'set', 'code', '--strategy', 'weighted', '--target', 'box/m1:3', '--target', 'box/m2:1');
  await expect(code.getByTestId('routing-target')).toHaveCount(2);
  await expect(code.getByTestId('routing-target').nth(0)).toContainText('m1');
  await expect(code.getByTestId('routing-strategy')).toHaveValue('weighted');
  await expect(code.getByTestId('routing-weight').nth(0)).toHaveValue('3');
  await expect(code.getByTestId('routing-weight').nth(1)).toHaveValue('1');
  await expect(page.getByTestId('routing-save')).toBeDisabled();
  await expect(page.getByTestId('routing-outdated')).toHaveCount(0);

  // An unsaved edit of another task: the CLI's next change of code still shows, the edit stays, nothing is said.
  await plan.getByTestId('routing-provider').selectOption('box');
  await plan.getByTestId('routing-model').fill('m2');
  await plan.getByTestId('routing-add').click();
  await expect(page.getByTestId('routing-state')).toHaveText('Unsaved changes');
  await cli(serve.home, 'providers', 'routing', 'set', 'code', '--strategy', 'ordered', '--target', 'box/m2');
  await expect(code.getByTestId('routing-target')).toHaveCount(1);
  await expect(code.getByTestId('routing-target')).toContainText('m2');
  await expect(code.getByTestId('routing-strategy')).toHaveValue('ordered');
  await expect(plan.getByTestId('routing-target')).toHaveCount(1);
  await expect(page.getByTestId('routing-state')).toHaveText('Unsaved changes');
  await expect(page.getByTestId('routing-outdated')).toHaveCount(0);

  // The CLI changes the task being edited: the edit is kept and the page says so in words.
  await cli(serve.home, 'providers', 'routing', 'set', 'plan', '--target', 'box/m1');
  await expect(page.getByTestId('routing-outdated')).toHaveText('The routing changed elsewhere while you edited it. Saving replaces it with yours; Discard shows the new one.');
  await expect(plan.getByTestId('routing-target')).toHaveCount(1);
  await expect(plan.getByTestId('routing-target')).toContainText('m2');
  // Discard shows what the CLI stored.
  await page.getByRole('button', { name: 'Discard changes' }).click();
  await expect(page.getByTestId('routing-outdated')).toHaveCount(0);
  await expect(plan.getByTestId('routing-target')).toHaveCount(1);
  await expect(plan.getByTestId('routing-target')).toContainText('m1');

  // And the CLI clearing a task shows too.
  await cli(serve.home, 'providers', 'routing', 'set', 'code', '--clear');
  await expect(code.getByTestId('routing-default')).toBeVisible();
  await expectNotReloaded(page);
  expect(problems).toEqual([]);
});

test('budgets set, changed and cleared by the CLI show on the open Usage page; a budget being typed is kept and says what changed', async ({ page, serve }) => {
  const problems = collectProblems(page);
  await page.goto(serve.url);
  await page.getByTestId('nav-usage').click();
  const section = page.getByTestId('usage-budgets');
  await expect(section.getByTestId('budget-gauges-empty')).toHaveText('No budgets set.');
  await markPage(page);

  await cli(serve.home, 'budget', 'set', '12.50', '--period', 'month');
  const monthly = gauge(page, 'The monthly budget');
  await expect(monthly.locator('.budget-gauge-figures')).toHaveText('$0 of $12.50');

  // The user starts changing it; the CLI changes it meanwhile: the typed amount stays, the page says what it is now.
  await monthly.getByTestId('budget-change').click();
  await page.getByTestId('budget-amount').fill('30');
  await expect(page.getByTestId('budget-replaces')).toHaveText('This changes the monthly budget, now $12.50.');
  await expect(page.getByTestId('budget-outdated')).toHaveCount(0);
  await cli(serve.home, 'budget', 'set', '15', '--period', 'month');
  await expect(monthly.locator('.budget-gauge-figures')).toHaveText('$0 of $15.00');
  await expect(page.getByTestId('budget-amount')).toHaveValue('30');
  await expect(page.getByTestId('budget-replaces')).toHaveText('This changes the monthly budget, now $15.00.');
  await expect(page.getByTestId('budget-outdated')).toHaveText('This budget changed elsewhere while you typed: it is now $15.00. Saving replaces it with yours.');

  // Cleared by the CLI: the gauge goes, the typed amount stays.
  await cli(serve.home, 'budget', 'clear', '--period', 'month');
  await expect(section.getByTestId('budget-gauges-empty')).toHaveText('No budgets set.');
  await expect(page.getByTestId('budget-amount')).toHaveValue('30');
  await expect(page.getByTestId('budget-outdated')).toHaveText('This budget was removed elsewhere while you typed. Saving sets it again with your limit.');

  // Saved from the page: the user's limit, and nothing more to say.
  await page.getByTestId('budget-save').click();
  await expect(monthly.locator('.budget-gauge-figures')).toHaveText('$0 of $30.00');
  await expect(page.getByTestId('budget-outdated')).toHaveCount(0);
  await expect(page.getByTestId('budget-saved')).toHaveText('Saved: a budget of $30.00 a month.');

  // A daily one added by the CLI joins it.
  await cli(serve.home, 'budget', 'set', '2', '--period', 'day');
  await expect(gauge(page, 'The daily budget').locator('.budget-gauge-figures')).toHaveText('$0 of $2.00');
  await expect(page.getByTestId('budget-gauge')).toHaveCount(2);
  await expectNotReloaded(page);
  expect(problems).toEqual([]);
});

test('a price set by the CLI shows on the open Prices table; a price being edited is kept and says what it is now', async ({ page, serve }) => {
  const problems = collectProblems(page);
  await page.goto(serve.url);
  await page.getByTestId('nav-providers').click();
  await expect(page.getByTestId('pricing-table')).toBeVisible();
  await markPage(page);
  const row = (model: string) => page.locator(`[data-testid=pricing-row][data-model="${model}"]`);

  await cli(serve.home, 'pricing', 'set', 'corp-model', '--input', '1', '--output', '2');
  await expect(row('corp-model').locator('td.numeric')).toHaveText(['$1.00', '$2.00']);
  await expect(row('corp-model').getByTestId('pricing-source')).toHaveText('Your price');

  await row('corp-model').getByTestId('pricing-edit').click();
  await row('corp-model').getByTestId('pricing-input').fill('5');
  await cli(serve.home, 'pricing', 'set', 'corp-model', '--input', '1.5', '--output', '2.5');
  const outdated = page.locator('[data-testid=pricing-outdated][data-model="corp-model"]');
  await expect(outdated).toHaveText('This price changed elsewhere while you edited it: it is now $1.50 for input and $2.50 for output. Saving replaces it with yours; Cancel keeps the new one.');
  await expect(row('corp-model').getByTestId('pricing-input')).toHaveValue('5');
  await row('corp-model').getByTestId('pricing-cancel').click();
  await expect(outdated).toHaveCount(0);
  await expect(row('corp-model').locator('td.numeric')).toHaveText(['$1.50', '$2.50']);

  await cli(serve.home, 'pricing', 'reset', 'corp-model');
  await expect(row('corp-model')).toHaveCount(0);
  await expectNotReloaded(page);
  expect(problems).toEqual([]);
});

test('a price being edited that another process resets away is kept as typed, and the row says it has no saved price now', async ({ page, serve }) => {
  const problems = collectProblems(page);
  await cli(serve.home, 'pricing', 'set', 'corp-model', '--input', '1', '--output', '2');
  await page.goto(serve.url);
  await page.getByTestId('nav-providers').click();
  await markPage(page);
  const row = (model: string) => page.locator(`[data-testid=pricing-row][data-model="${model}"]`);
  await expect(row('corp-model').locator('td.numeric')).toHaveText(['$1.00', '$2.00']);

  // The model is not in the shipped table: reset by the CLI, it has no price at all, yet the typed one stays.
  await row('corp-model').getByTestId('pricing-edit').click();
  await row('corp-model').getByTestId('pricing-input').fill('5');
  await row('corp-model').getByTestId('pricing-output').fill('7');
  await cli(serve.home, 'pricing', 'reset', 'corp-model');
  const outdated = page.locator('[data-testid=pricing-outdated][data-model="corp-model"]');
  await expect(outdated).toHaveText('This price was removed elsewhere while you edited it: the model has no saved price now. Saving sets yours again; Cancel leaves it without one.');
  await expect(row('corp-model').getByTestId('pricing-input')).toHaveValue('5');
  await expect(row('corp-model').getByTestId('pricing-output')).toHaveValue('7');
  await expect(row('corp-model').getByTestId('pricing-source')).toHaveText('No saved price');

  // Saved: the user's price is back, and nothing more is said.
  await row('corp-model').getByTestId('pricing-save').click();
  await expect(row('corp-model').locator('td.numeric')).toHaveText(['$5.00', '$7.00']);
  await expect(row('corp-model').getByTestId('pricing-source')).toHaveText('Your price');
  await expect(outdated).toHaveCount(0);

  // Reset away again while edited, then Cancel: the row goes with the inputs.
  await row('corp-model').getByTestId('pricing-edit').click();
  await row('corp-model').getByTestId('pricing-input').fill('9');
  await cli(serve.home, 'pricing', 'reset', 'corp-model');
  await expect(outdated).toBeVisible();
  await expect(row('corp-model').getByTestId('pricing-input')).toHaveValue('9');
  await row('corp-model').getByTestId('pricing-cancel').click();
  await expect(row('corp-model')).toHaveCount(0);
  await expectNotReloaded(page);
  expect(problems).toEqual([]);
});

const keyEnv = 'E2E_EXTERNAL_CLOUD_KEY';

test('budget gauges move within seconds when another process (the CLI) spends, without Refresh', async ({ page, home, startServer }) => {
  // Each answer: 1000 output tokens at $1000 per million = $1.00.
  const fake = await startFakeOpenAiServer({ models: ['m1'], respond: () => ({ reply: 'fine', usage: { inputTokens: 0, outputTokens: 1000 } }) });
  try {
    // The CLI processes below read the key from the environment they inherit.
    process.env[keyEnv] = 'sk-e2e-external-0000';
    await cli(home, 'providers', 'add', '--id', 'cloud', '--type', 'openai', '--base-url', fake.url, '--model', 'm1', '--cloud', '--api-key-env', keyEnv, '--json');
    await cli(home, 'settings', 'set', 'privacyMode', 'cloud-allowed');
    await cli(home, 'pricing', 'set', 'm1', '--input', '0', '--output', '1000');
    await cli(home, 'budget', 'set', '10', '--period', 'month');
    await cli(home, 'budget', 'set', '4', '--period', 'day', '--provider', 'cloud');
    const serve = await startServer();
    const problems = collectProblems(page);
    await page.goto(serve.url);
    await page.getByTestId('nav-usage').click();
    const monthly = gauge(page, 'The monthly budget');
    const daily = gauge(page, 'The daily budget for provider "cloud"');
    await expect(monthly.locator('.budget-gauge-figures')).toHaveText('$0 of $10.00');
    await expect(daily.locator('.budget-gauge-figures')).toHaveText('$0 of $4.00');
    await markPage(page);

    await cli(home, 'chat', '--prompt', 'one', '--json');
    await expect(monthly.locator('.budget-gauge-figures')).toHaveText('$1.00 of $10.00', { timeout: 5000 });
    await expect(daily.locator('.budget-gauge-figures')).toHaveText('$1.00 of $4.00', { timeout: 5000 });
    await expect(daily.getByRole('meter')).toHaveAttribute('aria-valuenow', '25');
    await cli(home, 'chat', '--prompt', 'two', '--json');
    await expect(monthly.locator('.budget-gauge-figures')).toHaveText('$2.00 of $10.00', { timeout: 5000 });
    await expect(daily.getByRole('meter')).toHaveAttribute('aria-valuenow', '50', { timeout: 5000 });
    await expectNotReloaded(page);
    expect(problems).toEqual([]);
  } finally {
    delete process.env[keyEnv];
    await fake.close();
  }
});

test('a budget draft restored after a reload says beside it what the saved limit is, and what changed while the page was closed', async ({ page, serve }) => {
  const problems = collectProblems(page);
  await cli(serve.home, 'budget', 'set', '12.50', '--period', 'month');
  await page.goto(serve.url);
  await page.getByTestId('nav-usage').click();
  const form = page.getByTestId('budget-form');
  await gauge(page, 'The monthly budget').getByTestId('budget-change').click();
  await page.getByTestId('budget-amount').fill('30');
  await expect(form.getByTestId('draft-restored')).toHaveCount(0);

  // Reloaded: the typed limit is back, with the saved one beside it in words.
  await page.reload();
  await expect(page.getByTestId('budget-amount')).toHaveValue('30');
  await expect(form.getByTestId('draft-restored')).toContainText('Draft restored.');
  await expect(form.getByTestId('draft-saved-value')).toHaveText('Your $30.00 a month is not saved yet; the saved limit is $12.50 a month.');
  await expect(page.getByTestId('budget-outdated')).toHaveCount(0);

  // Changed by the CLI while no page was open: the restored draft says so when it comes back.
  await page.goto('about:blank');
  await cli(serve.home, 'budget', 'set', '15', '--period', 'month');
  await page.goto(serve.url);
  await page.getByTestId('nav-usage').click();
  await expect(page.getByTestId('budget-amount')).toHaveValue('30');
  await expect(form.getByTestId('draft-saved-value')).toHaveText('Your $30.00 a month is not saved yet; the saved limit is $15.00 a month.');
  await expect(page.getByTestId('budget-outdated')).toHaveText('This budget changed elsewhere while you typed: it is now $15.00. Saving replaces it with yours.');

  // Cleared by the CLI while no page was open.
  await page.goto('about:blank');
  await cli(serve.home, 'budget', 'clear', '--period', 'month');
  await page.goto(serve.url);
  await page.getByTestId('nav-usage').click();
  await expect(page.getByTestId('budget-amount')).toHaveValue('30');
  await expect(form.getByTestId('draft-saved-value')).toHaveText('Your $30.00 a month is not saved yet; no budget is saved for these calls and period.');
  await expect(page.getByTestId('budget-outdated')).toHaveText('This budget was removed elsewhere while you typed. Saving sets it again with your limit.');

  await page.getByTestId('budget-save').click();
  await expect(gauge(page, 'The monthly budget').locator('.budget-gauge-figures')).toHaveText('$0 of $30.00');
  await expect(form.getByTestId('draft-restored')).toHaveCount(0);
  await expect(page.getByTestId('budget-outdated')).toHaveCount(0);
  expect(problems).toEqual([]);
});

/** The dashboard's figures are asked again at most every 5 s while calls are made: the first change at once, the last within 5 s. */
const followWithinMs = 8000;

test('the Usage dashboard, provider health and the response cache figures follow calls another process (the CLI) makes, without Refresh', async ({ page, home, startServer }) => {
  test.setTimeout(90_000);
  const fake = await startFakeOpenAiServer({ models: ['m1'], respond: () => ({ reply: 'fine', usage: { inputTokens: 10, outputTokens: 5 } }) });
  try {
    await cli(home, 'providers', 'add', '--id', 'box', '--label', 'Office box', '--type', 'openai', '--base-url', fake.url, '--model', 'm1', '--local', '--json');
    await cli(home, 'cache', 'on');
    await cli(home, 'chat', '--prompt', 'one', '--json');
    const serve = await startServer();
    const problems = collectProblems(page);
    await page.goto(serve.url);
    await page.getByTestId('nav-usage').click();
    await expect(page.getByTestId('usage-row')).toHaveCount(1);
    await expect(page.getByTestId('usage-total-calls')).toHaveText('1');
    const health = page.getByTestId('provider-health').getByTestId('health-row');
    await expect(health.getByTestId('health-hour')).toContainText('None of 1 call failed');
    // The range chosen stays what it was as the figures follow.
    await page.getByTestId('usage-range-week').click();
    await expect(page.getByTestId('usage-range-week')).toHaveAttribute('aria-pressed', 'true');
    await page.getByTestId('usage-export-by').selectOption('task');
    await markPage(page);

    await cli(home, 'chat', '--prompt', 'two', '--json');
    await expect(page.getByTestId('usage-row')).toHaveCount(2, { timeout: followWithinMs });
    await expect(page.getByTestId('usage-total-calls')).toHaveText('2', { timeout: followWithinMs });
    await expect(health.getByTestId('health-hour')).toContainText('None of 2 calls failed', { timeout: followWithinMs });
    await expect(page.getByTestId('usage-range-week')).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByTestId('usage-export-by')).toHaveValue('task');

    // Settings' cache figures: a call answered from the cache elsewhere shows while the section is open.
    await page.getByTestId('nav-settings').click();
    const section = page.getByTestId('settings-cache');
    await expect(section.getByTestId('cache-lookups')).toContainText('0 requests answered from the cache at no cost, 2 requests sent to the model');
    await cli(home, 'chat', '--prompt', 'two', '--json');
    await expect(section.getByTestId('cache-lookups')).toContainText('1 request answered from the cache at no cost, 2 requests sent to the model', { timeout: followWithinMs });
    await cli(home, 'cache', 'clear');
    await expect(section.getByTestId('cache-kept')).toHaveText(/^No answers kept/, { timeout: followWithinMs });
    await expectNotReloaded(page);
    expect(fake.count('/v1/chat/completions')).toBe(2);
    expect(problems).toEqual([]);
  } finally {
    await fake.close();
  }
});

test('Settings: guard words, a collector address and cache limits being typed are kept when the CLI changes them, and say what is saved now', async ({ page, serve }) => {
  const problems = collectProblems(page);
  await cli(serve.home, 'settings', 'privacy-guard', 'on', '--term', 'Acme');
  await page.goto(serve.url);
  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('guard-terms')).toHaveValue('Acme');
  await markPage(page);

  await page.getByTestId('guard-terms').fill('Acme\nGlobex');
  await page.getByTestId('telemetry-endpoint').fill('http://127.0.0.1:4318');
  await page.getByTestId('cache-ttl-hours').fill('48');

  await cli(serve.home, 'settings', 'privacy-guard', 'on', '--term', 'Initech');
  await expect(page.getByTestId('guard-terms-outdated')).toHaveText('Your words changed elsewhere while you typed: they are now “Initech”. Saving replaces them with yours.');
  await expect(page.getByTestId('guard-terms')).toHaveValue('Acme\nGlobex');

  await cli(serve.home, 'settings', 'telemetry', '--off', '--endpoint', 'http://127.0.0.1:9999');
  await expect(page.getByTestId('telemetry-outdated')).toHaveText('The address changed elsewhere while you typed: it is now http://127.0.0.1:9999. Saving replaces it with yours.');
  await expect(page.getByTestId('telemetry-endpoint')).toHaveValue('http://127.0.0.1:4318');

  await cli(serve.home, 'cache', 'on', '--ttl-hours', '24');
  const cache = page.getByTestId('settings-cache');
  await expect(cache.getByTestId('draft-saved-value')).toHaveText('The saved limits are 24 hours and 256 MB.');
  await expect(page.getByTestId('cache-ttl-hours')).toHaveValue('48');

  // Saved from the page: theirs replaced, nothing more to say.
  await page.getByTestId('guard-terms-save').click();
  await expect(page.getByTestId('guard-terms-outdated')).toHaveCount(0);
  await expect(page.getByTestId('guard-terms')).toHaveValue('Acme\nGlobex');
  await page.getByTestId('telemetry-save').click();
  await expect(page.getByTestId('telemetry-outdated')).toHaveCount(0);
  await expect(page.getByTestId('telemetry-save')).toHaveCount(0);
  // A field not being edited follows the CLI.
  await cli(serve.home, 'settings', 'privacy-guard', 'on', '--term', 'Umbrella');
  await expect(page.getByTestId('guard-terms')).toHaveValue('Umbrella');
  await expect(page.getByTestId('guard-terms-outdated')).toHaveCount(0);
  await expectNotReloaded(page);
  expect(problems).toEqual([]);
});

test('a provider being edited follows what the CLI changes in fields not edited, keeps the edits, says which edited field changed, and Save keeps both', async ({ page, serve }) => {
  const problems = collectProblems(page);
  await cli(serve.home, 'providers', 'add', '--id', 'box', '--label', 'Box', '--type', 'openai', '--base-url', 'http://127.0.0.1:9/v1', '--model', 'm1', '--json');
  await page.goto(serve.url);
  await page.getByTestId('nav-providers').click();
  const form = page.getByTestId('provider-form');
  await page.getByTestId('provider-edit').click();
  await form.getByTestId('provider-label').fill('Office box');
  await markPage(page);

  // A field not edited here follows the CLI; the edit stays; nothing to say.
  await cli(serve.home, 'providers', 'edit', 'box', '--timeout', '900');
  await expect(form.getByTestId('provider-total-timeout')).toHaveValue('900');
  await expect(form.getByTestId('provider-label')).toHaveValue('Office box');
  await expect(form.getByTestId('provider-outdated')).toHaveCount(0);

  // A field edited here and changed by the CLI: the edit stays, and the form says what is saved now.
  await form.getByTestId('provider-first-token-timeout').fill('30');
  await cli(serve.home, 'providers', 'edit', 'box', '--first-token-timeout', '45');
  await expect(form.getByTestId('provider-outdated')).toHaveText(
    'This provider changed elsewhere while you edited it: Wait for the first word is now 45 there. Saving replaces it with yours; the fields you did not change show what is saved now.',
  );
  await expect(form.getByTestId('provider-first-token-timeout')).toHaveValue('30');

  await form.getByTestId('provider-save').click();
  await expect(form.getByTestId('provider-form-status')).toContainText('Saved.');
  await expect(form.getByTestId('provider-outdated')).toHaveCount(0);
  const listed = await runCli(['providers', 'list', '--json'], serve.home);
  const box = listed.lines.map((line) => line.provider as { config: Record<string, unknown> } | undefined).find((provider) => provider?.config.id === 'box');
  expect(box?.config).toMatchObject({ label: 'Office box', firstTokenTimeoutMs: 30_000, totalTimeoutMs: 900_000 });
  await expectNotReloaded(page);
  expect(problems).toEqual([]);
});

test('a budget another process (the CLI) brings past 80 % is said in the app shell, as one passed here is', async ({ page, home, startServer }) => {
  const fake = await startFakeOpenAiServer({ models: ['m1'], respond: () => ({ reply: 'fine', usage: { inputTokens: 0, outputTokens: 1000 } }) });
  try {
    process.env[keyEnv] = 'sk-e2e-external-0000';
    await cli(home, 'providers', 'add', '--id', 'cloud', '--type', 'openai', '--base-url', fake.url, '--model', 'm1', '--cloud', '--api-key-env', keyEnv, '--json');
    await cli(home, 'settings', 'set', 'privacyMode', 'cloud-allowed');
    await cli(home, 'pricing', 'set', 'm1', '--input', '0', '--output', '1000');
    await cli(home, 'budget', 'set', '1.20', '--period', 'day');
    const serve = await startServer();
    const problems = collectProblems(page);
    await page.goto(serve.url);
    await page.getByTestId('nav-projects').click();
    await expect(page.getByTestId('budget-warning')).toHaveCount(0);

    // The CLI's call costs $1.00 of the $1.20: the open app says so, on any page.
    await cli(home, 'chat', '--prompt', 'one', '--max-tokens', '100', '--json');
    await expect(page.getByTestId('budget-warning-text')).toHaveText('The daily budget has used 83 % ($1.00 of $1.20); $0.2000 left.', { timeout: 5000 });
    await expect(page.getByTestId('budget-warning')).toHaveCount(1);
    await page.getByTestId('budget-warning-dismiss').click();
    await expect(page.getByTestId('budget-warning')).toHaveCount(0);
    expect(problems).toEqual([]);
  } finally {
    delete process.env[keyEnv];
    await fake.close();
  }
});

test('a provider being edited that the CLI removes keeps its form and what was typed; Save adds it again, Cancel lets it go', async ({ page, serve }) => {
  const problems = collectProblems(page);
  await cli(serve.home, 'providers', 'add', '--id', 'box', '--label', 'Box', '--type', 'openai', '--base-url', 'http://127.0.0.1:9/v1', '--model', 'm1', '--json');
  await page.goto(serve.url);
  await page.getByTestId('nav-providers').click();
  const form = page.getByTestId('provider-form');
  await page.getByTestId('provider-edit').click();
  await form.getByTestId('provider-label').fill('Office box');
  await markPage(page);

  await cli(serve.home, 'providers', 'remove', 'box', '--json');
  await expect(form.getByTestId('provider-removed')).toHaveText('This provider was removed elsewhere while you edited it. Saving adds it again with what you typed; Cancel lets it go.');
  await expect(form.getByTestId('provider-label')).toHaveValue('Office box');
  await expect(form.getByTestId('provider-save')).toHaveText('Add it again');
  await form.getByTestId('provider-save').click();
  await expect(form.getByTestId('provider-removed')).toHaveCount(0);
  await expect(form.getByTestId('provider-form-status')).toContainText('Saved.');
  const listed = await runCli(['providers', 'list', '--json'], serve.home);
  expect(listed.lines.map((line) => (line.provider as { config: { id: string; label: string } } | undefined)?.config)).toContainEqual(expect.objectContaining({ id: 'box', label: 'Office box' }));

  // Removed again while edited, then Cancel: it goes with the form.
  await form.getByTestId('provider-form-close').click();
  await page.getByTestId('provider-edit').click();
  await form.getByTestId('provider-label').fill('Shed');
  await cli(serve.home, 'providers', 'remove', 'box', '--json');
  await expect(form.getByTestId('provider-removed')).toBeVisible();
  await form.getByTestId('provider-form-close').click();
  await expect(page.getByTestId('provider-item')).toHaveCount(0);
  await expectNotReloaded(page);
  expect(problems).toEqual([]);
});

pipelineTest('a run the CLI plans and generates shows on the open Generation runs page, finished, without Refresh', async ({ page, setup, home }) => {
  const { serve } = await setup();
  const problems = collectProblems(page);
  await openRuns(page, serve.url);
  await expect(page.getByTestId('run-list-item')).toHaveCount(0);
  await markPage(page);

  // Another process (the CLI) on the same data folder plans and generates the service to the end.
  const generated = await runCli(['generate', '--project', projectName], home, 60_000);
  expect(generated.code, generated.stderr).toBe(0);

  // The open page lists the run and shows it finished, within seconds, without a reload.
  await expect(page.getByTestId('run-list-item')).toHaveCount(1, { timeout: 10_000 });
  await expect(page.getByTestId('run-monitor')).toHaveAttribute('data-status', 'done', { timeout: 10_000 });
  await expectNotReloaded(page);
  expect(problems).toEqual([]);
});
