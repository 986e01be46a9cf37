import { connectClient } from '../support/bridgeClient.ts';
import { startFakeOpenAiServer } from '../support/fakes/fakeOpenAiServer.ts';
import { internalText } from './internalText.ts';
import { openRuns, test as pipelineTest } from './pipelineFixture.ts';
import { runCli } from './startServe.ts';
import { collectProblems, expect, test } from './serveFixture.ts';

/**
 * The response cache in Settings, in Chromium against a real `service-creator serve`: turned on
 * there, it answers the second of two identical `service-creator chat` calls (the fake model
 * server sees one request); the section's figures say so in words, its limits are checked before
 * they are saved and kept as a draft meanwhile, and Clear asks first, then says what went.
 */
test('Settings turns the response cache on, shows what it holds and how often it answered, and clears it', async ({ page, home, startServer }) => {
  test.setTimeout(90_000);
  const fake = await startFakeOpenAiServer({ models: ['m1'] });
  try {
    const local = await runCli(['providers', 'add', '--id', 'fake', '--type', 'openai', '--base-url', fake.url, '--model', 'm1', '--local', '--json'], home);
    expect(local.code, local.stderr).toBe(0);
    const serve = await startServer();
    const problems = collectProblems(page);
    await page.goto(serve.url);
    await page.getByTestId('nav-settings').click();
    const section = page.getByTestId('settings-cache');
    await expect(section).toContainText('from this machine and at no cost');
    await expect(section).toContainText('Turn it off to always ask the model');
    await expect(section.getByTestId('cache-enabled')).not.toBeChecked();
    await expect(section.getByTestId('cache-kept')).toHaveText('No answers kept (at most 256.0 MB).');
    await expect(section.getByTestId('cache-lookups')).toContainText('no request has looked in the cache yet');

    // On: saved at once.
    await section.getByTestId('cache-enabled').check();
    await expect(section.getByTestId('cache-enabled')).toBeChecked();
    const client = await connectClient(serve.port, serve.token);
    await expect.poll(async () => ((await client.invoke('settings.get')) as { value?: { responseCache?: { enabled?: boolean } } }).value?.responseCache?.enabled).toBe(true);

    // The limits: out of range is named in words and cannot be saved; a half-typed one survives leaving the page.
    const hours = section.getByTestId('cache-ttl-hours');
    await expect(hours).toHaveValue('168');
    await hours.fill('0');
    await expect(section.getByTestId('cache-ttl-hours-error')).toHaveText('The hours to keep answers must be a whole number from 1 to 8760, not "0"');
    await expect(section.getByTestId('cache-limits-save')).toBeDisabled();
    expect(internalText(await page.locator('body').innerText())).toEqual([]);
    await hours.fill('48');
    await page.getByTestId('nav-usage').click();
    await expect(page.getByTestId('usage-budgets')).toBeVisible();
    await page.getByTestId('nav-settings').click();
    await expect(hours).toHaveValue('48');
    await expect(section.getByTestId('draft-restored')).toBeVisible();
    await section.getByTestId('cache-max-megabytes').fill('64');
    await section.getByTestId('cache-limits-save').click();
    await expect(section.getByTestId('draft-restored')).toHaveCount(0);
    await expect.poll(async () => ((await client.invoke('settings.get')) as { value?: { responseCache?: unknown } }).value?.responseCache).toEqual({ enabled: true, ttlHours: 48, maxMegabytes: 64 });
    await client.close();
    await expect(hours).toHaveValue('48');

    // Two identical calls: the model is asked once, the second is answered from the cache.
    for (let call = 0; call < 2; call++) {
      const chat = await runCli(['chat', '--prompt', 'the same question', '--json'], home);
      expect(chat.code, chat.stderr).toBe(0);
    }
    expect(fake.requests.filter((request) => request.path === '/v1/chat/completions')).toHaveLength(1);
    await section.getByTestId('cache-stats-refresh').click();
    await expect(section.getByTestId('cache-kept')).toHaveText(/^1 answer kept, [\d.]+ (?:bytes|KB) of 64\.0 MB at most\.$/);
    await expect(section.getByTestId('cache-lookups')).toContainText('1 request answered from the cache at no cost, 1 request sent to the model (50 % answered here).');

    // Clear asks first; Cancel keeps everything, Clear says how many went.
    await section.getByTestId('cache-clear').click();
    await expect(section).toContainText('Remove every kept answer?');
    await section.getByRole('button', { name: 'Cancel' }).click();
    await expect(section.getByTestId('cache-kept')).toContainText('1 answer kept');
    await section.getByTestId('cache-clear').click();
    await section.getByTestId('cache-clear-confirm').click();
    await expect(section.getByTestId('cache-cleared')).toHaveText('Removed 1 kept answer.');
    await expect(section.getByTestId('cache-kept')).toHaveText('No answers kept (at most 64.0 MB).');
    expect(problems, problems.join('\n')).toEqual([]);
  } finally {
    await fake.close();
  }
});

test('a refused save of the cache limits, the telemetry address or the guard words keeps what was typed and says why in words', async ({ page, serve }) => {
  // The core's answer to settings.set is replaced by an internal failure, as when the data folder cannot be written.
  let refuse = true;
  await page.routeWebSocket(/\/api\?/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => {
      const frame = JSON.parse(String(message)) as { type?: string; id?: string | number; channel?: string };
      if (refuse && frame.type === 'invoke' && frame.channel === 'settings.set') {
        ws.send(JSON.stringify({ type: 'result', id: frame.id, result: { ok: false, error: { code: 'INTERNAL', message: 'The settings could not be saved: the data folder is read-only.', retryable: false } } }));
        return;
      }
      server.send(message);
    });
    server.onMessage((message) => ws.send(message));
  });
  const problems = collectProblems(page);
  await page.goto(serve.url);
  await page.getByTestId('nav-settings').click();
  const section = page.getByTestId('settings-cache');
  const hours = section.getByTestId('cache-ttl-hours');
  await expect(hours).toHaveValue('168');
  await hours.fill('48');
  await section.getByTestId('cache-max-megabytes').fill('64');
  await section.getByTestId('cache-limits-save').click();
  // An internal failure is said in words, never its code.
  await expect(section.getByTestId('form-error')).toHaveText(/^Something went wrong inside Service Creator\./);
  // Nothing typed is lost: the limits are still there to save again.
  await expect(hours).toHaveValue('48');
  await expect(section.getByTestId('cache-max-megabytes')).toHaveValue('64');

  // The same for the other settings typed before they are saved: the collector's address and the privacy guard's words.
  const address = page.getByTestId('telemetry-endpoint');
  await address.fill('http://localhost:4318');
  await page.getByTestId('telemetry-save').click();
  // Said by the field that was saved, not at the top of the page, out of sight.
  await expect(page.getByRole('region', { name: 'Telemetry' }).getByTestId('form-error')).toHaveText(/^Something went wrong inside Service Creator\./);
  await expect(page.getByRole('region', { name: 'General' }).getByTestId('form-error')).toHaveCount(0);
  await expect(address).toHaveValue('http://localhost:4318');
  await expect(page.getByTestId('telemetry-save')).toBeVisible();
  refuse = false;
  await page.getByTestId('guard-enabled').check();
  await expect(page.getByTestId('guard-terms')).toBeEnabled();
  refuse = true;
  await page.getByTestId('guard-terms').fill('Project Falcon');
  await page.getByTestId('guard-terms-save').click();
  await expect(page.getByRole('region', { name: 'Privacy guard' }).getByTestId('form-error')).toHaveText(/^Something went wrong inside Service Creator\./);
  await expect(page.getByRole('region', { name: 'General' }).getByTestId('form-error')).toHaveCount(0);
  await expect(page.getByTestId('guard-terms')).toHaveValue('Project Falcon');

  refuse = false;
  await section.getByTestId('cache-limits-save').click();
  await expect(section.getByTestId('form-error')).toHaveCount(0);
  await page.getByTestId('telemetry-save').click();
  await page.getByTestId('guard-terms-save').click();
  const client = await connectClient(serve.port, serve.token);
  await expect
    .poll(async () => {
      const settings = (await client.invoke('settings.get')) as { value?: { responseCache?: unknown; telemetry?: { endpoint?: string }; privacyGuard?: { terms?: string[] } } };
      return [settings.value?.responseCache, settings.value?.telemetry?.endpoint, settings.value?.privacyGuard?.terms];
    })
    .toEqual([{ enabled: false, ttlHours: 48, maxMegabytes: 64 }, 'http://localhost:4318', ['Project Falcon']]);
  await client.close();
  expect(problems).toEqual([]);
});

pipelineTest('with the cache on, a plan asked again comes from the cache unless the run is asked afresh', async ({ page, home, setup }) => {
  test.setTimeout(90_000);
  const cacheOn = await runCli(['cache', 'on'], home);
  expect(cacheOn.code, cacheOn.stderr).toBe(0);
  const { serve, responder } = await setup();
  await openRuns(page, serve.url);
  const fresh = page.getByTestId('pipeline-plan-fresh');
  await expect(fresh).toBeVisible();
  await expect(fresh).not.toBeChecked();

  const planAndWait = async (runs: number) => {
    await page.getByTestId('pipeline-plan').click();
    await expect(page.getByTestId('run-list-item')).toHaveCount(runs);
    await expect(page.getByTestId('plan-editor')).toBeVisible();
  };
  await planAndWait(1);
  expect(responder.count('plan')).toBe(1);
  // The same spec planned again: answered from the cache, the model not asked.
  await planAndWait(2);
  expect(responder.count('plan')).toBe(1);
  // Afresh: the model is asked again.
  await fresh.check();
  await planAndWait(3);
  expect(responder.count('plan')).toBe(2);

  // With the cache off, there is nothing to ask afresh from.
  const cacheOff = await runCli(['cache', 'off'], home);
  expect(cacheOff.code, cacheOff.stderr).toBe(0);
  await expect(fresh).toHaveCount(0);
});
