import { collectProblems, expect, test } from './serveFixture.ts';
import { servedDatabase } from './servedDatabase.ts';

/**
 * Thirty providers called over the month (written straight into the attempts table of the real
 * data folder). The charts with a bar per provider grow with them, so every bar has room for its
 * name beside it (Chart.js leaves out names that do not fit: in a frame of a fixed height, 22 of
 * 30 bars had none); the stacked cost per day names ten stacks, the last the other providers.
 */
test('usage with thirty providers: every bar of a chart by provider has room for its name', async ({ page, home, startServer }) => {
  const serve = await startServer();
  const db = await servedDatabase(serve, home);
  const insert = db.prepare(
    `INSERT INTO attempts (request_id, attempt_no, started_at, task, provider_id, model, outcome, input_tokens, output_tokens, latency_ms, first_token_ms, cost_usd, reason)
     VALUES (?, 1, ?, 'code', ?, 'm', 'ok', 1000, 500, 300, 100, 0.01, 'first')`,
  );
  const now = new Date().toISOString();
  db.transaction(() => {
    for (let i = 0; i < 300; i++) insert.run(`request-${i}`, now, `provider-number-${i % 30}`);
  })();
  db.close();

  const problems = collectProblems(page);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(serve.url);
  await page.getByTestId('nav-usage').click();
  await expect(page.getByTestId('usage-total-calls')).toContainText('300');
  // A line of the axis's 12-pixel text per bar (two bars, median and p95, for latency).
  for (const [chart, perName] of [['cost-provider', 14], ['latency', 14]] as const) {
    const canvas = page.getByTestId(`usage-chart-${chart}`).locator('canvas');
    await expect(canvas).toBeVisible();
    const box = await canvas.boundingBox();
    expect(box?.height ?? 0, chart).toBeGreaterThanOrEqual(30 * perName);
    await expect(page.getByTestId(`usage-chart-${chart}`).getByTestId('usage-chart-table').locator('tbody tr')).toHaveCount(30);
  }
  const stacks = page.getByTestId('usage-chart-cost-day').getByTestId('usage-chart-table').locator('thead th');
  await expect(stacks).toHaveCount(11);
  await expect(stacks.last()).toHaveText('Other providers');
  expect(problems).toEqual([]);
});
