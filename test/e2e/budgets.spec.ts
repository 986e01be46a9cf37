import type { Page } from '@playwright/test';
import { connectClient } from '../support/bridgeClient.ts';
import { startFakeOpenAiServer } from '../support/fakes/fakeOpenAiServer.ts';
import { vFirewallInterview } from '../support/interviewScript.ts';
import { answer, chatPath, expectQuestion, projectName, reply } from './interviewFixture.ts';
import { internalText } from './internalText.ts';
import { measureLayout } from './layoutCheck.ts';
import { runCli } from './startServe.ts';
import { collectProblems, expect, test } from './serveFixture.ts';

/**
 * Budgets in Chromium against a real `service-creator serve`: a cloud provider (a loopback fake
 * counted as cloud, with a key in the server's environment) whose model has a price, in
 * Cloud-allowed mode. A budget added on the Usage page draws its gauge; the interview's first
 * question reserves 82 % of it, so the shell says so; the next question has no room and the
 * interview says which budget stopped it, in words; Remove takes the budget away.
 */
const keyEnv = 'E2E_BUDGET_CLOUD_KEY';
const firstTurn = vFirewallInterview[0]!;

async function addBudget(page: Page, choice: { scope: string; owner?: string; period: string; amount: string }): Promise<void> {
  const form = page.getByTestId('budget-form');
  await form.getByTestId('budget-scope').selectOption({ label: choice.scope });
  if (choice.owner !== undefined) await form.getByTestId('budget-scope-id').selectOption({ label: choice.owner });
  await form.getByTestId('budget-period').selectOption({ label: choice.period });
  await form.getByTestId('budget-amount').fill(choice.amount);
  await form.getByTestId('budget-save').click();
}

const gauge = (page: Page, label: string) => page.getByTestId('budget-gauge').filter({ has: page.locator('.budget-gauge-label', { hasText: new RegExp(`^${label}$`) }) });

test('a budget added on the Usage page warns at 80 %, stops the call past it in words, and can be changed and removed', async ({ page, startServer }, testInfo) => {
  test.setTimeout(120_000);
  // Answers cost $0.001 a token and prompts nothing: the interview's 2048-token cap reserves $2.048
  // (82 % of $2.50); its answer of 1000 tokens costs $1.00.
  const fake = await startFakeOpenAiServer({ models: ['m1'], script: [{ ...reply(firstTurn.turn), usage: { inputTokens: 50, outputTokens: 1000 } }] });
  try {
    const serve = await startServer({ env: { [keyEnv]: 'sk-e2e-budget-0000' } });
    const client = await connectClient(serve.port, serve.token);
    for (const [channel, input] of [
      ['settings.set', { privacyMode: 'cloud-allowed' }],
      ['providers.add', { config: { id: 'cloud', type: 'openai', label: 'Cloud models', location: 'cloud', baseUrl: fake.url, models: ['m1'], apiKeyEnv: keyEnv, limits: {}, enabled: true } }],
      ['pricing.set', { model: 'm1', inputPerMillion: 0, outputPerMillion: 1000 }],
      ['projects.create', { name: projectName }],
    ] as const) {
      const result = await client.invoke(channel, input);
      expect(result.ok, `${channel}: ${JSON.stringify(result)}`).toBe(true);
    }
    await client.close();

    const problems = collectProblems(page);
    await page.goto(serve.url);
    await page.getByTestId('nav-usage').click();
    const section = page.getByTestId('usage-budgets');
    await expect(section).toContainText('Each call is checked before it is sent');
    await expect(section).toContainText('Local models cost nothing');
    await expect(section.getByTestId('budget-gauges-empty')).toHaveText('No budgets set.');

    // An amount that is not one is named in words before anything is sent.
    await addBudget(page, { scope: 'All calls', period: 'Per day', amount: 'ten' });
    await expect(page.getByTestId('budget-form-problem')).toHaveText('Enter an amount in dollars, like 5 or 12.50.');
    await expect(page.getByTestId('budget-gauge')).toHaveCount(0);
    await page.getByTestId('budget-amount').fill('2.50');
    await expect(page.getByTestId('budget-form-problem')).toHaveCount(0);
    await page.getByTestId('budget-save').click();
    const daily = gauge(page, 'The daily budget');
    await expect(daily).toHaveCount(1);
    await expect(daily.locator('.budget-gauge-figures')).toHaveText('$0 of $2.50');
    await expect(daily.getByRole('meter')).toHaveAttribute('aria-valuenow', '0');
    await expect(page.getByTestId('budget-saved')).toHaveText('Saved: a budget of $2.50 a day.');
    await expect(page.getByTestId('budget-amount')).toHaveValue('');

    // A provider's budget per month, chosen from the configured providers; then changed.
    await addBudget(page, { scope: 'One provider', owner: 'Cloud models', period: 'Per month', amount: '100' });
    const monthly = gauge(page, 'The monthly budget for provider "cloud"');
    await expect(monthly.locator('.budget-gauge-figures')).toHaveText('$0 of $100.00');
    await monthly.getByTestId('budget-change').click();
    await expect(page.getByTestId('budget-amount')).toBeFocused();
    await expect(page.getByTestId('budget-amount')).toHaveValue('100');
    await expect(page.getByTestId('budget-replaces')).toHaveText('This changes the monthly budget for provider "cloud", now $100.00.');
    await page.getByTestId('budget-amount').fill('50');
    await page.getByTestId('budget-save').click();
    await expect(monthly.locator('.budget-gauge-figures')).toHaveText('$0 of $50.00');
    // And one project's, chosen by its name.
    await addBudget(page, { scope: 'One project', owner: projectName, period: 'Per month', amount: '$20' });
    const project = gauge(page, `The monthly budget for project "${projectName}"`);
    await expect(project.locator('.budget-gauge-figures')).toHaveText('$0 of $20.00');
    await expect(page.getByTestId('budget-gauge')).toHaveCount(3);

    // The interview's first question: its reservation passes 80 % of the daily budget.
    await page.getByTestId('nav-projects').click();
    await page.getByRole('button', { name: `Open ${projectName}`, exact: true }).click();
    await expectQuestion(page, firstTurn, 1);
    const warning = page.getByTestId('budget-warning');
    await expect(warning).toHaveCount(1);
    await expect(warning).toHaveAttribute('role', 'status');
    await expect(warning.getByTestId('budget-warning-text')).toHaveText(/^The daily budget has used 8\d % \(\$2\.0\d of \$2\.50\); \$0\.4\d+ left\.$/);
    // The notice fits the narrowest window the app is laid out for.
    await page.setViewportSize({ width: 1024, height: 700 });
    const layout = await measureLayout(page);
    expect(layout.overflowing).toEqual([]);
    expect(layout.scrollHeight).toBeLessThanOrEqual(700);
    await testInfo.attach('budget warning at 1024', { body: await page.screenshot(), contentType: 'image/png' });
    await page.screenshot({ path: testInfo.outputPath('budget-warning-1024.png') });

    // The next question could cost more than is left: not sent, and the page says which budget stopped it.
    await answer(page, firstTurn);
    const refused = page.getByTestId('interview-error');
    await expect(refused).toBeVisible({ timeout: 20_000 });
    await expect(refused).toHaveAttribute('data-code', 'BUDGET_EXCEEDED');
    await expect(refused.getByTestId('interview-error-message')).toContainText('over the daily budget: $1.50 left of $2.50');
    await expect(refused.getByTestId('interview-error-message')).toContainText('Raise or clear the budget in Usage');
    expect(internalText(await page.locator('body').innerText())).toEqual([]);
    expect(fake.count(chatPath)).toBe(1);

    // Dismissed, the warning goes; Open Usage shows the budget with the call's real cost.
    await warning.getByTestId('budget-warning-dismiss').click();
    await expect(page.getByTestId('budget-warning')).toHaveCount(0);
    await refused.getByTestId('interview-open-usage').click();
    await expect(page.getByTestId('nav-usage')).toHaveAttribute('aria-current', 'page');
    await expect(daily.locator('.budget-gauge-figures')).toHaveText('$1.00 of $2.50');
    await expect(daily.getByRole('meter')).toHaveAttribute('aria-valuenow', '40');
    await expect(monthly.locator('.budget-gauge-figures')).toHaveText('$1.00 of $50.00');
    await expect(project.locator('.budget-gauge-figures')).toHaveText('$1.00 of $20.00');

    // A budget half typed survives leaving the page.
    await page.getByTestId('budget-amount').fill('7');
    await page.getByTestId('nav-settings').click();
    await expect(page.getByTestId('settings-theme')).toBeVisible();
    await page.getByTestId('nav-usage').click();
    await expect(page.getByTestId('budget-amount')).toHaveValue('7');
    await expect(page.getByTestId('budget-form').getByTestId('draft-restored')).toBeVisible();
    await page.getByTestId('budget-form').getByTestId('draft-discard').click();
    await expect(page.getByTestId('budget-amount')).toHaveValue('');

    // Remove asks first (Cancel or Escape keeps it), then the budget and its gauge go.
    await daily.getByTestId('budget-remove').click();
    await expect(daily.getByTestId('budget-remove-question')).toContainText('Remove the daily budget? Calls are no longer checked against it');
    await expect(daily.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await daily.getByRole('button', { name: 'Cancel' }).click();
    await expect(daily.getByTestId('budget-remove-question')).toHaveCount(0);
    await daily.getByTestId('budget-remove').click();
    await page.keyboard.press('Escape');
    await expect(daily.getByTestId('budget-remove-question')).toHaveCount(0);
    await expect(daily).toHaveCount(1);
    await daily.getByTestId('budget-remove').click();
    await daily.getByTestId('budget-remove-confirm').click();
    await expect(daily).toHaveCount(0);
    await expect(page.getByTestId('budget-gauge')).toHaveCount(2);
    const after = await connectClient(serve.port, serve.token);
    const listed = await after.invoke('budgets.list');
    await after.close();
    expect(listed).toMatchObject({ ok: true });
    const left = (listed as { value: { scope: string; scopeId: string; period: string; limitUsd: number }[] }).value.map(({ scope, period, limitUsd }) => ({ scope, period, limitUsd }));
    expect(left.sort((a, b) => a.scope.localeCompare(b.scope))).toEqual([
      { scope: 'project', period: 'month', limitUsd: 20 },
      { scope: 'provider', period: 'month', limitUsd: 50 },
    ]);
    expect(problems, problems.join('\n')).toEqual([]);
  } finally {
    await fake.close();
  }
});

test('a budget whose provider was removed offers Remove, not a Change the core would refuse', async ({ page, home, startServer }) => {
  const added = await runCli(['providers', 'add', '--id', 'gw', '--label', 'Gateway', '--type', 'openai', '--base-url', 'http://127.0.0.1:9/v1', '--model', 'm', '--cloud', '--api-key-env', 'E2E_UNSET_KEY', '--json'], home);
  expect(added.code, added.stderr).toBe(0);
  const serve = await startServer();
  const client = await connectClient(serve.port, serve.token);
  expect((await client.invoke('budgets.set', { scope: 'provider', scopeId: 'gw', period: 'day', limitUsd: 2 })).ok).toBe(true);
  expect((await client.invoke('budgets.set', { scope: 'overall', scopeId: '', period: 'month', limitUsd: 20 })).ok).toBe(true);
  await client.close();
  const removed = await runCli(['providers', 'remove', 'gw', '--json'], home);
  expect(removed.code, removed.stderr).toBe(0);

  const problems = collectProblems(page);
  await page.goto(serve.url);
  await page.getByTestId('nav-usage').click();
  const gauges = page.getByTestId('budget-gauge');
  await expect(gauges).toHaveCount(2);
  const orphan = gauges.filter({ hasText: 'removed provider' });
  await expect(orphan.getByTestId('budget-owner-gone')).toHaveText('Its provider was removed, so it counts no more calls.');
  await expect(orphan.getByTestId('budget-change')).toHaveCount(0);
  // The other budget can still be changed.
  await expect(gauges.filter({ hasText: 'monthly' }).getByTestId('budget-change')).toBeVisible();
  await orphan.getByTestId('budget-remove').click();
  await orphan.getByTestId('budget-remove-confirm').click();
  await expect(gauges).toHaveCount(1);
  expect(internalText(await page.locator('body').innerText())).toEqual([]);
  expect(problems).toEqual([]);
});
