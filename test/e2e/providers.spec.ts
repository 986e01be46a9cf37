import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Locator, Page, TestInfo } from '@playwright/test';
import { runCli } from './startServe.ts';
import { collectProblems, expect, test as base } from './serveFixture.ts';

/**
 * The Providers and Usage views in Chromium against a real `service-creator serve` (fresh data
 * dir per test) and a tiny fake model server on loopback, so nothing leaves the machine.
 *
 * The serve process has no Secret Service unless the run is wrapped in scripts/withKeychain.sh
 * (which sets SERVICE_CREATOR_KEYCHAIN_TEST=1): without it, storing a key must fail with a clear
 * KEYCHAIN_UNAVAILABLE message; with it, the key must be stored.
 */
const keychainAvailable = Boolean(process.env.SERVICE_CREATOR_KEYCHAIN_TEST);

interface FakeModelServer {
  /** `http://127.0.0.1:PORT/v1` */
  baseUrl: string;
  /** Every request seen, as "METHOD /path". */
  requests: string[];
  /** Every header value and body seen, to prove where a key went. */
  received: string[];
}

const test = base.extend<{ fake: FakeModelServer }>({
  // eslint-disable-next-line no-empty-pattern
  fake: async ({}, use) => {
    const { server, fake } = await startFakeModelServer();
    await use(fake);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  },
});

/**
 * OpenAI-compatible: GET /v1/models lists m1; POST /v1/chat/completions streams "hello" with usage.
 * Anthropic requests (they carry `anthropic-version`) get 401, like a rejected key.
 */
async function startFakeModelServer(): Promise<{ server: Server; fake: FakeModelServer }> {
  const fake: FakeModelServer = { baseUrl: '', requests: [], received: [] };
  const server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      const path = (request.url ?? '/').split('?')[0] ?? '/';
      fake.requests.push(`${request.method} ${path}`);
      fake.received.push(...Object.values(request.headers).flat().filter((value): value is string => typeof value === 'string'), body);
      if (request.headers['anthropic-version'] !== undefined) {
        response.writeHead(401, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } }));
        return;
      }
      if (path === '/slow.gguf') {
        serveSlowFile(request, response);
        return;
      }
      if (request.method === 'GET' && path === '/v1/models') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ object: 'list', data: [{ id: 'm1', object: 'model', created: 0, owned_by: 'x' }] }));
        return;
      }
      if (request.method === 'POST' && path === '/v1/chat/completions') {
        response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        const chunk = (delta: object, finish: string | null, usage?: object) =>
          `data: ${JSON.stringify({
            id: 'c1',
            object: 'chat.completion.chunk',
            created: 0,
            model: 'm1',
            choices: [{ index: 0, delta, finish_reason: finish }],
            ...(usage ? { usage } : {}),
          })}\n\n`;
        response.write(chunk({ role: 'assistant', content: 'hello' }, null));
        response.write(chunk({}, 'stop', { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 }));
        response.end('data: [DONE]\n\n');
        return;
      }
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: `no route ${path}` } }));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return { server, fake };
}

/** A 32 MiB "model" (GGUF magic, then zeros) sent at about 4 MiB/s, with Range support, for progress and cancel. */
const slowFileSize = 32 * 1024 * 1024;

function serveSlowFile(request: IncomingMessage, response: ServerResponse): void {
  const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? '');
  const start = range ? Number(range[1]) : 0;
  const end = range && range[2] ? Math.min(Number(range[2]), slowFileSize - 1) : slowFileSize - 1;
  const headers = { 'content-type': 'application/octet-stream', 'accept-ranges': 'bytes', 'content-length': String(end - start + 1) };
  response.writeHead(range ? 206 : 200, range ? { ...headers, 'content-range': `bytes ${start}-${end}/${slowFileSize}` } : headers);
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  let position = start;
  const piece = 256 * 1024;
  const timer = setInterval(() => {
    if (response.destroyed || position > end) {
      clearInterval(timer);
      if (!response.destroyed) response.end();
      return;
    }
    const size = Math.min(piece, end - position + 1);
    const chunk = Buffer.alloc(size);
    if (position === 0) chunk.write('GGUF', 0, 'latin1');
    position += size;
    response.write(chunk);
  }, 60);
  response.on('close', () => clearInterval(timer));
}

/** The smallest GGUF file the core accepts: v3 header, a few metadata keys, no tensors. */
function tinyGguf(): Buffer {
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    return b;
  };
  const u64 = (n: number) => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(n));
    return b;
  };
  const text = (s: string) => Buffer.concat([u64(Buffer.byteLength(s)), Buffer.from(s)]);
  const stringType = 8;
  const uint32Type = 4;
  const entries: Array<[string, number, Buffer]> = [
    ['general.architecture', stringType, text('llama')],
    ['general.name', stringType, text('tiny test')],
    ['general.file_type', uint32Type, u32(15)], // Q4_K_M
    ['llama.context_length', uint32Type, u32(4096)],
  ];
  const header = Buffer.concat([Buffer.from('GGUF'), u32(3), u64(0), u64(entries.length), ...entries.flatMap(([key, type, value]) => [text(key), u32(type), value])]);
  // Aligned to 32 bytes, plus a little data so the file is longer than its header.
  return Buffer.concat([header, Buffer.alloc(((32 - (header.length % 32)) % 32) + 32)]);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => resolve(body));
    request.on('error', () => resolve(body));
  });
}

/** Console errors, uncaught exceptions and failed requests seen by a page (CSP violations are console errors). */

async function openProviders(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId('nav-providers').click();
  await expect(page.getByTestId('provider-list').or(page.getByTestId('providers-empty'))).toBeVisible();
}

function providerItem(page: Page, id: string): Locator {
  return page.locator(`[data-testid=provider-item][data-provider-id="${id}"]`);
}

async function addLocalOpenAi(page: Page, fake: FakeModelServer, id: string, label: string): Promise<void> {
  await page.getByTestId('provider-add-button').click();
  const form = page.getByTestId('provider-form');
  await expect(form).toBeVisible();
  await form.getByTestId('provider-type').selectOption('openai');
  await form.getByTestId('provider-id').fill(id);
  await form.getByTestId('provider-label').fill(label);
  await form.getByTestId('provider-base-url').fill(fake.baseUrl);
  await form.getByTestId('provider-models').fill('m1');
  await form.getByTestId('provider-local').check();
  await form.getByTestId('provider-save').click();
  // Saving runs the health check in the core; the form stays open on the result.
  await expect(form.getByTestId('provider-form-status')).toContainText('Healthy', { timeout: 20_000 });
  await form.getByTestId('provider-form-close').click();
  await expect(page.getByTestId('provider-form')).toHaveCount(0);
  await expect(providerItem(page, id).getByTestId('provider-state')).toHaveText('Healthy');
}

/** The whole view: the main area scrolls inside the window, so the window is made tall enough first. */
async function saveScreenshot(page: Page, name: string, testInfo: TestInfo): Promise<void> {
  const viewport = page.viewportSize();
  const height = await page.evaluate(() => (document.querySelector('.app-main')?.scrollHeight ?? 0) + 120);
  if (viewport) await page.setViewportSize({ width: viewport.width, height: Math.max(viewport.height, Math.min(height, 6000)) });
  const screenshot = await page.screenshot({ fullPage: true });
  if (viewport) await page.setViewportSize(viewport);
  await writeFile(join(testInfo.project.outputDir, `${name}.png`), screenshot);
  await testInfo.attach(name, { body: screenshot, contentType: 'image/png' });
}

test.describe('providers view over the loopback bridge', () => {
  test('a local OpenAI-compatible server: healthy after save, test connection, disable/enable, remove with confirm', async ({ page, serve, fake }, testInfo) => {
    const problems = collectProblems(page);
    await openProviders(page, serve.url);
    await expect(page.getByTestId('providers-empty')).toBeVisible();

    await addLocalOpenAi(page, fake, 'local-vllm', 'Local vLLM');
    const item = providerItem(page, 'local-vllm');
    await expect(item).toContainText('On this machine');
    await expect(item).toContainText('No key needed');
    await expect(item).toContainText('m1');
    expect(fake.requests).toContain('GET /v1/models');

    // Test connection asks the server again.
    const before = fake.requests.filter((r) => r === 'GET /v1/models').length;
    await item.getByTestId('provider-test').click();
    await expect.poll(() => fake.requests.filter((r) => r === 'GET /v1/models').length).toBeGreaterThan(before);
    await expect(item.getByTestId('provider-test')).toBeEnabled();
    await expect(item.getByTestId('provider-state')).toHaveText('Healthy');

    // Disable and enable again (providers.update).
    await item.getByTestId('provider-toggle').click();
    await expect(item).toHaveAttribute('data-enabled', 'false');
    await expect(item.getByTestId('provider-toggle')).toHaveText('Enable');
    await item.getByTestId('provider-toggle').click();
    await expect(item).toHaveAttribute('data-enabled', 'true');

    // Edit: the label changes, the id stays; saving checks the connection again.
    await item.getByTestId('provider-edit').click();
    const form = item.getByTestId('provider-form');
    await expect(form).toHaveAttribute('data-mode', 'edit');
    await expect(form.getByTestId('provider-id')).toHaveAttribute('readonly', '');
    await form.getByTestId('provider-label').fill('vLLM here');
    await form.getByTestId('provider-save').click();
    await expect(form.getByTestId('provider-form-status')).toContainText('Healthy');
    await form.getByTestId('provider-form-close').click();
    await expect(item).toContainText('vLLM here');

    // The CLI sees the same provider.
    const listed = await runCli(['providers', 'list', '--json'], serve.home);
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.stringify(listed.lines)).toContain('local-vllm');
    expect(JSON.stringify(listed.lines)).toContain('vLLM here');

    await saveScreenshot(page, 'providers-local', testInfo);

    // Remove asks first.
    await item.getByTestId('provider-remove').click();
    await expect(page.getByTestId('provider-item')).toHaveCount(1);
    await item.getByTestId('provider-remove-confirm').click();
    await expect(page.getByTestId('provider-item')).toHaveCount(0);
    await expect(page.getByTestId('providers-empty')).toBeVisible();
    await page.reload();
    await expect(page.getByTestId('providers-empty')).toBeVisible();

    expect(problems, problems.join('\n')).toEqual([]);
  });

  test('an Anthropic key is sent once, never shown again, and a keychain problem is stated plainly', async ({ page, serve, fake }, testInfo) => {
    const problems = collectProblems(page);
    const secret = `sk-ant-e2e-${randomBytes(12).toString('hex')}`;
    await openProviders(page, serve.url);

    await page.getByTestId('provider-add-button').click();
    const form = page.getByTestId('provider-form');
    await form.getByTestId('provider-type').selectOption('anthropic');
    await form.getByTestId('provider-id').fill('claude');
    await form.getByTestId('provider-label').fill('Claude');
    // The fake answers 401 to Anthropic-style requests: nothing goes to the real API.
    await form.getByTestId('provider-base-url').fill(fake.baseUrl.replace(/\/v1$/, ''));
    await form.getByTestId('provider-models').fill('claude-test');
    const keyField = form.getByTestId('provider-api-key');
    await expect(keyField).toHaveAttribute('type', 'password');
    await expect(keyField).toHaveAttribute('autocomplete', 'off');
    await keyField.fill(secret);
    await form.getByTestId('provider-save').click();

    await expect(form.getByTestId('provider-save')).toBeEnabled({ timeout: 20_000 });
    await expect(form.getByTestId('provider-api-key')).toHaveValue('');
    const item = providerItem(page, 'claude');
    if (!keychainAvailable) {
      // The key is stored first: when the keychain refuses it, nothing is saved at all.
      const keyError = form.getByTestId('provider-key-error');
      await expect(keyError).toHaveAttribute('data-code', 'KEYCHAIN_UNAVAILABLE');
      await expect(keyError).toContainText('The provider was not saved.');
      await expect(keyError).toContainText('ANTHROPIC_API_KEY');
      await expect(item).toHaveCount(0);
      // Saved again without a key, it is kept and shows "Not configured".
      await form.getByTestId('provider-save').click();
      await expect(form.getByTestId('provider-save')).toBeEnabled({ timeout: 20_000 });
    }
    await expect(item).toBeVisible();
    await expect(item).toContainText('Cloud');

    if (keychainAvailable) {
      await expect(form.getByTestId('provider-key-state')).toHaveText('Key stored in the keychain');
      await expect(item.getByTestId('provider-key-summary')).toHaveText('Key stored in the keychain');
      // Local only (the default): a cloud provider is not contacted, not even to check the key.
      await expect(item.getByTestId('provider-state')).toHaveText('Not checked');
    } else {
      await expect(item.getByTestId('provider-state')).toHaveText('Not configured');
      await expect(item.getByTestId('provider-key-summary')).toHaveText('No key');
    }
    await saveScreenshot(page, 'providers-anthropic', testInfo);

    // Replace key: sent once with providers.setKey, the field clears again.
    const replacement = `sk-ant-e2e-${randomBytes(12).toString('hex')}`;
    await form.getByTestId('provider-api-key').fill(replacement);
    await form.getByTestId('provider-replace-key').click();
    await expect(form.getByTestId('provider-api-key')).toHaveValue('');
    if (keychainAvailable) {
      await expect(form.getByTestId('provider-key-error')).toHaveCount(0);
      await expect(form.getByTestId('provider-key-state')).toHaveText('Key stored in the keychain');
      expect(fake.received.join('\n')).not.toContain(replacement);
      // Remove key: back to no key.
      await form.getByTestId('provider-remove-key').click();
      await expect(form.getByTestId('provider-key-state')).toHaveText('No key');
      await expect(item.getByTestId('provider-state')).toHaveText('Not configured');
      await form.getByTestId('provider-api-key').fill(secret);
      await form.getByTestId('provider-replace-key').click();
      await expect(form.getByTestId('provider-key-state')).toHaveText('Key stored in the keychain');
      await expect(form.getByTestId('provider-api-key')).toHaveValue('');
    } else {
      await expect(form.getByTestId('provider-key-error')).toContainText('The API key was not stored.');
    }
    expect(await page.content()).not.toContain(replacement);
    await form.getByTestId('provider-form-close').click();

    // Test connection in Local only: refused in words naming the host it would contact; nothing is sent.
    await item.getByTestId('provider-test').click();
    await expect(item.getByTestId('provider-test')).toBeEnabled({ timeout: 20_000 });
    await expect(item).toContainText(`would contact ${new URL(fake.baseUrl).host}`);
    await expect(item).toContainText('Local first or Cloud allowed');
    await expect(item.getByTestId('provider-state')).toHaveText(keychainAvailable ? 'Not checked' : 'Not configured');

    // In Local only (the default) the cloud provider is hidden from routing, and the view says so.
    await expect(page.getByTestId('privacy-cloud-hidden')).toContainText('Claude');

    // The key is nowhere in the page, not even after a reload, nor in what serve printed.
    expect(await page.content()).not.toContain(secret);
    await page.reload();
    await expect(providerItem(page, 'claude')).toBeVisible();
    expect(await page.content()).not.toContain(secret);
    expect(serve.output().stdout + serve.output().stderr).not.toContain(secret);
    // Local only: the cloud provider was never contacted, so the key never left the keychain.
    expect(fake.received.join('\n')).not.toContain(secret);

    expect(problems, problems.join('\n')).toEqual([]);
  });

  test('routing: a target for code survives a reload; the privacy mode switch persists', async ({ page, serve, fake }, testInfo) => {
    const problems = collectProblems(page);
    await openProviders(page, serve.url);
    await addLocalOpenAi(page, fake, 'local-vllm', 'Local vLLM');

    const code = page.locator('[data-testid=routing-task][data-task=code]');
    await expect(code.getByTestId('routing-default')).toBeVisible();
    await code.getByTestId('routing-provider').selectOption('local-vllm');
    await code.getByTestId('routing-model').fill('m1');
    await code.getByTestId('routing-add').click();
    await expect(code.getByTestId('routing-target')).toHaveCount(1);
    await expect(code.getByTestId('routing-target')).toContainText('m1');
    await page.getByTestId('routing-save').click();
    await expect(page.getByTestId('routing-state')).toHaveText('Saved');
    await expect(page.getByTestId('routing-save')).toBeDisabled();

    // Privacy mode: the switch saves at once.
    const privacy = page.getByTestId('privacy-mode-switch');
    await expect(privacy.getByRole('radio', { name: /Local only/ })).toBeChecked();
    await privacy.getByRole('radio', { name: /Cloud allowed/ }).check();
    await expect(page.getByTestId('header-privacy-mode')).toHaveText('Cloud allowed');
    await expect
      .poll(async () => ((await runCli(['settings', 'get', '--json'], serve.home)).lines[0]?.settings as { privacyMode?: string } | undefined)?.privacyMode)
      .toBe('cloud-allowed');

    await page.reload();
    await expect(page.getByTestId('nav-providers')).toHaveAttribute('aria-current', 'page');
    const codeAfter = page.locator('[data-testid=routing-task][data-task=code]');
    await expect(codeAfter.getByTestId('routing-target')).toHaveCount(1);
    await expect(codeAfter.getByTestId('routing-target')).toContainText('Local vLLM');
    await expect(codeAfter.getByTestId('routing-target')).toContainText('m1');
    await expect(page.locator('[data-testid=routing-task][data-task=plan]').getByTestId('routing-target')).toHaveCount(0);
    await expect(page.getByTestId('privacy-mode-switch').getByRole('radio', { name: /Cloud allowed/ })).toBeChecked();

    await saveScreenshot(page, 'providers-routing', testInfo);

    // Remove the target again and save: back to the default order.
    await codeAfter.getByTestId('routing-remove').click();
    await page.getByTestId('routing-save').click();
    await expect(page.getByTestId('routing-state')).toHaveText('Saved');
    await page.reload();
    await expect(page.locator('[data-testid=routing-task][data-task=code]').getByTestId('routing-default')).toBeVisible();

    expect(problems, problems.join('\n')).toEqual([]);
  });

  test('routing: split by weight shows each share in words, says when every weight is 0, and refuses a target listed twice', async ({ page, serve, fake }) => {
    const problems = collectProblems(page);
    await openProviders(page, serve.url);
    await addLocalOpenAi(page, fake, 'local-vllm', 'Local vLLM');

    const code = page.locator('[data-testid=routing-task][data-task=code]');
    for (const model of ['m1', 'm2']) {
      await code.getByTestId('routing-provider').selectOption('local-vllm');
      await code.getByTestId('routing-model').fill(model);
      await code.getByTestId('routing-add').click();
    }
    await expect(code.getByTestId('routing-target')).toHaveCount(2);
    // The same provider and model again: refused in words, the list unchanged.
    await code.getByTestId('routing-model').fill(' m1 ');
    await code.getByTestId('routing-add').click();
    await expect(code.getByTestId('form-error')).toHaveText('Local vLLM · m1 is already in the list for Code.');
    await expect(code.getByTestId('routing-target')).toHaveCount(2);
    // A model name longer than the core keeps: said at Add, not on Save with no task named.
    await code.getByTestId('routing-model').fill('q'.repeat(201));
    await code.getByTestId('routing-model').press('Enter');
    await expect(code.getByTestId('form-error')).toHaveText('A model name has at most 200 characters; this one has 201.');
    await expect(code.getByTestId('routing-target')).toHaveCount(2);

    await code.getByTestId('routing-strategy').selectOption('weighted');
    const weights = code.getByTestId('routing-weight');
    const shares = code.getByTestId('routing-weight-share');
    await weights.nth(0).fill('3');
    await expect(shares).toHaveText(['75 % of the calls', '25 % of the calls']);
    await page.getByTestId('routing-save').click();
    await expect(page.getByTestId('routing-state')).toHaveText('Saved');
    const saved = (await runCli(['--json', 'providers', 'routing'], serve.home)).lines[0];
    expect(saved).toMatchObject({ strategies: { code: 'weighted' }, routing: { code: [{ providerId: 'local-vllm', model: 'm1', weight: 3 }, { providerId: 'local-vllm', model: 'm2' }] } });

    await weights.nth(0).fill('0');
    await weights.nth(1).fill('0');
    await expect(shares).toHaveText(['every weight is 0: tried in list order', 'every weight is 0: tried in list order']);
    await weights.nth(1).fill('1.5');
    await expect(shares.nth(1)).toHaveText('A weight is a whole number from 0 to 1000.');
    await expect(shares.nth(0)).toHaveText('every weight is 0: tried in list order');

    // A weight in error is never saved as the last valid one, which the field no longer shows: Save waits, saying why.
    await expect(page.getByTestId('routing-save')).toBeDisabled();
    await expect(page.getByTestId('routing-state')).toHaveText('A weight above is not a whole number from 0 to 1000: correct it to save.');
    await weights.nth(1).press('Enter');
    expect((await runCli(['--json', 'providers', 'routing'], serve.home)).lines[0]).toMatchObject({ routing: { code: [{ weight: 3 }, { providerId: 'local-vllm', model: 'm2' }] } });
    // Discard puts the saved weights back in every field, the one in error too.
    await page.getByRole('button', { name: 'Discard changes' }).click();
    await expect(weights.nth(0)).toHaveValue('3');
    await expect(weights.nth(1)).toHaveValue('1');
    await expect(shares).toHaveText(['75 % of the calls', '25 % of the calls']);
    await expect(page.getByTestId('routing-state')).toHaveText('');
    await weights.nth(1).fill('1e9');
    await expect(page.getByTestId('routing-save')).toBeDisabled();
    await weights.nth(1).fill(' 2 ');
    await expect(page.getByTestId('routing-save')).toBeEnabled();
    await expect(shares).toHaveText(['60 % of the calls', '40 % of the calls']);

    expect(problems, problems.join('\n')).toEqual([]);
  });

  test('an Ollama server at another host counts as cloud until its box is ticked; with no address it is on this machine', async ({ page, serve }) => {
    const problems = collectProblems(page);
    await openProviders(page, serve.url);
    await page.getByTestId('provider-add-button').click();
    const form = page.getByTestId('provider-form');
    await form.getByTestId('provider-type').selectOption('ollama');
    await form.getByTestId('provider-id').fill('gpu-box');
    await form.getByTestId('provider-label').fill('GPU box');
    const local = form.getByTestId('provider-local');
    await expect(local).toBeChecked();
    await form.getByTestId('provider-base-url').fill('http://10.0.0.5:11434');
    await expect(local).not.toBeChecked();
    await form.getByTestId('provider-save').click();
    // Local only (the default) sends a cloud provider nothing, not even the check.
    await expect(form.getByTestId('provider-form-status')).toContainText('Local-only mode sends nothing to cloud providers', { timeout: 20_000 });
    const listed = await runCli(['--json', 'providers', 'list'], serve.home);
    expect(listed.lines[0]).toMatchObject({ provider: { config: { id: 'gpu-box', type: 'ollama', location: 'cloud' } } });
    expect(problems, problems.join('\n')).toEqual([]);
  });

  test('local models: import error, download progress, cancel and failure; usage lists a call made through the router', async ({ page, serve, fake }, testInfo) => {
    const problems = collectProblems(page);
    await openProviders(page, serve.url);
    await expect(page.getByTestId('models-empty')).toBeVisible();
    await page.getByTestId('model-import-path').fill(join(serve.home, 'does-not-exist.gguf'));
    await page.getByTestId('model-import').click();
    await expect(page.getByTestId('model-import').locator('xpath=ancestor::form').getByTestId('form-error')).toBeVisible();

    // The download address is checked by the core.
    await page.getByTestId('model-download-uri').fill('ftp://example.invalid/model.gguf');
    await page.getByTestId('model-download').click();
    await expect(page.getByTestId('model-download').locator('xpath=ancestor::form').getByTestId('form-error')).toContainText('https://');

    // A GGUF file on disk is imported (copied into the models folder) and listed.
    const ggufPath = join(serve.home, 'tiny-test.gguf');
    await writeFile(ggufPath, tinyGguf());
    await page.getByTestId('model-import-path').fill(ggufPath);
    await page.getByTestId('model-import').click();
    await expect(page.getByTestId('models-list')).toBeVisible();
    const model = page.locator('[data-testid=model-item][data-model-id="tiny-test.gguf"]');
    await expect(model).toContainText('tiny-test.gguf');
    await expect(model).toContainText('0.0 MiB');
    await expect(page.getByTestId('model-import-path')).toHaveValue('');

    // A download shows its progress and can be cancelled; a missing file fails with the reason.
    const origin = fake.baseUrl.replace(/\/v1$/, '');
    await page.getByTestId('model-download-uri').fill(`${origin}/slow.gguf`);
    await page.getByTestId('model-download').click();
    const download = page.locator('[data-testid=download-progress]').filter({ hasText: 'slow.gguf' });
    await expect(download).toHaveAttribute('data-state', 'running');
    // Progress events arrive while it runs: a percentage (the size is known) and MiB done.
    await expect(download).toContainText(/[1-9]\d*% · [1-9]\d* MiB of 32 MiB/, { timeout: 15_000 });
    await saveScreenshot(page, 'models-download', testInfo);
    // Pause keeps the partial file, Resume carries on from it, Cancel deletes it.
    await download.getByTestId('download-pause').click();
    await expect(download).toHaveAttribute('data-state', 'paused', { timeout: 15_000 });
    await expect(download).toContainText(/Paused at [1-9]\d* MiB of 32 MiB/);
    await download.getByTestId('download-resume').click();
    await expect(download).toHaveAttribute('data-state', 'running', { timeout: 15_000 });
    await download.getByTestId('download-cancel').click();
    await expect(download).toHaveAttribute('data-state', 'cancelled', { timeout: 15_000 });
    await expect(download).toContainText('the partial file was deleted');

    await page.getByTestId('model-download-uri').fill(`${origin}/missing.gguf`);
    await page.getByTestId('model-download').click();
    const missing = page.locator('[data-testid=download-progress]').filter({ hasText: 'missing.gguf' });
    await expect(missing).toHaveAttribute('data-state', 'failed', { timeout: 15_000 });
    await expect(missing).toContainText('Failed:');
    await expect(page.getByTestId('model-item')).toHaveCount(1);
    // A model no routing uses is removed at once.
    await model.getByTestId('model-remove').click();
    await expect(page.getByTestId('model-item')).toHaveCount(0);
    await expect(page.getByTestId('models-empty')).toBeVisible();

    await page.getByTestId('nav-usage').click();
    await expect(page.getByTestId('usage-empty')).toBeVisible();

    // One routed call from the CLI: the first target (nothing listens on its port) fails, the
    // router falls back to the second, a local server allowed in Local only.
    await page.getByTestId('nav-providers').click();
    await addLocalOpenAi(page, fake, 'local-vllm', 'Local vLLM');
    await page.getByTestId('provider-add-button').click();
    const form = page.getByTestId('provider-form');
    await form.getByTestId('provider-type').selectOption('openai');
    await form.getByTestId('provider-id').fill('dead-server');
    await form.getByTestId('provider-base-url').fill('http://127.0.0.1:9/v1');
    await form.getByTestId('provider-models').fill('m0');
    await form.getByTestId('provider-local').check();
    await form.getByTestId('provider-save').click();
    await expect(form.getByTestId('provider-form-status')).toContainText('Unreachable', { timeout: 20_000 });
    await form.getByTestId('provider-form-close').click();
    const code = page.locator('[data-testid=routing-task][data-task=code]');
    await code.getByTestId('routing-provider').selectOption('dead-server');
    await code.getByTestId('routing-add').click();
    await code.getByTestId('routing-provider').selectOption('local-vllm');
    await code.getByTestId('routing-add').click();
    await expect(code.getByTestId('routing-target')).toHaveCount(2);
    await page.getByTestId('routing-save').click();
    await expect(page.getByTestId('routing-state')).toHaveText('Saved');

    const chat = await runCli(['chat', '--task', 'code', '--prompt', 'hi', '--json'], serve.home);
    expect(chat.code, chat.stderr + chat.stdout).toBe(0);

    await page.getByTestId('nav-usage').click();
    await page.getByTestId('usage-refresh').click();
    const table = page.getByTestId('usage-table');
    await expect(table).toBeVisible();
    const row = table.locator('[data-testid=usage-row][data-outcome=ok]').first();
    await expect(row).toContainText('local-vllm');
    await expect(row).toContainText('m1');
    await expect(row).toContainText('code');
    await expect(table.locator('[data-testid=usage-row][data-outcome=error]').first()).toContainText('dead-server');
    await expect(page.getByTestId('usage-total-tokens')).toContainText('6');
    await saveScreenshot(page, 'usage', testInfo);

    expect(problems, problems.join('\n')).toEqual([]);
  });
});
