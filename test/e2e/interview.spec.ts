import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FakeStep } from '../support/fakes/fakeOpenAiServer.ts';
import { vFirewallInterview, vFirewallSpec, type ScriptedTurn } from '../support/interviewScript.ts';
import { answer, answerAll, chatPath, chip, expectQuestion, openProject, pending, projectName, reply, scriptOf, test, watchInvokes } from './interviewFixture.ts';
import { runCli } from './startServe.ts';
import { collectProblems, expect } from './serveFixture.ts';

/**
 * The requirements interview in Chromium against a real `service-creator serve` (fresh data dir
 * per test) whose only provider is a scripted OpenAI-compatible server on loopback: every
 * question's JSON comes from the script, so what the page shows, what it sends and how many model
 * requests it causes are all checked against known values.
 */
const expectedSpec = { ...vFirewallSpec, name: projectName };

test.describe('requirements interview over the loopback bridge', () => {
  test('a whole interview by clicking options fills the spec; one model request per question; Generate opens the generation runs', async ({ page, setup }, testInfo) => {
    const problems = collectProblems(page);
    const { fake, serve } = await setup(scriptOf(vFirewallInterview));
    await openProject(page, serve.url);

    await answerAll(page, vFirewallInterview);

    await expect(page.getByTestId('interview-done')).toContainText('All questions answered');
    await expect(page.getByTestId('interview-pending')).toHaveCount(0);
    const turns = page.getByTestId('interview-turn');
    await expect(turns).toHaveCount(vFirewallInterview.length);
    await expect(turns.first().getByTestId('turn-answer')).toContainText('vFirewall');
    await expect(turns.first().getByTestId('turn-outcome')).toHaveText('vFirewall');
    await expect(turns.nth(2).getByTestId('turn-answer')).toContainText('Scheduled config backups');

    // The form shows what the answers put into the spec.
    const panel = page.getByTestId('spec-panel');
    await expect(panel.getByTestId('spec-name')).toHaveValue(projectName);
    await expect(panel.getByTestId('spec-service-type')).toHaveValue('vFirewall');
    await expect(panel.getByTestId('spec-vendors-mode')).toHaveValue('list');
    await expect(panel.getByTestId('spec-vendor-row')).toHaveCount(3);
    await expect(panel.getByTestId('spec-features')).toHaveValue(expectedSpec.features.join('\n'));
    await expect(panel.getByTestId('spec-auth')).toHaveValue('api-key');
    await expect(panel.getByTestId('spec-pricing')).toHaveValue('per-instance');
    await expect(panel.getByTestId('spec-logging').getByRole('checkbox', { name: 'Structured JSON logs (stdout)' })).toBeChecked();
    await expect(panel.getByTestId('spec-logging').getByRole('checkbox', { name: 'Syslog' })).not.toBeChecked();
    await expect(panel.getByTestId('spec-metrics')).toHaveValue('prometheus');
    await expect(panel.getByTestId('spec-language')).toHaveValue('python');
    await expect(panel.getByTestId('spec-framework')).toHaveValue('fastapi');
    await expect(panel.getByTestId('spec-mock-vendor-apis')).toBeChecked();
    await expect(panel.getByTestId('spec-complete')).toHaveText('The spec is complete.');

    // The views scroll inside the window: a tall window shows the whole page in the screenshot.
    await page.setViewportSize({ width: 1440, height: 2900 });
    const screenshot = await page.screenshot({ fullPage: true });
    await writeFile(join(testInfo.project.outputDir, 'interview.png'), screenshot);
    await testInfo.attach('interview', { body: screenshot, contentType: 'image/png' });

    // The JSON tab holds exactly the expected spec.
    await panel.getByTestId('spec-tab-json').click();
    await expect(panel.getByTestId('spec-tab-json')).toHaveAttribute('aria-selected', 'true');
    const json = panel.getByTestId('spec-json');
    await expect(json).toBeVisible();
    expect(JSON.parse(await json.inputValue())).toEqual(expectedSpec);

    expect(fake.count(chatPath)).toBe(vFirewallInterview.length);
    // Generate is enabled and lands on a new run of the project at once (its planning asks the
    // model; this script has no plan, so that run fails, which is beside the point here).
    const generate = panel.getByTestId('spec-generate');
    await expect(generate).toBeEnabled();
    await generate.click();
    await expect(page.getByTestId('pipeline-view')).toBeVisible();
    await expect(page.getByTestId('pipeline-project-name')).toHaveText(projectName);
    await expect(page.getByTestId('run-list-item')).toHaveCount(1);
    await expect(page.getByTestId('run-list-item')).toHaveAttribute('aria-current', 'true');
    await expect.poll(() => fake.count(chatPath)).toBeGreaterThan(vFirewallInterview.length);
    // Back to the interview, where it was.
    await page.getByTestId('pipeline-open-interview').click();
    await expect(page.getByTestId('interview-done')).toBeVisible();
    expect(problems, problems.join('\n')).toEqual([]);
  });

  test('resumes at the same question after a reload and after a server restart, without asking the model again', async ({ page, setup, startServer }) => {
    const { fake, serve, projectId } = await setup(scriptOf(vFirewallInterview.slice(0, 3)));
    await openProject(page, serve.url);
    await answerAll(page, vFirewallInterview.slice(0, 2));
    const third = vFirewallInterview[2]!;
    await expectQuestion(page, third, 3);
    const turnId = await pending(page).getAttribute('data-turn-id');
    expect(fake.count(chatPath)).toBe(3);

    // A reload stays on the project page (its address) and shows the stored question.
    await page.reload();
    await expect(page.getByTestId('interview-view')).toHaveAttribute('data-project-id', projectId);
    await expectQuestion(page, third, 3);
    await expect(pending(page)).toHaveAttribute('data-turn-id', turnId ?? '');
    await expect(page.getByTestId('interview-turn')).toHaveCount(2);

    // A new server process on the same data (new port and token): the same question, from the store.
    expect(await serve.stop()).toBe(0);
    const again = await startServer();
    await openProject(page, again.url);
    await expectQuestion(page, third, 3);
    await expect(pending(page)).toHaveAttribute('data-turn-id', turnId ?? '');
    await expect(page.getByTestId('interview-turn')).toHaveCount(2);
    expect(fake.count(chatPath)).toBe(3);
  });

  test('editing an earlier answer clears what builds on it and asks it again', async ({ page, setup }) => {
    const problems = collectProblems(page);
    const vendorsForRouters: ScriptedTurn['turn'] = {
      ...vFirewallInterview[1]!.turn,
      question: 'Which routers must it manage?',
      options: ['Cisco Catalyst 8000V (CSR)', 'Juniper vSRX'],
    };
    const { fake, serve } = await setup([...scriptOf(vFirewallInterview), reply(vendorsForRouters)]);
    await openProject(page, serve.url);
    await answerAll(page, vFirewallInterview);
    await expect(page.getByTestId('interview-done')).toBeVisible();
    const panel = page.getByTestId('spec-panel');
    await expect(panel.getByTestId('spec-generate')).toBeEnabled();

    const serviceTurn = page.getByTestId('interview-turn').filter({ has: page.getByTestId('turn-question').getByText(vFirewallInterview[0]!.turn.question) });
    await serviceTurn.getByTestId('turn-edit').click();
    const form = serviceTurn.getByTestId('answer-form');
    // The form opens on the earlier answer.
    await expect(form.getByRole('radio', { name: 'vFirewall', exact: true })).toHaveAttribute('aria-checked', 'true');
    await form.getByRole('radio', { name: 'vRouter', exact: true }).click();
    await expect(form.getByRole('radio', { name: 'vFirewall', exact: true })).toHaveAttribute('aria-checked', 'false');
    await form.getByTestId('answer-send').click();

    await expect(serviceTurn.getByTestId('turn-cleared')).toHaveText('Changing this re-asks: Vendors and products, Vendor API authentication, Features');
    await expect(serviceTurn.getByTestId('turn-outcome')).toHaveText('vRouter');

    // The spec loses the dependent fields; the next question asks for one of them.
    await expect(panel.getByTestId('spec-service-type')).toHaveValue('vRouter');
    await expect(panel.getByTestId('spec-vendors-mode')).toHaveValue('unset');
    await expect(panel.getByTestId('spec-features')).toHaveValue('');
    await expect(panel.getByTestId('spec-auth')).toHaveValue('');
    await expect(panel.getByTestId('spec-pricing')).toHaveValue('per-instance');
    await expect(panel.getByTestId('spec-check-problems')).toContainText('Vendors: not answered yet');
    await expect(panel.getByTestId('spec-generate')).toBeDisabled();
    await expect(pending(page)).toHaveAttribute('data-field', 'vendors');
    await expect(pending(page).getByTestId('interview-question')).toHaveText(vendorsForRouters.question);
    await expect(chip(pending(page), 'Cisco Catalyst 8000V (CSR)')).toBeVisible();
    // The cleared answers left the history; the others stay.
    await expect(page.getByTestId('interview-turn')).toHaveCount(6);
    expect(fake.count(chatPath)).toBe(vFirewallInterview.length + 1);
    expect(problems, problems.join('\n')).toEqual([]);
  });

  test('option text from the model is shown as text, never as markup', async ({ page, setup }) => {
    const literal = 'Latency < 5 ms & "fast"';
    const features: ScriptedTurn['turn'] = { ...vFirewallInterview[2]!.turn, step: 1, options: [literal, 'Rule management', 'Audit log'] };
    const { serve } = await setup([reply(features), reply(vFirewallInterview[0]!.turn)]);
    await openProject(page, serve.url);
    await expect(pending(page)).toHaveAttribute('data-field', 'features');

    const option = pending(page).getByRole('button', { name: literal, exact: true });
    await expect(option).toBeVisible();
    await expect(option).toHaveAttribute('aria-pressed', 'false');
    const label = option.locator('.option-chip-label');
    expect(await label.textContent()).toBe(literal);
    expect(await label.innerHTML()).toBe('Latency &lt; 5 ms &amp; "fast"');

    await option.click();
    await pending(page).getByTestId('answer-send').click();
    const turn = page.getByTestId('interview-turn');
    await expect(turn).toHaveCount(1);
    await expect(turn.getByTestId('turn-answer')).toContainText(literal);
    await expect(page.getByTestId('spec-features')).toHaveValue(literal);
  });

  test('an answer over 4,000 characters is refused with the limit in the message and the text stays', async ({ page, setup }) => {
    const first = vFirewallInterview[0]!;
    const { fake, serve } = await setup([reply(first.turn), reply(vFirewallInterview[1]!.turn)]);
    await openProject(page, serve.url);
    await expectQuestion(page, first, 1);

    const long = 'a firewall for tenants '.repeat(180); // 4,140 characters
    expect(long.length).toBeGreaterThan(4000);
    const box = pending(page).getByTestId('answer-text');
    await box.fill(long);
    await expect(pending(page).getByTestId('answer-counter')).toHaveText(`${long.length.toLocaleString('en-US')} / 4,000 characters`);
    await pending(page).getByTestId('answer-send').click();

    const error = pending(page).getByTestId('answer-error');
    await expect(error).toContainText('at most 4,000 characters');
    await expect(error).toHaveAttribute('data-code', 'INVALID_INPUT');
    await expect(box).toHaveValue(long);
    await expect(page.getByTestId('interview-turn')).toHaveCount(0);
    expect(fake.count(chatPath)).toBe(1);

    // Shortened, the same text goes through.
    await box.fill('A firewall for our tenants');
    await chip(pending(page), 'vFirewall').click();
    await pending(page).getByTestId('answer-send').click();
    await expect(page.getByTestId('interview-turn')).toHaveCount(1);
  });

  test('invalid model output twice shows the error with Try again, which then gets the question', async ({ page, setup }) => {
    const first = vFirewallInterview[0]!;
    const bad = reply({ ...first.turn, options: [] });
    const { fake, serve } = await setup([bad, bad, reply(first.turn)]);
    await openProject(page, serve.url);

    const error = page.getByTestId('interview-error');
    await expect(error).toBeVisible();
    await expect(error).toHaveAttribute('data-code', 'INVALID_OUTPUT');
    await expect(error.getByTestId('interview-error-message')).toContainText('twice');
    await expect(error.getByTestId('interview-error-message')).toContainText('needs at least one option');
    expect(fake.count(chatPath)).toBe(2);

    // Stored: a reload shows the same error and does not ask again by itself.
    await page.reload();
    await expect(page.getByTestId('interview-error')).toHaveAttribute('data-code', 'INVALID_OUTPUT');
    expect(fake.count(chatPath)).toBe(2);

    await page.getByTestId('interview-retry').click();
    await expectQuestion(page, first, 1);
    await expect(page.getByTestId('interview-error')).toHaveCount(0);
    expect(fake.count(chatPath)).toBe(3);
  });

  test('the streamed explanation shows while the question is written; Cancel stops it; Start over begins again', async ({ page, setup }) => {
    const first = vFirewallInterview[0]!;
    // About 12 s in all: Cancel comes long before the end.
    const slow: FakeStep = { reply: { json: first.turn }, chunks: 40, chunkDelayMs: 300 };
    const { fake, serve } = await setup([slow, reply(first.turn), reply(vFirewallInterview[1]!.turn), reply(first.turn)]);
    await openProject(page, serve.url);

    const asking = page.getByTestId('interview-asking');
    await expect(asking).toContainText('Writing the next question…');
    await expect(asking.getByTestId('interview-streamed')).toContainText('This decides');
    await asking.getByTestId('interview-cancel').click();
    await expect(page.getByTestId('interview-error')).toHaveAttribute('data-code', 'CANCELLED');
    await expect(page.getByTestId('interview-pending')).toHaveCount(0);

    await page.getByTestId('interview-retry').click();
    await expectQuestion(page, first, 1);
    await answer(page, first);
    await expect(page.getByTestId('spec-service-type')).toHaveValue('vFirewall');
    await expectQuestion(page, vFirewallInterview[1]!, 2);

    // Start over asks first; then the answers and the spec (but its name) are gone.
    await page.getByTestId('interview-start-over').click();
    await page.getByTestId('interview-start-over-confirm').click();
    await expectQuestion(page, first, 1);
    await expect(page.getByTestId('interview-turn')).toHaveCount(0);
    await expect(page.getByTestId('spec-service-type')).toHaveValue('');
    await expect(page.getByTestId('spec-name')).toHaveValue(projectName);
    expect(fake.count(chatPath)).toBe(4);
  });

  test('the JSON tab checks an edit before sending it; a valid edit updates the form', async ({ page, setup }) => {
    const problems = collectProblems(page);
    const sent = watchInvokes(page);
    const first = vFirewallInterview[0]!;
    const { serve } = await setup([reply(first.turn), reply(vFirewallInterview[1]!.turn)]);
    await openProject(page, serve.url);
    await expectQuestion(page, first, 1);
    const panel = page.getByTestId('spec-panel');
    await panel.getByTestId('spec-tab-json').click();
    const json = panel.getByTestId('spec-json');
    expect(JSON.parse(await json.inputValue())).toEqual({ specVersion: 2, name: projectName });

    // Not JSON: the parser's message, nothing sent.
    await json.fill('{ "specVersion": 2, "name": }');
    await panel.getByTestId('spec-json-apply').click();
    await expect(panel.getByTestId('spec-json-error')).toContainText('Not valid JSON');
    // JSON, but not a draft: each problem with its path, nothing sent.
    await json.fill(JSON.stringify({ specVersion: 2, serviceType: 'vToaster', target: { language: 'python' } }));
    await panel.getByTestId('spec-json-apply').click();
    const jsonProblems = panel.getByTestId('spec-json-problems');
    // Each field by its label, not its JSON name.
    await expect(jsonProblems).toContainText('Kind of service');
    await expect(jsonProblems).toContainText('Language and framework › Framework');
    await expect(panel.getByTestId('spec-json-error')).toHaveCount(0);
    expect(sent.filter((frame) => frame.channel === 'spec.set')).toEqual([]);

    // Valid: sent once, and the form follows.
    const edited = { specVersion: 2, name: projectName, serviceType: 'vRouter', pricing: { model: 'flat', notes: 'per site' } };
    await json.fill(JSON.stringify(edited, null, 2));
    await panel.getByTestId('spec-json-apply').click();
    await expect(panel.getByTestId('spec-json-problems')).toHaveCount(0);
    await expect.poll(() => sent.filter((frame) => frame.channel === 'spec.set').length).toBe(1);
    await panel.getByTestId('spec-tab-form').click();
    await expect(panel.getByTestId('spec-service-type')).toHaveValue('vRouter');
    await expect(panel.getByTestId('spec-pricing')).toHaveValue('flat');
    await expect(panel.getByTestId('spec-pricing-notes')).toHaveValue('per site');
    // The service type question is answered by the edit: the interview moves on to the next field.
    await expect(pending(page)).toHaveAttribute('data-field', 'vendors');
    expect(problems, problems.join('\n')).toEqual([]);
  });

  test('without a provider the page says why no question comes and leads to Providers', async ({ page, home, startServer }) => {
    const created = await runCli(['projects', 'create', projectName, '--json'], home);
    expect(created.code, created.stderr).toBe(0);
    const serve = await startServer();
    await openProject(page, serve.url);
    const error = page.getByTestId('interview-error');
    await expect(error).toHaveAttribute('data-code', 'NO_ROUTE');
    await expect(error.getByTestId('interview-error-message')).toContainText('Add one in Providers');
    // The spec can be written by hand meanwhile.
    await expect(page.getByTestId('spec-name')).toHaveValue(projectName);
    await error.getByTestId('interview-open-providers').click();
    await expect(page.getByTestId('nav-providers')).toHaveAttribute('aria-current', 'page');
    // Back in Projects the list shows again; Open returns to the page.
    await page.getByTestId('nav-projects').click();
    await page.getByRole('button', { name: `Open ${projectName}`, exact: true }).click();
    await expect(page.getByTestId('interview-error')).toHaveAttribute('data-code', 'NO_ROUTE');
    await page.getByTestId('interview-back').click();
    await expect(page.getByTestId('project-list')).toBeVisible();
  });

  test('the form saves the whole draft; import upgrades an old spec file; export downloads the JSON', async ({ page, setup }) => {
    const first = vFirewallInterview[0]!;
    const { serve } = await setup([reply(first.turn), reply(vFirewallInterview[2]!.turn)]);
    await openProject(page, serve.url);
    await expectQuestion(page, first, 1);
    const panel = page.getByTestId('spec-panel');

    // Framework choices follow the language.
    await panel.getByTestId('spec-language').selectOption('typescript');
    await expect(panel.getByTestId('spec-framework').locator('option')).toHaveText(['Not set', 'Express', 'Fastify']);
    await panel.getByTestId('spec-framework').selectOption('fastify');
    await panel.getByTestId('spec-summary').fill('Firewall rules for every tenant');
    await panel.getByTestId('spec-save').click();
    await expect(panel.getByTestId('spec-saved')).toBeVisible();
    await panel.getByTestId('spec-tab-json').click();
    await expect
      .poll(async () => JSON.parse(await panel.getByTestId('spec-json').inputValue()) as unknown)
      .toEqual({ specVersion: 2, name: projectName, summary: 'Firewall rules for every tenant', target: { language: 'typescript', framework: 'fastify' } });
    await panel.getByTestId('spec-tab-form').click();

    // A version 1 file is upgraded on import.
    const v1 = { specVersion: 1, name: projectName, serviceType: 'vFirewall', vendors: ['Cisco ASA', 'Acme Shield'], stack: 'python-flask', pricing: 'flat' };
    await panel.getByTestId('spec-import-input').setInputFiles({ name: 'old.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(v1)) });
    await expect(panel.getByTestId('spec-file-note')).toContainText('Upgraded from spec version 1');
    await expect(panel.getByTestId('spec-service-type')).toHaveValue('vFirewall');
    await expect(panel.getByTestId('spec-framework')).toHaveValue('flask');
    await expect(panel.getByTestId('spec-vendor-name').first()).toHaveValue('Cisco');
    await expect(panel.getByTestId('spec-vendor-name').nth(1)).toHaveValue('Acme Shield');

    const downloading = page.waitForEvent('download');
    await panel.getByTestId('spec-export').click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe('edge-firewall.service-spec.json');
    const exported = JSON.parse(await readFile(await download.path(), 'utf8')) as Record<string, unknown>;
    expect(exported).toMatchObject({ specVersion: 2, serviceType: 'vFirewall', target: { language: 'python', framework: 'flask' }, pricing: { model: 'flat' } });
  });
});
