import type { Page } from '@playwright/test';
import { internalText } from './internalText.ts';
import { expect, test } from './serveFixture.ts';

/**
 * Issue 16, words: walks every form and error state a fresh app can reach (projects, the
 * interview without a usable provider, the provider form refused field by field, a provider that
 * cannot be reached and its test, settings, a dropped and an ended connection) and fails when a
 * rendered message carries internal text (see internalText). Limits show before submit.
 */
async function expectWords(page: Page, where: string): Promise<void> {
  const text = await page.locator('body').innerText();
  expect.soft(internalText(text), `internal text on the page: ${where}`).toEqual([]);
}

test('every reachable form and error state speaks in words', async ({ page, serve, startServer }) => {
  test.setTimeout(120_000);
  await page.goto(serve.url);
  await expect(page.getByTestId('projects-empty').or(page.getByTestId('project-list'))).toBeVisible();
  await expectWords(page, 'projects, empty');

  // Projects: the limit before submit, an empty name, a duplicate, an empty rename.
  const name = page.getByTestId('project-name-input');
  await expect(page.getByTestId('project-name-hint')).toHaveText('Up to 100 characters.');
  await name.fill('x'.repeat(101));
  await expect(page.getByTestId('project-name-hint')).toHaveText('101 characters: a project name can have at most 100.');
  await expect(page.getByTestId('project-create-button')).toBeDisabled();
  await expectWords(page, 'project name too long');
  await name.fill('   ');
  await page.getByTestId('project-create-button').click();
  await expect(page.getByTestId('form-error')).toBeVisible();
  await expectWords(page, 'project name empty');
  await name.fill('Alpha');
  await page.getByTestId('project-create-button').click();
  await expect(page.getByTestId('project-item')).toHaveCount(1);
  await name.fill('Alpha');
  await page.getByTestId('project-create-button').click();
  await expect(page.getByTestId('form-error')).toBeVisible();
  await expectWords(page, 'project name taken');
  await page.getByTestId('project-rename-button').click();
  await page.getByTestId('project-rename-input').fill('');
  await page.getByTestId('project-rename-save').click();
  await expect(page.getByTestId('project-item').getByTestId('form-error')).toBeVisible();
  await expectWords(page, 'rename to empty');
  await page.getByTestId('project-rename-input').press('Escape');

  // The interview with no provider at all.
  await page.getByTestId('project-open-button').click();
  await expect(page.getByTestId('interview-error')).toBeVisible({ timeout: 20_000 });
  await expectWords(page, 'interview without a provider');
  // The spec's missing fields are named by their labels, not their JSON names.
  const missing = page.getByTestId('spec-check-problems');
  await expect(missing).toContainText('Kind of service');
  await expect(missing).not.toContainText('serviceType');
  await expect(missing).not.toContainText('vendorApi');

  // Providers: a form refused field by field, then one that cannot be reached, and its test.
  await page.getByTestId('interview-open-providers').click();
  await page.getByTestId('provider-add-button').first().click();
  const form = page.getByTestId('provider-form');
  await form.getByTestId('provider-type').selectOption('openai');
  await form.getByTestId('provider-id').fill('Bad Id!');
  await form.getByTestId('provider-base-url').fill('ftp://example.com');
  await form.getByTestId('provider-save').click();
  await expect(form.getByTestId('form-error').or(form.locator('.form-error, [role=alert]')).first()).toBeVisible();
  await expectWords(page, 'provider form refused');
  await form.getByTestId('provider-id').fill('nowhere');
  await form.getByTestId('provider-base-url').fill('http://127.0.0.1:9/v1');
  await form.getByTestId('provider-models').fill('some-model');
  await form.getByTestId('provider-save').click();
  const item = page.getByTestId('provider-item');
  await expect(item).toHaveCount(1, { timeout: 20_000 });
  await expect(item.getByTestId('provider-state')).not.toHaveText('Not checked', { timeout: 20_000 });
  await expectWords(page, 'unreachable provider');
  await item.getByTestId('provider-test').click();
  await expect(item.getByTestId('provider-detail')).not.toHaveText('Checking the connection…', { timeout: 20_000 });
  await expectWords(page, 'unreachable provider tested');

  // The interview again (Back): now the provider fails.
  await page.goBack();
  await expect(page.getByTestId('interview-view')).toBeVisible();
  await page.getByTestId('interview-retry').click();
  await expect(page.getByTestId('interview-error')).toBeVisible({ timeout: 30_000 });
  await expectWords(page, 'interview with an unreachable provider');

  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('settings-theme')).toBeVisible();
  await expectWords(page, 'settings');
  await page.getByTestId('nav-usage').click();
  await expectWords(page, 'usage');

  // The connection drops, then the server comes back with another token.
  await serve.stop();
  await expect(page.getByTestId('error-banner')).toHaveAttribute('data-link', 'reconnecting');
  await expectWords(page, 'reconnecting');
  await startServer({ port: serve.port });
  await expect(page.getByTestId('error-banner')).toHaveAttribute('data-link', 'ended', { timeout: 15_000 });
  await expectWords(page, 'connection ended');
});
