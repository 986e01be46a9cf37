import { collectProblems, expect, test } from './serveFixture.ts';

/**
 * Issue 16, reconnection in serve mode: the shell says whether it is connected, reconnecting
 * (with the tries so far) or ended (serve restarted with a new token: only its new address
 * helps); actions are disabled meanwhile, not dropped; a new `#token=` pasted into the same tab
 * is taken without a reload; and no socket close code ever reaches the page.
 */
test('serve restarts on the same address: reconnecting, then ended; the new token pasted into the tab reconnects it', async ({ page, serve, startServer }) => {
  test.setTimeout(90_000);
  const problems = collectProblems(page);
  await page.goto(serve.url);
  await page.getByTestId('project-name-input').fill('Before the restart');
  await page.getByTestId('project-create-button').click();
  await expect(page.getByTestId('project-item')).toHaveCount(1);
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
  await page.getByTestId('project-name-input').fill('Typed before the drop');

  // The server goes away: the shell is reconnecting, counting its tries, and the view's controls are disabled.
  expect(await serve.stop()).toBe(0);
  const banner = page.getByTestId('error-banner');
  await expect(banner).toHaveAttribute('data-link', 'reconnecting');
  await expect(page.getByTestId('reconnect-attempt')).toHaveText(/^Try [2-9]\d*\.$/, { timeout: 15_000 });
  await expect(page.getByTestId('project-create-button')).toBeDisabled();
  await expect(page.getByTestId('project-name-input')).toBeDisabled();
  await expect(page.getByTestId('app-actions')).toHaveAttribute('disabled', '');

  // It comes back on the same address with a new token: this page's token is refused, said in words.
  const again = await startServer({ port: serve.port });
  expect(again.port).toBe(serve.port);
  await expect(banner).toHaveAttribute('data-link', 'ended', { timeout: 15_000 });
  await expect(banner).toContainText("This page's connection has ended");
  await expect(banner).toContainText('open the address the app printed');
  await expect(page.getByTestId('project-create-button')).toBeDisabled();

  // The new address pasted into the same tab (only the #token changes): taken without a reload.
  await page.evaluate(() => ((window as unknown as { e2eNoReload: boolean }).e2eNoReload = true));
  await page.evaluate((url) => {
    window.location.href = url;
  }, again.url);
  await expect(banner).toHaveCount(0);
  await expect(page.getByTestId('project-create-button')).toBeEnabled();
  expect(await page.evaluate(() => (window as unknown as { e2eNoReload?: boolean }).e2eNoReload)).toBe(true);
  expect(page.url()).not.toContain(again.token);
  expect(await page.evaluate(() => window.location.hash)).toBe('#/projects');
  // The text typed before the drop is still there, and the action now goes through.
  await expect(page.getByTestId('project-name-input')).toHaveValue('Typed before the drop');
  await page.getByTestId('project-create-button').click();
  await expect(page.getByTestId('project-item')).toHaveCount(2);

  const body = (await page.locator('body').innerText()) + (await page.title());
  expect(body).not.toMatch(/1006|code \d{4}/);
  // The refused socket and the session check's 401 are the expected traces of the old token; nothing else failed.
  const unexpected = problems.filter((problem) => !/\/api(\/session)?\b|ERR_CONNECTION_REFUSED|WebSocket/.test(problem));
  expect(unexpected, problems.join('\n')).toEqual([]);
});
