import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page, TestInfo } from '@playwright/test';
import { collectProblems, expect, test } from './serveFixture.ts';

/**
 * The Prices section of the Providers view in Chromium against a real `service-creator serve`
 * (fresh data dir per test): the shipped table, the user's own prices over it, reset, a price
 * for a model the table does not know, and the core's message for a value it refuses.
 */
async function openProviders(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId('nav-providers').click();
  await expect(page.getByTestId('provider-list').or(page.getByTestId('providers-empty'))).toBeVisible();
}

function priceRow(page: Page, model: string): Locator {
  return page.locator(`[data-testid=pricing-row][data-model="${model}"]`);
}

/** The section alone; the main area scrolls inside the window, so the window is made tall enough first. */
async function saveSectionScreenshot(page: Page, section: Locator, name: string, testInfo: TestInfo): Promise<void> {
  const viewport = page.viewportSize();
  const height = await page.evaluate(() => (document.querySelector('.app-main')?.scrollHeight ?? 0) + 120);
  if (viewport) await page.setViewportSize({ width: viewport.width, height: Math.max(viewport.height, Math.min(height, 6000)) });
  const screenshot = await section.screenshot();
  if (viewport) await page.setViewportSize(viewport);
  await writeFile(join(testInfo.project.outputDir, `${name}.png`), screenshot);
  await testInfo.attach(name, { body: screenshot, contentType: 'image/png' });
}

test.describe('prices in the providers view', () => {
  test('edit a shipped price, keep it over a reload, reset it, add a custom model, see the core refuse a negative price', async ({ page, serve }, testInfo) => {
    const problems = collectProblems(page);
    await openProviders(page, serve.url);
    const section = page.getByTestId('pricing-section');
    await expect(section).toContainText('local models cost nothing');

    // The shipped row.
    const gpt4o = priceRow(page, 'gpt-4o');
    await expect(gpt4o).toBeVisible();
    await expect(gpt4o.getByTestId('pricing-source')).toHaveText(/^Shipped table, \S+/);
    const shippedSource = await gpt4o.getByTestId('pricing-source').textContent();
    const shippedCells = await gpt4o.locator('td.numeric').allTextContents();
    await expect(gpt4o.getByTestId('pricing-reset')).toHaveCount(0);

    // Escape leaves the inputs without saving.
    await gpt4o.getByTestId('pricing-edit').click();
    await gpt4o.getByTestId('pricing-input').fill('99');
    await gpt4o.getByTestId('pricing-input').press('Escape');
    await expect(gpt4o.getByTestId('pricing-input')).toHaveCount(0);
    await expect(gpt4o.locator('td.numeric')).toHaveText(shippedCells);
    await expect(gpt4o.getByTestId('pricing-edit')).toBeFocused();

    // Edit to 1.5 / 6: the user's price.
    await gpt4o.getByTestId('pricing-edit').click();
    await expect(gpt4o.getByTestId('pricing-input')).toBeFocused();
    await gpt4o.getByTestId('pricing-input').fill('1.5');
    await gpt4o.getByTestId('pricing-output').fill('6');
    await gpt4o.getByTestId('pricing-save').click();
    await expect(gpt4o.getByTestId('pricing-input')).toHaveCount(0);
    await expect(gpt4o.getByTestId('pricing-source')).toHaveText('Your price');
    await expect(gpt4o.locator('td.numeric')).toHaveText(['$1.50', '$6.00']);

    // Kept over a reload.
    await page.reload();
    await expect(page.getByTestId('nav-providers')).toHaveAttribute('aria-current', 'page');
    await expect(gpt4o.getByTestId('pricing-source')).toHaveText('Your price');
    await expect(gpt4o.locator('td.numeric')).toHaveText(['$1.50', '$6.00']);

    // Reset: the shipped price again.
    await gpt4o.getByTestId('pricing-reset').click();
    await expect(gpt4o.getByTestId('pricing-source')).toHaveText(shippedSource ?? '');
    await expect(gpt4o.locator('td.numeric')).toHaveText(shippedCells);
    await expect(gpt4o.getByTestId('pricing-reset')).toHaveCount(0);

    // A model the table does not know, e.g. one behind an internal gateway.
    await expect(priceRow(page, 'corp-gateway-model')).toHaveCount(0);
    await section.getByTestId('pricing-add-model').fill('corp-gateway-model');
    await section.getByTestId('pricing-add-input').fill('0.2');
    await section.getByTestId('pricing-add-output').fill('0.8');
    await section.getByTestId('pricing-add-save').click();
    const custom = priceRow(page, 'corp-gateway-model');
    await expect(custom).toBeVisible();
    await expect(custom.getByTestId('pricing-source')).toHaveText('Your price');
    await expect(custom.locator('td.numeric')).toHaveText(['$0.20', '$0.80']);
    await expect(section.getByTestId('pricing-add-model')).toHaveValue('');

    // A negative price: the core's refusal, in words with the column's name, under the row, and the inputs stay open.
    await gpt4o.getByTestId('pricing-edit').click();
    await gpt4o.getByTestId('pricing-input').fill('-1');
    await gpt4o.getByTestId('pricing-input').press('Enter');
    const error = section.getByTestId('form-error');
    await expect(error).toBeVisible();
    await expect(error).toHaveText('Input price must be at least 0.');
    await expect(gpt4o.getByTestId('pricing-input')).toBeVisible();
    await expect(gpt4o.getByTestId('pricing-input')).toHaveAttribute('aria-invalid', 'true');
    await saveSectionScreenshot(page, section, 'pricing-section-error', testInfo);
    await gpt4o.getByTestId('pricing-cancel').click();
    await expect(section.getByTestId('form-error')).toHaveCount(0);
    await expect(gpt4o.getByTestId('pricing-source')).toHaveText(shippedSource ?? '');

    // The add row shows the core's message too.
    await section.getByTestId('pricing-add-model').fill('another-model');
    await section.getByTestId('pricing-add-input').fill('-3');
    await section.getByTestId('pricing-add-output').fill('1');
    await section.getByTestId('pricing-add-save').click();
    await expect(section.getByTestId('form-error')).toHaveText('Input price must be at least 0.');
    await expect(priceRow(page, 'another-model')).toHaveCount(0);

    await saveSectionScreenshot(page, section, 'pricing-section', testInfo);
    expect(problems, problems.join('\n')).toEqual([]);
  });

  test('in a narrow window (800×600) the table fits its card: Edit, Reset and the add row stay in sight, a 200-character model included', async ({ page, serve }) => {
    const problems = collectProblems(page);
    await page.setViewportSize({ width: 800, height: 600 });
    await openProviders(page, serve.url);
    const section = page.getByTestId('pricing-section');
    const model = 'p'.repeat(200);
    await section.getByTestId('pricing-add-model').fill(model);
    await section.getByTestId('pricing-add-input').fill('9999.9999');
    await section.getByTestId('pricing-add-output').fill('10000');
    await section.getByTestId('pricing-add-save').click();
    const row = priceRow(page, model);
    await expect(row.getByTestId('pricing-source')).toHaveText('Your price');

    const scroller = section.locator('.table-scroll');
    const fits = async () => scroller.evaluate((element) => element.scrollWidth <= element.clientWidth);
    expect(await fits()).toBe(true);
    const card = await scroller.boundingBox();
    const inCard = async (control: Locator) => {
      await control.scrollIntoViewIfNeeded();
      const box = await control.boundingBox();
      return box !== null && card !== null && box.x + box.width <= card.x + card.width + 1;
    };
    expect(await inCard(row.getByTestId('pricing-edit'))).toBe(true);
    expect(await inCard(row.getByTestId('pricing-reset'))).toBe(true);
    expect(await inCard(section.getByTestId('pricing-add-save'))).toBe(true);
    await row.getByTestId('pricing-edit').click();
    expect(await fits()).toBe(true);
    expect(await inCard(row.getByTestId('pricing-save'))).toBe(true);
    expect(await inCard(row.getByTestId('pricing-cancel'))).toBe(true);
    await row.getByTestId('pricing-cancel').click();
    expect(problems, problems.join('\n')).toEqual([]);
  });
});
