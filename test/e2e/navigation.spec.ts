import type { Page } from '@playwright/test';
import { firewallFiles } from '../support/pipelineProject.ts';
import { collectProblems, expect } from './serveFixture.ts';
import { brokenStore, projectName, runFile, test } from './pipelineFixture.ts';

/**
 * Issue 16, routes: every page and selection has an address (a hash route, the same under
 * `app://` and serve), the browser's Back and Forward move inside the app, a reload opens where it
 * was, and "Generate the service" lands on its new run at once, once however often it is clicked.
 */
const hash = (page: Page) => page.evaluate(() => window.location.hash);

test.describe('routes, Back/Forward and deep links', () => {
  test('Generate lands on one new run; Back and Forward walk the pages; a reload keeps the run', async ({ page, setup }) => {
    test.setTimeout(90_000);
    const problems = collectProblems(page);
    const { serve, projectId } = await setup({ delayMs: 300 });
    await page.goto(serve.url);
    // The printed address opens the projects list, and its token leaves the address at once.
    await expect(page.getByTestId('project-item')).toHaveCount(1);
    expect(await hash(page)).toBe('#/projects');
    expect(page.url()).not.toContain(serve.token);

    await page.getByRole('button', { name: `Open ${projectName}`, exact: true }).click();
    await expect(page.getByTestId('interview-view')).toBeVisible();
    expect(await hash(page)).toBe(`#/projects/${projectId}`);

    // A double click on Generate: one run, selected, planning right away, no second click needed.
    const generate = page.getByTestId('spec-generate');
    await expect(generate).toBeEnabled();
    await generate.dblclick();
    await expect(page.getByTestId('pipeline-view')).toBeVisible();
    await expect(page.getByTestId('plan-editor')).toBeVisible();
    await expect(page.getByTestId('run-list-item')).toHaveCount(1);
    const runId = (await page.getByTestId('run-list-item').getAttribute('data-run-id')) ?? '';
    expect(runId).not.toBe('');
    await expect.poll(() => hash(page)).toBe(`#/projects/${projectId}/runs/${runId}`);

    await page.getByTestId('nav-providers').click();
    await expect(page.getByTestId('nav-providers')).toHaveAttribute('aria-current', 'page');
    expect(await hash(page)).toBe('#/providers');

    // Back: the run again; Back: the interview (the planning run's own selection made no entry); Back: the list.
    await page.goBack();
    await expect(page.getByTestId('plan-editor')).toBeVisible();
    await expect(page.locator(`[data-testid=run-list-item][data-run-id="${runId}"]`)).toHaveAttribute('aria-current', 'true');
    await page.goBack();
    await expect(page.getByTestId('interview-view')).toBeVisible();
    await page.goBack();
    await expect(page.getByTestId('project-item')).toHaveCount(1);
    // Still the app, never the page before it.
    expect(page.url().startsWith(serve.origin)).toBe(true);
    await page.goForward();
    await page.goForward();
    await expect(page.getByTestId('plan-editor')).toBeVisible();
    expect(await hash(page)).toBe(`#/projects/${projectId}/runs/${runId}`);

    // A reload (and a deep link in a new tab of the same session) opens the same run.
    await page.reload();
    await expect(page.getByTestId('plan-editor')).toBeVisible();
    await expect(page.locator(`[data-testid=run-list-item][data-run-id="${runId}"]`)).toHaveAttribute('aria-current', 'true');
    const second = await page.context().newPage();
    await second.goto(`${serve.origin}#/settings`);
    // A new tab has no token of its own: it says so rather than showing a blank page.
    await expect(second.getByTestId('error-banner')).toBeVisible();
    await second.close();
    await expect(page.getByTestId('run-list-item')).toHaveCount(1);
    expect(problems.filter((problem) => !problem.includes('/api/session')), problems.join('\n')).toEqual([]);
  });

  test('the file, its version and the run tab are in the address: a reload and Back restore them', async ({ page, setup }) => {
    test.setTimeout(120_000);
    const fixedStore = firewallFiles['app/store.py'] ?? '';
    const { serve, projectId } = await setup({ files: { ...firewallFiles, 'app/store.py': [brokenStore, fixedStore] } });
    await page.goto(serve.url);
    await page.getByRole('button', { name: `Generation runs of ${projectName}`, exact: true }).click();
    expect(await hash(page)).toBe(`#/projects/${projectId}/runs`);
    await page.getByTestId('pipeline-plan').click();
    await page.getByTestId('plan-editor').getByTestId('plan-start').click();
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
    const runId = (await page.getByTestId('run-monitor').getAttribute('data-run-id')) ?? '';

    await runFile(page, 'app/store.py').click();
    const viewer = page.getByTestId('file-viewer');
    await expect(viewer).toHaveAttribute('data-versions', '2');
    await viewer.getByTestId('file-viewer-version').selectOption('0');
    await expect.poll(() => hash(page)).toBe(`#/projects/${projectId}/runs/${runId}?file=app%2Fstore.py&version=1`);

    await page.reload();
    await expect(viewer).toHaveAttribute('data-path', 'app/store.py');
    await expect(viewer.getByTestId('file-viewer-version')).toHaveValue('0');
    await expect(viewer.getByTestId('code-view').locator('.cm-content')).not.toContainText('self._rules');

    await page.getByTestId('run-tab-tests').click();
    await expect(page.getByTestId('run-tab-tests')).toHaveAttribute('aria-selected', 'true');
    expect(await hash(page)).toContain('tab=tests');
    await page.goBack();
    await expect(page.getByTestId('run-tab-files')).toHaveAttribute('aria-selected', 'true');
    await expect(viewer.getByTestId('file-viewer-version')).toHaveValue('0');
    // Back again: the latest version of the same file.
    await page.goBack();
    await expect(viewer.getByTestId('file-viewer-version')).toHaveValue('1');
    await page.goBack();
    await expect(page.getByTestId('file-viewer')).toHaveCount(0);
  });
});
