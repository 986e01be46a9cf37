import { writeFile } from 'node:fs/promises';
import { buggyFirewallStore, firewallFiles } from '../support/pipelineProject.ts';
import { collectProblems, expect } from './serveFixture.ts';
import { leftContainers, sandboxUnavailable, test } from './testsFixture.ts';

/**
 * The Tests view of a finished run, in Chromium against a real `service-creator serve` whose only
 * provider is the scripted model server: the engine status (a Docker that does not answer says
 * so and runs nothing), and, where a Docker engine with the offline Python image answers, the
 * generated project's own tests in the real sandbox, a failing project and the repair loop
 * turning it green.
 */

/** The store with a bug: list() drops the first rule, so both tests fail (as in test/docker/repairLoop.test.ts). */
const correctStore = firewallFiles['app/store.py'] ?? '';
/** The API test, slowed down and printing past pytest's capture, so its output can be seen arriving while it runs. */
const slowApiTest = (firewallFiles['tests/test_api.py'] ?? '')
  .replace('from fastapi.testclient import TestClient', 'import time\n\nfrom fastapi.testclient import TestClient')
  .replace('def test_create_and_list():\n', 'def test_create_and_list(capsys):\n    with capsys.disabled():\n        print("live: the API test started", flush=True)\n    time.sleep(4)\n');

test.describe('tests of a finished run', () => {
  test('a Docker engine that does not answer: the clear message, Run disabled, Retry asks again', async ({ page, generate }, testInfo) => {
    test.setTimeout(90_000);
    const problems = collectProblems(page);
    const section = await generate(page, { env: { DOCKER_HOST: 'unix:///nonexistent.sock' } });

    const engine = section.getByTestId('tests-engine');
    await expect(engine).toHaveAttribute('data-state', 'down');
    await expect(engine.getByTestId('tests-engine-message')).toContainText('Docker is not running: start Docker Desktop or dockerd');
    await expect(engine.getByTestId('tests-engine-message')).toContainText('unix:///nonexistent.sock');
    await expect(section.getByTestId('tests-run')).toBeDisabled();
    await expect(section.getByTestId('tests-repair')).toBeDisabled();
    await expect(section.getByTestId('tests-empty')).toBeVisible();

    const screenshot = await page.screenshot({ fullPage: true });
    await writeFile(testInfo.outputPath('tests-no-docker.png'), screenshot);
    await testInfo.attach('no Docker', { body: screenshot, contentType: 'image/png' });

    await engine.getByTestId('tests-engine-retry').click();
    await expect(engine).toHaveAttribute('data-state', 'down');
    await expect(section.getByTestId('tests-run')).toBeDisabled();

    // The fields say what they accept.
    await section.getByTestId('tests-timeout').fill('0');
    await expect(section.getByTestId('tests-timeout-error')).toContainText('Timeout must be a whole number from 1 to 3600');
    await section.getByTestId('tests-rounds').fill('11');
    await expect(section.getByTestId('tests-rounds-error')).toContainText('Rounds must be a whole number from 1 to 10');

    // The files are one tab away, as before.
    await page.getByTestId('run-tab-files').click();
    await expect(page.getByTestId('run-file').first()).toBeVisible();
    await expect(section).toBeHidden();
    // And from the keyboard: the arrows move between the tabs (wrapping), Home and End too.
    await page.getByTestId('run-tab-files').press('ArrowRight');
    await expect(page.getByTestId('run-tab-tests')).toBeFocused();
    await expect(page.getByTestId('run-tab-tests')).toHaveAttribute('aria-selected', 'true');
    await expect(section).toBeVisible();
    await page.getByTestId('run-tab-tests').press('ArrowRight');
    await expect(page.getByTestId('run-tab-files')).toBeFocused();
    await page.getByTestId('run-tab-files').press('End');
    await expect(page.getByTestId('run-tab-tests')).toHaveAttribute('aria-selected', 'true');
    await page.getByTestId('run-tab-tests').press('Home');
    await expect(page.getByTestId('run-tab-files')).toHaveAttribute('aria-selected', 'true');
    await expect(section).toBeHidden();
    expect(problems).toEqual([]);
  });

  test.describe('in the Docker sandbox', () => {
    test.beforeAll(async () => {
      const missing = await sandboxUnavailable();
      test.skip(missing !== null, `skipped: ${missing ?? ''}`);
    });

    test('the generated project\'s own tests: live log, Cancel, then a run that passes with each case in the table, the history', async ({ page, generate }) => {
      test.setTimeout(180_000);
      const problems = collectProblems(page);
      const section = await generate(page, { files: { ...firewallFiles, 'tests/test_api.py': slowApiTest } });
      await expect(section.getByTestId('tests-engine')).toHaveAttribute('data-state', 'ok');
      await expect(section.getByTestId('tests-engine-message')).toContainText(/^Docker \S+ \(API /);

      // The log streams while the tests run; Run waits, Cancel is offered and stops them.
      await section.getByTestId('tests-run').click();
      const run = section.getByTestId('test-run');
      const log = run.getByTestId('test-log');
      await expect(run).toHaveAttribute('data-status', 'running');
      await expect(run.getByTestId('test-run-summary')).toHaveText('Running the tests…');
      await expect(section.getByTestId('tests-run')).toBeDisabled();
      await expect(log.getByTestId('test-log-text')).toContainText('live: the API test started', { timeout: 60_000 });
      await expect(log).toHaveAttribute('data-running', 'true');
      await run.getByTestId('test-run-cancel').click();
      await expect(run).toHaveAttribute('data-status', 'cancelled');
      await expect(run.getByTestId('test-run-summary')).toHaveText('Cancelled');
      await expect(run.getByTestId('test-run-cancel')).toHaveCount(0);
      await expect(page.getByTestId('run-tab-tests-status')).toHaveText('Cancelled');

      // Again, to the end.
      await section.getByTestId('tests-run').click();
      await expect(run).toHaveAttribute('data-status', 'running');
      await expect(log.getByTestId('test-log-text')).toContainText('live: the API test started', { timeout: 60_000 });
      await expect(log).toHaveAttribute('data-running', 'true');
      await expect(run).toHaveAttribute('data-status', 'finished', { timeout: 120_000 });
      await expect(run).toHaveAttribute('data-outcome', 'passed');
      await expect(run.getByTestId('test-run-summary')).toHaveText('2 passed');
      await expect(run.getByTestId('test-run-status')).toHaveText('Passed');
      await expect(run.getByTestId('test-run-install-note')).toContainText(/network/);
      const cases = run.getByTestId('test-case');
      await expect(cases).toHaveCount(2);
      await expect(run.locator('[data-testid=test-case][data-status=passed]')).toHaveCount(2);
      await expect(cases.first()).toHaveAttribute('data-name', /test_/);
      await expect(log).toHaveAttribute('data-running', 'false');
      await expect(log.getByTestId('test-log-text')).toContainText('live: the API test started');
      await expect(log.getByTestId('test-log-text')).toContainText('2 passed');
      await expect(run.getByTestId('test-log-cut')).toHaveCount(0);
      const history = section.getByTestId('tests-history-item');
      await expect(history).toHaveCount(2);
      await expect(history.first()).toHaveAttribute('aria-current', 'true');
      await expect(history.nth(1)).toHaveAttribute('data-status', 'cancelled');
      await expect(page.getByTestId('run-tab-tests-status')).toHaveText('Passed');
      // Done: Run is enabled again.
      await expect(section.getByTestId('tests-run')).toBeEnabled();

      const ids = await history.evaluateAll((items) => items.map((item) => item.getAttribute('data-test-run-id') ?? ''));
      await expect.poll(() => leftContainers(ids)).toEqual([]);
      expect(problems).toEqual([]);
    });

    test('a bug: Run shows both failures with their messages; Repair turns it green in one round', async ({ page, generate }, testInfo) => {
      test.setTimeout(240_000);
      const problems = collectProblems(page);
      const section = await generate(page, { files: { ...firewallFiles, 'app/store.py': [buggyFirewallStore, correctStore] } });
      await expect(section.getByTestId('tests-engine')).toHaveAttribute('data-state', 'ok');

      await section.getByTestId('tests-run').click();
      const run = section.getByTestId('test-run');
      await expect(run).toHaveAttribute('data-status', 'finished', { timeout: 120_000 });
      await expect(run).toHaveAttribute('data-outcome', 'failed');
      await expect(run.getByTestId('test-run-summary')).toHaveText('2 failed');
      const failed = run.locator('[data-testid=test-case][data-status=failed]');
      await expect(failed).toHaveCount(2);
      for (const row of await failed.all()) await expect(row.getByTestId('test-case-message')).not.toHaveText('');
      await expect(run.locator('[data-testid=test-case][data-name$="test_add_and_list"]').getByTestId('test-case-message')).toContainText('assert');
      // A failure's details (the traceback) open under its row, as text.
      const details = run.getByTestId('test-case-details').first();
      await expect(details).toBeHidden();
      await run.getByTestId('test-case-toggle').first().click();
      await expect(details).toBeVisible();
      await expect(details).toContainText('.py');
      expect(await details.evaluate((element) => element.children.length)).toBe(0);
      await expect(page.getByTestId('run-tab-tests-status')).toHaveText('Failed');

      // Repair (3 rounds by default): the tests before, one round that changes the store, green.
      await expect(section.getByTestId('tests-rounds')).toHaveValue('3');
      await section.getByTestId('tests-repair').click();
      const repair = section.getByTestId('repair');
      await expect(repair).toBeVisible();
      await expect(repair).toHaveAttribute('data-status', 'green', { timeout: 180_000 });
      await expect(repair.getByTestId('repair-status')).toHaveText('Green');
      await expect(repair.getByTestId('repair-note')).toHaveText('Green after 1 round(s)');
      const rounds = repair.getByTestId('repair-round');
      await expect(rounds).toHaveCount(2);
      await expect(rounds.nth(0)).toHaveAttribute('data-round', '0');
      await expect(rounds.nth(0).getByTestId('repair-round-result')).toHaveText('2 failed');
      await expect(rounds.nth(1)).toHaveAttribute('data-round', '1');
      await expect(rounds.nth(1).getByTestId('repair-round-result')).toHaveText('2 passed');
      await expect(rounds.nth(1).locator('[data-testid=repair-change][data-path="app/store.py"]')).toHaveAttribute('data-outcome', 'changed');
      await expect(repair.getByTestId('repair-cancel')).toHaveCount(0);

      // The newest test run (the repair's last) is shown: green; the history has all three.
      await expect(run).toHaveAttribute('data-outcome', 'passed');
      await expect(run.getByTestId('test-run-summary')).toHaveText('2 passed');
      await expect(section.getByTestId('tests-history-item')).toHaveCount(3);
      await expect(page.getByTestId('run-tab-tests-status')).toHaveText('Passed');

      // A round's test run can be opened from the round: round 0 is the failing one.
      await rounds.nth(0).getByTestId('repair-round-show').click();
      await expect(run.getByTestId('test-run-summary')).toHaveText('2 failed');
      await section.getByTestId('tests-history-follow').click();
      await expect(run.getByTestId('test-run-summary')).toHaveText('2 passed');

      await page.setViewportSize({ width: 1440, height: 1800 });
      const screenshot = await page.screenshot({ fullPage: true });
      await writeFile(testInfo.outputPath('tests-after-repair.png'), screenshot);
      await testInfo.attach('tests after repair', { body: screenshot, contentType: 'image/png' });

      // The repaired file has a new version in the run's files.
      await page.getByTestId('run-tab-files').click();
      await expect(page.locator('[data-testid=run-file][data-path="app/store.py"]').getByTestId('run-file-attempts')).toHaveText('2 calls');

      const ids = await section.getByTestId('tests-history-item').evaluateAll((items) => items.map((item) => item.getAttribute('data-test-run-id') ?? ''));
      await expect.poll(() => leftContainers(ids)).toEqual([]);
      expect(problems).toEqual([]);
    });
  });
});
