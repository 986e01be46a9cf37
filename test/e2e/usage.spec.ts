import { startFakeOpenAiServer } from '../support/fakes/fakeOpenAiServer.ts';
import { runCli } from './startServe.ts';
import { collectProblems, expect, test } from './serveFixture.ts';

/**
 * The Usage page in Chromium against a real `service-creator serve`, on a data folder filled by
 * real routed calls (`service-creator chat`): a cloud provider listed first is skipped in the
 * default Local-only mode, then a local OpenAI-compatible server answers. The calls and the
 * skipped targets are listed apart (the skips folded, each with why), and the local calls cost
 * $0, not "unknown".
 */
test.describe('usage', () => {
  test('calls and skipped targets apart; local calls cost $0', async ({ page, home, startServer }) => {
    const fake = await startFakeOpenAiServer({ models: ['m1'] });
    try {
      const cloud = await runCli(['providers', 'add', '--id', 'claude', '--type', 'anthropic', '--model', 'claude-sonnet-4-5', '--api-key-env', 'E2E_UNSET_KEY', '--json'], home);
      expect(cloud.code, cloud.stderr).toBe(0);
      const local = await runCli(['providers', 'add', '--id', 'fake', '--type', 'openai', '--base-url', fake.url, '--model', 'm1', '--local', '--json'], home);
      expect(local.code, local.stderr).toBe(0);
      for (const prompt of ['one', 'two', 'three']) {
        const chat = await runCli(['chat', '--prompt', prompt, '--json'], home);
        expect(chat.code, chat.stderr).toBe(0);
      }
      expect(fake.requests.filter((request) => request.path === '/v1/chat/completions')).toHaveLength(3);

      const serve = await startServer();
      const problems = collectProblems(page);
      await page.goto(serve.url);
      await page.getByTestId('nav-usage').click();

      // The calls: three, each answered by the local server, each costing $0 (not a dash).
      const rows = page.getByTestId('usage-row');
      await expect(rows).toHaveCount(3);
      for (const row of await rows.all()) {
        await expect(row).toHaveAttribute('data-outcome', 'ok');
        await expect(row).toContainText('fake / m1');
        await expect(row.getByTestId('usage-cost')).toHaveText('$0 local');
      }
      await expect(page.getByTestId('usage-total-calls')).toHaveText('3 (3 skipped targets listed apart)');
      await expect(page.getByTestId('usage-total-cost')).toHaveText('$0');
      await expect(page.getByTestId('usage-table')).not.toContainText('skipped');
      await expect(page.getByTestId('usage-table')).not.toContainText('claude');

      // The skips: folded under their count, and once opened, each with why.
      const skipped = page.getByTestId('usage-skipped');
      await expect(skipped.locator('summary')).toContainText('Skipped targets (3)');
      await expect(page.getByTestId('usage-skipped-row').first()).toBeHidden();
      await skipped.locator('summary').click();
      await expect(page.getByTestId('usage-skipped-row')).toHaveCount(3);
      for (const row of await page.getByTestId('usage-skipped-row').all()) {
        await expect(row).toBeVisible();
        await expect(row).toContainText('claude / claude-sonnet-4-5');
        await expect(row.getByTestId('usage-skipped-why')).toHaveText('cloud provider not allowed in local-only mode');
      }
      // Folded again.
      await skipped.locator('summary').click();
      await expect(page.getByTestId('usage-skipped-row').first()).toBeHidden();
      expect(problems).toEqual([]);
    } finally {
      await fake.close();
    }
  });
});
