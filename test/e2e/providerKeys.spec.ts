import type { Page } from '@playwright/test';
import { startFakeOpenAiServer, type FakeServer } from '../support/fakes/fakeOpenAiServer.ts';
import { layerPullSteps, startFakeOllamaServer, type FakeOllamaServer } from '../support/fakes/fakeOllamaServer.ts';
import { runCli } from './startServe.ts';
import { collectProblems, expect, test } from './serveFixture.ts';

/**
 * The key field of the provider form in Chromium against a real `service-creator serve` and a
 * fake OpenAI-compatible server on loopback: show/hide, and "Check key" before saving, which
 * names the host first, sends nothing in Local-only mode for a cloud provider, and once allowed
 * sends one model-list request with the typed key, saving nothing. Then the Ollama section
 * against the protocol-level Ollama fake: models, a pull with progress, cancel.
 */
const typedKey = 'sk-typed-only-4f7c2a9e1b3d5f60';

const fakes: { close(): Promise<void> }[] = [];
test.afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
});

async function openProviders(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId('nav-providers').click();
  await expect(page.getByTestId('provider-list').or(page.getByTestId('providers-empty'))).toBeVisible();
}

test('key field: show/hide, and Check key names the host, is held back in Local only, then checks without saving', async ({ page, serve }) => {
  const problems = collectProblems(page);
  const server: FakeServer = await startFakeOpenAiServer({ models: ['m1'], routeScript: { 'GET /v1/models': [{ status: 401 }] } });
  fakes.push(server);
  const host = new URL(server.url).host;
  await openProviders(page, serve.url);
  await page.getByTestId('provider-add-button').click();
  const form = page.getByTestId('provider-form');
  await form.getByTestId('provider-type').selectOption('openai');
  await form.getByTestId('provider-id').fill('gateway');
  await form.getByTestId('provider-base-url').fill(server.url);
  // A loopback address is local by default; this one stands for a cloud gateway behind a tunnel.
  await expect(form.getByTestId('provider-local')).toBeChecked();
  await expect(form.getByTestId('provider-local-hint')).toContainText('This address is on this machine');
  await form.getByTestId('provider-local').uncheck();
  await form.getByTestId('provider-models').fill('m1');

  const keyField = form.getByTestId('provider-api-key');
  await expect(keyField).toHaveAttribute('type', 'password');
  await keyField.fill(typedKey);
  const toggle = form.getByTestId('provider-key-visibility');
  await toggle.click();
  await expect(keyField).toHaveAttribute('type', 'text');
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await expect(toggle).toHaveText('Hide');
  await expect(keyField).toHaveValue(typedKey);
  expect(await keyField.getAttribute('value')).toBeNull();
  await toggle.click();
  await expect(keyField).toHaveAttribute('type', 'password');

  // Local only (the default): the host is named, the check is held back, nothing is sent.
  const check = form.getByTestId('provider-check-key');
  await expect(form.getByTestId('provider-check-key-host')).toHaveText(
    `Checking would contact ${host}, a cloud provider, and Local-only mode sends nothing there: switch the privacy mode above to check the key.`,
  );
  await expect(check).toBeDisabled();
  expect(server.requests).toHaveLength(0);

  await page.getByTestId('privacy-mode-switch').getByRole('radio', { name: /Cloud allowed/ }).check();
  await expect(page.getByTestId('header-privacy-mode')).toHaveText('Cloud allowed');
  await expect(form.getByTestId('provider-check-key-host')).toHaveText(`Sends one request to ${host} (its model list) with the key typed here; nothing is saved.`);
  await expect(check).toBeEnabled();
  await check.click();
  const result = form.getByTestId('provider-check-key-result');
  await expect(result).toHaveAttribute('data-outcome', 'rejected');
  await expect(result).toContainText(`${host} refused the key`);
  await check.click();
  await expect(result).toHaveAttribute('data-outcome', 'accepted');
  await expect(result).toHaveText(`${host} accepted the key and lists 1 model.`);

  expect(server.requests.map((request) => `${request.method} ${request.path} ${request.apiKey === typedKey}`)).toEqual(['GET /v1/models true', 'GET /v1/models true']);
  await expect(page.locator('body')).not.toContainText(typedKey);
  await expect(keyField).toHaveValue(typedKey);
  // Nothing was saved by checking.
  await expect(page.locator('[data-testid=provider-item][data-provider-id="gateway"]')).toHaveCount(0);
  const listed = await runCli(['providers', 'list', '--json'], serve.home);
  expect(listed.lines.filter((line) => line.type === 'provider')).toEqual([]);
  expect(problems.filter((problem) => !problem.includes('favicon'))).toEqual([]);
});

test('Ollama section: status in words, models with size, context and fit on a 16 GB laptop, a pull with progress that Cancel stops', async ({ page, startServer }) => {
  const ollama: FakeOllamaServer = await startFakeOllamaServer({
    version: '0.9.1',
    models: [
      {
        name: 'qwen2.5-coder:7b',
        size: 4_683_087_332,
        parameterSize: '7.6B',
        quantization: 'Q4_K_M',
        family: 'qwen2',
        contextLength: 32_768,
        shape: { layers: 28, heads: 28, kvHeads: 4, embeddingLength: 3584 },
      },
    ],
    pull: { steps: layerPullSteps(4_000_000_000, 600), chunkDelayMs: 20 },
  });
  fakes.push(ollama);
  const serve = await startServer({ env: { SC_HARDWARE_OVERRIDE: JSON.stringify({ gpu: false, vramBytes: 0, ramBytes: 16 * 1024 ** 3 }) } });
  const added = await runCli(['providers', 'add', '--id', 'ollama', '--type', 'ollama', '--base-url', ollama.url, '--json'], serve.home);
  expect(added.code, added.stderr).toBe(0);
  await openProviders(page, serve.url);
  const section = page.getByTestId('ollama-section');
  await expect(section.getByTestId('ollama-status')).toHaveText(`Ollama 0.9.1 is running at ${new URL(ollama.url).host}`);
  const row = section.locator('[data-testid=ollama-model][data-model="qwen2.5-coder:7b"]');
  await expect(row).toContainText('7.6B');
  await expect(row).toContainText('Q4_K_M');
  await expect(row).toContainText('4.36 GiB');
  await expect(row).toContainText('32,768');
  await expect(row.getByTestId('ollama-fit')).toHaveAttribute('data-verdict', 'cpu');
  await expect(row.getByTestId('ollama-fit')).toContainText('runs on CPU, slower');

  await section.getByTestId('ollama-pull-name').fill('llama3.3:70b');
  await section.getByTestId('ollama-pull').click();
  const pull = section.getByTestId('ollama-pull-progress');
  await expect(pull).toHaveAttribute('data-state', 'running');
  await expect(pull.getByTestId('ollama-pull-amount')).toContainText(/\d+% · pulling bbbb/);
  await pull.getByTestId('ollama-pull-cancel').click();
  await expect(pull).toHaveAttribute('data-state', 'cancelled');
  await expect(pull).toContainText('Cancelled after');
  const index = ollama.requests.findIndex((request) => request.path === '/api/pull');
  expect(await ollama.settled(index)).toBe('client-closed');
  expect(ollama.modelNames()).toEqual(['qwen2.5-coder:7b']);

  await ollama.close();
  await section.getByTestId('ollama-refresh').click();
  await expect(section.getByTestId('ollama-status')).toHaveText(`Ollama is not running at ${new URL(ollama.url).host}: start the Ollama app or \`ollama serve\``);
});
