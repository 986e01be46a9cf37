import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import packageJson from '../../package.json' with { type: 'json' };
import { runCli } from './startServe.ts';
import { collectProblems, expect, test } from './serveFixture.ts';

/**
 * The UI in Chromium against a real `service-creator serve` (its own process, a fresh data dir
 * per test), driven only through the data-testids the UI promises.
 */
async function openApp(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect(page.getByTestId('project-list').or(page.getByTestId('projects-empty'))).toBeVisible();
}

function projectRow(page: Page, name: string): Locator {
  return page.getByTestId('project-item').filter({ has: page.getByTestId('project-item-name').getByText(name, { exact: true }) });
}

async function createProject(page: Page, name: string): Promise<void> {
  await page.getByTestId('project-name-input').fill(name);
  await page.getByTestId('project-create-button').click();
  await expect(projectRow(page, name)).toBeVisible();
}

test.describe('projects over the loopback bridge', () => {
  test('create a project; it survives a reload; no console errors or failed requests', async ({ page, serve }, testInfo) => {
    const problems = collectProblems(page);
    await openApp(page, serve.url);
    await expect(page.getByTestId('projects-empty')).toBeVisible();
    // The token leaves the address bar once it is stored.
    expect(page.url()).not.toContain('token=');

    await createProject(page, 'Customer portal');
    await expect(page.getByTestId('project-name-input')).toHaveValue('');
    await expect(page.getByTestId('project-item')).toHaveCount(1);
    const id = await projectRow(page, 'Customer portal').getAttribute('data-project-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    // The token survives a reload through sessionStorage, and the project is read back from the core.
    await page.reload();
    await expect(page.getByTestId('error-banner')).toHaveCount(0);
    await expect(projectRow(page, 'Customer portal')).toBeVisible();
    await expect(page.locator(`[data-testid=project-item][data-project-id="${id}"]`)).toHaveCount(1);

    // The CLI sees what the UI created (same store).
    const listed = await runCli(['projects', 'list', '--json'], serve.home);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.lines.map((line) => (line.project as { name: string }).name)).toEqual(['Customer portal']);

    const screenshot = await page.screenshot({ fullPage: true });
    await writeFile(join(testInfo.project.outputDir, 'projects.png'), screenshot);
    await testInfo.attach('projects', { body: screenshot, contentType: 'image/png' });

    expect(problems, problems.join('\n')).toEqual([]);
  });

  test('rename and delete through the UI; the empty state comes back', async ({ page, serve }) => {
    const problems = collectProblems(page);
    await openApp(page, serve.url);
    await createProject(page, 'Draft name');

    const row = projectRow(page, 'Draft name');
    const id = await row.getAttribute('data-project-id');
    await row.getByTestId('project-rename-button').click();
    const renameInput = page.getByTestId('project-rename-input');
    await expect(renameInput).toBeVisible();
    await renameInput.fill('Final name');
    await page.getByTestId('project-rename-save').click();
    await expect(projectRow(page, 'Final name')).toBeVisible();
    await expect(projectRow(page, 'Draft name')).toHaveCount(0);
    await expect(page.getByTestId('project-rename-input')).toHaveCount(0);
    // Same project, new name.
    await expect(projectRow(page, 'Final name')).toHaveAttribute('data-project-id', id ?? '');

    // Delete asks first; only the confirm button deletes.
    await projectRow(page, 'Final name').getByTestId('project-delete-button').click();
    await expect(page.getByTestId('project-item')).toHaveCount(1);
    await page.getByTestId('project-delete-confirm').click();
    await expect(page.getByTestId('project-item')).toHaveCount(0);
    await expect(page.getByTestId('projects-empty')).toBeVisible();

    // Deleted in the store too, not just hidden.
    await page.reload();
    await expect(page.getByTestId('projects-empty')).toBeVisible();
    const listed = await runCli(['projects', 'list', '--json'], serve.home);
    expect(listed.lines).toEqual([]);

    expect(problems, problems.join('\n')).toEqual([]);
  });

  test('a duplicate name shows the server message; the server keeps serving', async ({ page, serve }) => {
    await openApp(page, serve.url);
    await createProject(page, 'Billing');

    // Names are unique case-insensitively.
    await page.getByTestId('project-name-input').fill('billing');
    await page.getByTestId('project-create-button').click();
    const formError = page.getByTestId('form-error');
    await expect(formError).toBeVisible();
    await expect(formError).toContainText('already exists');
    await expect(page.getByTestId('project-item')).toHaveCount(1);

    // The next action works: the same process answers and the new project appears.
    await createProject(page, 'Invoices');
    await expect(page.getByTestId('project-item')).toHaveCount(2);
    await expect(page.getByTestId('form-error')).toHaveCount(0);
    expect(serve.output().stderr).not.toMatch(/error/i);
  });

  test('a project created by the CLI appears in the open UI without a reload', async ({ page, serve }) => {
    await openApp(page, serve.url);
    await expect(page.getByTestId('projects-empty')).toBeVisible();
    // Marks this document: a reload or navigation would lose the mark.
    await page.evaluate(() => Object.assign(window, { e2eNoReloadMark: true }));

    const created = await runCli(['projects', 'create', 'From the CLI', '--json'], serve.home);
    expect(created.code, created.stderr).toBe(0);
    const id = (created.lines[0]?.project as { id?: string } | undefined)?.id;

    await expect(projectRow(page, 'From the CLI')).toBeVisible({ timeout: 15_000 });
    await expect(projectRow(page, 'From the CLI')).toHaveAttribute('data-project-id', id ?? '');
    expect(await page.evaluate(() => (window as unknown as { e2eNoReloadMark?: boolean }).e2eNoReloadMark)).toBe(true);
  });

  test('projects persist when serve stops and starts again on the same home', async ({ page, serve, startServer }) => {
    await openApp(page, serve.url);
    await createProject(page, 'Survives restarts');
    const id = await projectRow(page, 'Survives restarts').getAttribute('data-project-id');

    expect(await serve.stop()).toBe(0);
    const again = await startServer();
    expect(again.home).toBe(serve.home);
    expect(again.token).not.toBe(serve.token);

    await openApp(page, again.url);
    await expect(page.getByTestId('error-banner')).toHaveCount(0);
    await expect(projectRow(page, 'Survives restarts')).toHaveAttribute('data-project-id', id ?? '');
    await expect(page.getByTestId('project-item')).toHaveCount(1);
  });

  test('without the token (or with a wrong one) the page shows the error banner, not a blank page', async ({ browser, serve }) => {
    // A fresh context: nothing in sessionStorage.
    for (const url of [serve.origin, `${serve.origin}#token=not-the-token`]) {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        await page.goto(url);
        const banner = page.getByTestId('error-banner');
        await expect(banner, `error banner for ${url}`).toBeVisible();
        await expect(banner).not.toBeEmpty();
        // No project data leaks without the token.
        await expect(page.getByTestId('project-item')).toHaveCount(0);
      } finally {
        await context.close();
      }
    }
  });

  test('navigation and settings: dark theme applies and persists', async ({ page, browser, serve }) => {
    const problems = collectProblems(page);
    await openApp(page, serve.url);
    await expect(page.getByTestId('settings-theme')).toHaveCount(0);

    await page.getByTestId('nav-settings').click();
    const theme = page.getByTestId('settings-theme');
    await expect(theme).toBeVisible();
    await expect(theme).toBeEnabled();
    await expect(page.getByTestId('settings-privacy-mode')).toBeVisible();
    await expect(page.getByTestId('app-version')).toHaveText(packageJson.version);

    await theme.selectOption('dark');
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.getByTestId('settings-privacy-mode').selectOption('local-first');
    // Saved in the core, not only in the page.
    await expect
      .poll(async () => (await runCli(['settings', 'get', '--json'], serve.home)).lines[0]?.settings)
      .toMatchObject({ theme: 'dark', privacyMode: 'local-first', privacyGuard: { enabled: false } });

    await page.reload();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await expect(page.getByTestId('settings-theme')).toHaveValue('dark');
    await expect(page.getByTestId('settings-privacy-mode')).toHaveValue('local-first');

    // A fresh context has no localStorage copy of the theme: it must come from the core.
    const context = await browser.newContext();
    try {
      const fresh = await context.newPage();
      await fresh.goto(serve.url);
      await expect.poll(() => fresh.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    } finally {
      await context.close();
    }

    // The other views open too.
    for (const view of ['providers', 'usage', 'projects'] as const) {
      await page.getByTestId(`nav-${view}`).click();
      await expect(page.getByTestId(`nav-${view}`)).toHaveAttribute('aria-current', 'page');
    }
    await expect(page.getByTestId('project-name-input')).toBeVisible();

    expect(problems, problems.join('\n')).toEqual([]);
  });
});
