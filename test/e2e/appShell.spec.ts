import type { Page } from '@playwright/test';
import { collectProblems, expect, test } from './serveFixture.ts';

/**
 * The app shell of index.html over `service-creator serve`: it paints, styled, with no script at
 * all (its stylesheet is inline and admitted by the CSP's hash, in the meta tag and the bridge's
 * header alike), and the app that replaces it loads its views as chunks under the same CSP.
 */
/**
 * The page's CSP violations, less zod's probe for eval (`new Function('')` in a try, when its first
 * object schema is built; the CSP refuses it and zod takes its plain path, as it should).
 */
async function cspViolations(page: Page): Promise<string[]> {
  const seen = await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
  return seen.filter((violation) => violation !== 'script-src eval');
}

test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
});

test('without its scripts the page is the shell: header, disabled navigation, a loading status, all styled', async ({ page, serve }) => {
  await page.route('**/*.js', (route) => route.abort());
  await page.goto(serve.url);
  const header = page.locator('header.app-header');
  await expect(header.getByRole('heading', { level: 1, name: 'Service Creator' })).toBeVisible();
  // The inline stylesheet applied: the header has its fixed height and the body its grid.
  expect(await header.evaluate((element) => element.getBoundingClientRect().height)).toBe(48);
  expect(await page.locator('.app-body').evaluate((element) => getComputedStyle(element).display)).toBe('grid');
  const navigation = page.getByRole('navigation', { name: 'Main' });
  for (const label of ['Projects', 'Providers', 'Usage', 'Settings']) await expect(navigation.getByRole('button', { name: label })).toBeDisabled();
  await expect(page.getByRole('status')).toHaveText('Loading…');
  await expect(page.getByTestId('nav-projects')).toHaveCount(0);
  expect(await cspViolations(page)).toEqual([]);
});

test('the app replaces the shell and loads each view as a chunk, with no CSP violation or failed request', async ({ page, serve }) => {
  const problems = collectProblems(page);
  await page.goto(serve.url);
  await expect(page.getByTestId('project-list').or(page.getByTestId('projects-empty'))).toBeVisible();
  await expect(page.locator('.app')).toHaveCount(1);
  await expect(page.locator('[aria-busy="true"].app')).toHaveCount(0);
  const header = page.locator('header.app-header');
  expect(await header.evaluate((element) => element.getBoundingClientRect().height)).toBe(48);
  const chunks: string[] = [];
  page.on('response', (response) => {
    if (response.url().endsWith('.js')) chunks.push(new URL(response.url()).pathname);
  });
  for (const view of ['providers', 'usage', 'settings', 'projects'] as const) {
    await page.getByTestId(`nav-${view}`).click();
    await expect(page.getByTestId(`nav-${view}`)).toHaveAttribute('aria-current', 'page');
    await expect(page.locator('.app-main .view-title').first()).toBeVisible();
  }
  expect(chunks.some((path) => /\/assets\/ProvidersView-[\w-]+\.js$/.test(path))).toBe(true);
  expect(chunks.some((path) => /\/assets\/SettingsView-[\w-]+\.js$/.test(path))).toBe(true);
  expect(await cspViolations(page)).toEqual([]);
  expect(problems).toEqual([]);
});
