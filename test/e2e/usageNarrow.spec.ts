import Database from 'better-sqlite3';
import { join } from 'node:path';
import { connectClient } from '../support/bridgeClient.ts';
import { collectProblems, expect, test } from './serveFixture.ts';

/**
 * The Usage page in a narrow window (800×600) with names nobody planned for: attempts of a
 * provider since removed whose id is 100 characters and a model name of 200, written straight
 * into the attempts table of the real data folder. Nothing may push the page sideways or put the
 * health of a model out of sight.
 */
test('usage in a narrow window: long provider and model names neither stretch the page nor hide the health columns', async ({ page, home, startServer }) => {
  const serve = await startServer();
  const client = await connectClient(serve.port, serve.token);
  // Opens the core (and so the database, migrated) and adds a gauge to the page.
  expect((await client.invoke('budgets.set', { scope: 'overall', scopeId: '', period: 'month', limitUsd: 5 })).ok).toBe(true);
  await client.close();
  const provider = `removed-provider-${'y'.repeat(83)}`;
  const model = `model-${'m'.repeat(194)}`;
  const db = new Database(join(home, 'service-creator.db'));
  const insert = db.prepare(
    `INSERT INTO attempts (request_id, attempt_no, started_at, task, provider_id, model, outcome, input_tokens, output_tokens, latency_ms, first_token_ms, cost_usd, reason)
     VALUES (?, 1, ?, 'interview', ?, ?, 'ok', 1000, 500, 1200, 300, 0.5, 'first')`,
  );
  const now = new Date().toISOString();
  for (let i = 0; i < 3; i++) insert.run(`request-${i}`, now, provider, model);
  db.close();

  const problems = collectProblems(page);
  await page.setViewportSize({ width: 800, height: 600 });
  await page.goto(serve.url);
  await page.getByTestId('nav-usage').click();
  await expect(page.getByTestId('usage-total-calls')).toContainText('3');
  const health = page.getByTestId('provider-health');
  await expect(health.getByTestId('health-row')).toHaveCount(1);
  await expect(page.getByTestId('usage-chart-cost-provider').getByTestId('usage-chart-table').locator('tbody th')).toHaveText([provider]);

  // The view scrolls down only: nothing (the charts' hidden tables included) is wider than it.
  const main = await page.locator('.app-main').evaluate((element) => ({ scrollWidth: element.scrollWidth, clientWidth: element.clientWidth }));
  expect(main.scrollWidth).toBeLessThanOrEqual(main.clientWidth);
  // The health table fits its card: the name wraps, the state and both windows stay in sight.
  const scroller = health.locator('.table-scroll');
  const fits = await scroller.evaluate((element) => ({ scrollWidth: element.scrollWidth, clientWidth: element.clientWidth }));
  expect(fits.scrollWidth).toBeLessThanOrEqual(fits.clientWidth);
  const card = await scroller.boundingBox();
  for (const cell of [health.getByTestId('health-breaker'), health.getByTestId('health-day')]) {
    const box = await cell.boundingBox();
    expect(box).not.toBeNull();
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual((card?.x ?? 0) + (card?.width ?? 0) + 1);
  }
  expect(problems).toEqual([]);
});

/**
 * The Usage page in a browser window 400 pixels wide (`serve` in a phone-sized or split window):
 * the range buttons and the export wrap instead of running off the side, and the charts stand
 * one above another at the view's width rather than two side by side a few pixels wide; the
 * totals and the budget gauges stay within the view too.
 */
test('usage in a 400-pixel window: the toolbar wraps and each chart has the width of the view', async ({ page, home, startServer }) => {
  const serve = await startServer();
  const client = await connectClient(serve.port, serve.token);
  expect((await client.invoke('budgets.set', { scope: 'overall', scopeId: '', period: 'day', limitUsd: 1000 })).ok).toBe(true);
  await client.close();
  const db = new Database(join(home, 'service-creator.db'));
  const insert = db.prepare(
    `INSERT INTO attempts (request_id, attempt_no, started_at, task, provider_id, model, outcome, input_tokens, output_tokens, latency_ms, first_token_ms, cost_usd, reason, cache_hit)
     VALUES (?, 1, ?, 'code', 'fake', 'm1', 'ok', 1000, 500, 1200, 300, 0.5, 'first', ?)`,
  );
  const now = new Date().toISOString();
  for (let i = 0; i < 4; i++) insert.run(`request-${i}`, now, i === 0 ? 1 : 0);
  db.close();

  const problems = collectProblems(page);
  await page.setViewportSize({ width: 400, height: 800 });
  await page.goto(serve.url);
  await page.getByTestId('nav-usage').click();
  await expect(page.getByTestId('usage-total-calls')).toContainText('4');
  await expect(page.getByTestId('budget-gauge')).toHaveCount(1);
  for (const control of [page.getByTestId('usage-range-month'), page.getByTestId('usage-export-csv'), page.getByTestId('usage-refresh')]) await expect(control).toBeInViewport({ ratio: 1 });
  const main = await page.locator('.app-main').evaluate((element) => ({ scrollWidth: element.scrollWidth, clientWidth: element.clientWidth }));
  expect(main.scrollWidth).toBeLessThanOrEqual(main.clientWidth);
  const charts = page.getByTestId('usage-charts');
  const area = await charts.boundingBox();
  for (const chart of ['cost-day', 'cost-provider', 'cost-task', 'tokens', 'cache', 'latency']) {
    const card = await page.getByTestId(`usage-chart-${chart}`).boundingBox();
    expect(card?.width ?? 0, chart).toBeGreaterThanOrEqual((area?.width ?? 0) - 1);
  }
  expect(problems).toEqual([]);
});
