import { collectProblems, expect, test } from './serveFixture.ts';
import { servedDatabase } from './servedDatabase.ts';

/**
 * A model name is the server's, kept as given: one holding a right-to-left override
 * ("abc\u202egnp.exe", which a browser draws as "abcexe.png", and the provider's name and the
 * slash before it turned round with it) is shown on the Usage page as it is, the mark written
 * as a visible escape as the CLI and the CSV export write it, in the calls, the skipped targets
 * and provider health alike.
 */
test('usage: a model name with a direction override is shown as it is, not reordered', async ({ page, home, startServer }) => {
  const serve = await startServer();
  const model = 'abc\u202egnp.exe';
  const db = await servedDatabase(serve, home);
  const insert = db.prepare(
    `INSERT INTO attempts (request_id, attempt_no, started_at, task, provider_id, model, outcome, input_tokens, output_tokens, latency_ms, first_token_ms, cost_usd, reason)
     VALUES (?, 1, ?, 'interview', 'fake', ?, ?, 10, 5, 120, 30, 0, 'first')`,
  );
  const now = new Date().toISOString();
  insert.run('request-ok', now, model, 'ok');
  insert.run('request-skipped', now, model, 'skipped');
  db.close();

  const problems = collectProblems(page);
  await page.goto(serve.url);
  await page.getByTestId('nav-usage').click();
  const shown = 'fake / abc\\u202egnp.exe';
  await expect(page.getByTestId('usage-row').locator('.usage-target > span').first()).toHaveText(shown);
  await page.getByTestId('usage-skipped').locator('summary').click();
  await expect(page.getByTestId('usage-skipped-row').locator('.usage-target')).toHaveText(shown);
  await expect(page.getByTestId('provider-health').getByTestId('health-row').locator('th')).toHaveText(shown);
  expect(problems).toEqual([]);
});
