import { runCli } from './startServe.ts';
import { collectProblems, expect, test } from './serveFixture.ts';

/** The privacy guard's settings in Chromium against a real `serve`: saved in the core, words checked before saving. */
test('privacy guard: switched on, kinds chosen, own words saved; a word too short is named before saving', async ({ page, serve }) => {
  const problems = collectProblems(page);
  await page.goto(serve.url);
  await page.getByTestId('nav-settings').click();
  const enabled = page.getByTestId('guard-enabled');
  await expect(enabled).toBeEnabled();
  await expect(enabled).not.toBeChecked();
  await expect(page.getByTestId('guard-terms')).toBeDisabled();

  await enabled.check();
  await page.getByTestId('guard-kind-phone').uncheck();
  const terms = page.getByTestId('guard-terms');
  await terms.fill('ACME Corp\nx');
  await expect(page.getByRole('alert')).toHaveText('"x" is too short: a word here has at least 2 characters.');
  await expect(page.getByTestId('guard-terms-save')).toBeDisabled();
  await terms.fill('ACME Corp\nProject Falcon');
  await page.getByTestId('guard-terms-save').click();

  await expect
    .poll(async () => ((await runCli(['settings', 'get', '--json'], serve.home)).lines[0] as { settings?: { privacyGuard?: unknown } } | undefined)?.settings?.privacyGuard)
    .toEqual({ enabled: true, kinds: ['email', 'ip', 'key', 'card', 'term'], terms: ['ACME Corp', 'Project Falcon'] });
  // Changed elsewhere (the CLI), the page follows.
  await runCli(['settings', 'privacy-guard', 'off'], serve.home);
  await expect(enabled).not.toBeChecked();
  await expect(terms).toHaveValue('ACME Corp\nProject Falcon');
  expect(problems).toEqual([]);
});

test('a project kept on this machine: Keep local marks it (saved in the core), Allow cloud lets it follow the privacy mode again', async ({ page, serve }) => {
  const problems = collectProblems(page);
  await runCli(['projects', 'create', 'Edge firewall'], serve.home);
  await page.goto(serve.url);
  const row = page.getByTestId('project-item').filter({ hasText: 'Edge firewall' });
  await expect(row).toBeVisible();
  await expect(row.getByTestId('project-local-badge')).toHaveCount(0);
  await row.getByTestId('project-local-button').click();
  await expect(row.getByTestId('project-local-badge')).toHaveText('Kept on this machine');
  await expect(row.getByTestId('project-local-button')).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(async () => (await runCli(['projects', 'list'], serve.home)).stdout).toMatch(/Edge firewall .*kept on this machine/);
  // Changed from the CLI, the page follows.
  await runCli(['projects', 'local-only', 'Edge firewall', 'off'], serve.home);
  await expect(row.getByTestId('project-local-badge')).toHaveCount(0);
  expect(problems).toEqual([]);
});
