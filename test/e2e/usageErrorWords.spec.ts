import { collectProblems, expect, test } from './serveFixture.ts';
import { servedDatabase } from './servedDatabase.ts';

/**
 * The recent calls on the Usage page say in words how each one ended and why one failed: the
 * router's kinds ("context-length", "rate-limited", "bad-request") are codes for programs, not
 * for the person reading the table. A kind this page does not know is shown as it is.
 */
test('usage: each call says in words how it ended and why it failed', async ({ page, home, startServer }) => {
  const serve = await startServer();
  const db = await servedDatabase(serve, home);
  const insert = db.prepare(
    `INSERT INTO attempts (request_id, attempt_no, started_at, task, provider_id, model, outcome, error_kind, status, input_tokens, output_tokens, latency_ms, cost_usd, reason)
     VALUES (?, 1, ?, 'code', 'fake', 'm1', ?, ?, ?, 10, 5, 120, 0, 'first')`,
  );
  const at = (seconds: number) => new Date(Date.now() - seconds * 1000).toISOString();
  insert.run('request-ok', at(5), 'ok', null, null);
  insert.run('request-long', at(4), 'error', 'context-length', 400);
  insert.run('request-busy', at(3), 'error', 'rate-limited', 429);
  insert.run('request-new', at(2), 'error', 'some-new-kind', null);
  insert.run('request-stopped', at(1), 'cancelled', 'cancelled', null);
  db.close();

  const problems = collectProblems(page);
  await page.goto(serve.url);
  await page.getByTestId('nav-usage').click();
  const rows = page.getByTestId('usage-row');
  await expect(rows).toHaveCount(5);
  await expect(rows.locator('.outcome')).toHaveText(['Cancelled', 'Failed', 'Failed', 'Failed', 'Answered']);
  await expect(rows.locator('.usage-error')).toHaveText(['Cancelled', 'some-new-kind', 'Too many requests (429)', 'Prompt too long for the model (400)', '—']);
  expect(problems).toEqual([]);
});
