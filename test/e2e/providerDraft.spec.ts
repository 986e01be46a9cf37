import { collectProblems, expect, test } from './serveFixture.ts';

/**
 * The provider form's draft in Chromium against a real `serve`: what was typed comes back after a
 * reload with a quiet note, the API key never does (not even in storage), and Cancel forgets it.
 */
test('a provider form typed and left comes back after a reload, without its key; Cancel forgets it', async ({ page, serve }) => {
  const problems = collectProblems(page);
  const key = 'sk-draft-test-Zq7RkP2mWx9TfL4nVb8HcJ3d';
  await page.goto(serve.url);
  await page.getByTestId('nav-providers').click();
  await page.getByTestId('provider-add-button').first().click();
  await page.getByTestId('provider-type').selectOption('openai');
  await page.getByTestId('provider-id').fill('lab-vllm');
  await page.getByTestId('provider-label').fill('Lab vLLM');
  await page.getByTestId('provider-base-url').fill('http://10.0.0.5:8000/v1');
  await page.getByTestId('provider-api-key').fill(key);
  await expect(page.getByTestId('draft-restored')).toHaveCount(0);

  await page.reload();
  await page.getByTestId('provider-add-button').first().click();
  await expect(page.getByTestId('draft-restored')).toBeVisible();
  await expect(page.getByTestId('provider-id')).toHaveValue('lab-vllm');
  await expect(page.getByTestId('provider-label')).toHaveValue('Lab vLLM');
  await expect(page.getByTestId('provider-base-url')).toHaveValue('http://10.0.0.5:8000/v1');
  await expect(page.getByTestId('provider-api-key')).toHaveValue('');
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
  expect(stored).toContain('Lab vLLM');
  expect(stored).not.toContain(key);

  await page.getByTestId('provider-form-close').click();
  await page.getByTestId('provider-add-button').first().click();
  await expect(page.getByTestId('draft-restored')).toHaveCount(0);
  await expect(page.getByTestId('provider-label')).toHaveValue('');
  expect(problems).toEqual([]);
});
