import { readFile } from 'node:fs/promises';
import { connectClient } from '../support/bridgeClient.ts';
import { startFakeOpenAiServer } from '../support/fakes/fakeOpenAiServer.ts';
import { runCli } from './startServe.ts';
import { collectProblems, expect, test } from './serveFixture.ts';

/**
 * The Usage dashboard in Chromium against a real `service-creator serve`, on a data folder filled
 * by real routed calls (`service-creator chat`) to an OpenAI-compatible server counted as cloud
 * (a loopback fake with a key in the environment; a local model costs nothing) with a price set
 * for its model, in Cloud-allowed mode: three answers and one refused request, each after another
 * cloud target skipped for having no key. The totals add up to those rows (calls and skipped targets apart), every chart
 * is drawn with its figures in a hidden table, and the CSV export holds the same numbers.
 */
const keyEnv = 'E2E_USAGE_CLOUD_KEY';

test.describe('usage dashboard', () => {
  test('totals, charts and the CSV export match the calls made', async ({ page, home, startServer }) => {
    const fake = await startFakeOpenAiServer({
      models: ['m1'],
      respond: (request) => {
        const text = JSON.stringify(request);
        return text.includes('refuse me') ? { status: 400 } : { reply: 'fine', usage: { inputTokens: 1000, outputTokens: 500 } };
      },
    });
    try {
      const serve = await startServer();
      const client = await connectClient(serve.port, serve.token);
      // $2 and $10 per million tokens: each answer costs 1000 × 2 / 1e6 + 500 × 10 / 1e6 = $0.007.
      const price = await client.invoke('pricing.set', { model: 'm1', inputPerMillion: 2, outputPerMillion: 10 });
      expect(price.ok).toBe(true);
      await client.close();
      const cloud = await runCli(['providers', 'add', '--id', 'claude', '--type', 'anthropic', '--model', 'claude-sonnet-4-5', '--api-key-env', 'E2E_UNSET_KEY', '--json'], home);
      expect(cloud.code, cloud.stderr).toBe(0);
      // The CLI processes below read the key from the environment they inherit.
      process.env[keyEnv] = 'sk-e2e-usage-0000';
      const priced = await runCli(['providers', 'add', '--id', 'fake', '--type', 'openai', '--base-url', fake.url, '--model', 'm1', '--cloud', '--api-key-env', keyEnv, '--json'], home);
      expect(priced.code, priced.stderr).toBe(0);
      const mode = await runCli(['settings', 'set', 'privacyMode', 'cloud-allowed'], home);
      expect(mode.code, mode.stderr).toBe(0);
      for (const prompt of ['one', 'two', 'three']) {
        const chat = await runCli(['chat', '--prompt', prompt, '--json'], home);
        expect(chat.code, chat.stderr).toBe(0);
      }
      const refused = await runCli(['chat', '--prompt', 'refuse me', '--json'], home);
      expect(refused.code).not.toBe(0);

      const problems = collectProblems(page);
      await page.goto(serve.url);
      await page.getByTestId('nav-usage').click();

      // The totals: four calls (one failed), the four skipped targets apart, three answers' tokens and cost.
      await expect(page.getByTestId('usage-total-calls')).toHaveText('4 (4 skipped targets listed apart)');
      await expect(page.getByTestId('usage-total-failed')).toHaveText('1 failed, 0 cancelled');
      await expect(page.getByTestId('usage-total-tokens')).toHaveText('4,500 (3,000 in, 1,500 out)');
      await expect(page.getByTestId('usage-total-cost')).toHaveText('$0.0210');
      await expect(page.getByTestId('usage-total-cache')).toHaveText('0.0 % (0 of 4 requests)');

      // Every chart drawn on a canvas of some size, each with its figures in words for screen readers.
      for (const chart of ['cost-day', 'cost-provider', 'cost-task', 'tokens', 'cache', 'latency']) {
        const canvas = page.getByTestId(`usage-chart-${chart}`).locator('canvas');
        await expect(canvas, chart).toBeVisible();
        const box = await canvas.boundingBox();
        expect(box?.width ?? 0, chart).toBeGreaterThan(100);
        expect(box?.height ?? 0, chart).toBeGreaterThan(100);
        await expect(canvas).toHaveAttribute('aria-label', /The figures are in the table that follows\./);
      }
      const costByProvider = page.getByTestId('usage-chart-cost-provider').getByTestId('usage-chart-table');
      // The cloud provider was only skipped: no call, no bar.
      await expect(costByProvider.locator('tbody tr')).toHaveCount(1);
      await expect(costByProvider.locator('tbody tr', { hasText: 'fake' }).locator('td')).toHaveText('$0.0210');
      await expect(page.getByTestId('usage-chart-cost-task').getByTestId('usage-chart-table').locator('tbody th')).toHaveText(['Interview']);

      // The calls table and the skipped targets stay apart below the charts.
      await expect(page.getByTestId('usage-row')).toHaveCount(4);
      await expect(page.getByTestId('usage-skipped').locator('summary')).toContainText('Skipped targets (4)');

      // Another range: the same calls (all made today), the choice marked.
      await page.getByTestId('usage-range-week').click();
      await expect(page.getByTestId('usage-range-week')).toHaveAttribute('aria-pressed', 'true');
      await expect(page.getByTestId('usage-total-calls')).toHaveText('4 (4 skipped targets listed apart)');

      // The export: the summary by provider as CSV, totals last.
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('usage-export-csv').click()]);
      expect(download.suggestedFilename()).toMatch(/^usage-by-provider-since-\d{4}-\d{2}-\d{2}\.csv$/);
      const csv = await readFile(await download.path(), 'utf8');
      const lines = csv.split('\r\n');
      expect(lines[0]).toBe(
        'provider,calls,errors,cancelled,skipped targets,cache hits,requests,cache hit rate,input tokens,output tokens,cost usd,known cost usd,calls without a price,latency p50 ms,latency p95 ms,first token p50 ms',
      );
      expect(lines[1]).toMatch(/^claude,0,0,0,4,0,0,,0,0,0,0,0,,,$/);
      expect(lines[2]).toMatch(/^fake,4,1,0,0,0,4,0,3000,1500,0\.021,0\.021,0,\d+,\d+,\d+$/);
      expect(lines[3]).toMatch(/^total,4,1,0,4,0,4,0,3000,1500,0\.021,0\.021,0,\d+,\d+,\d+$/);
      expect(lines[4]).toBe('');
      expect(problems).toEqual([]);
    } finally {
      delete process.env[keyEnv];
      await fake.close();
    }
  });
});
