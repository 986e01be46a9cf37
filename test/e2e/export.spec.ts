import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './startServe.ts';
import { openRuns, projectName, readTree, test } from './pipelineFixture.ts';
import { expect } from './serveFixture.ts';
import { firewallFiles } from '../support/pipelineProject.ts';

/**
 * The export flow of a finished run in Chromium against a real `service-creator serve` whose
 * home folder is a temporary one: the default folder (Documents/Service Creator/<project>) is
 * offered and made when missing; an empty or relative path gets a sentence in words before
 * anything is sent; the app's data folder is refused; after the export, a browser shows the path
 * with a Copy button (it has no way to open a folder on the app's machine, and no picker: the
 * desktop app's "Choose…" and "Open folder" are not offered here).
 */
test.describe('export', () => {
  test('default folder, empty and relative paths in words, the data folder refused, then the path to copy; a zip named .zip', async ({ page, setup, home, context }) => {
    const userHome = await mkdtemp(join(tmpdir(), 'service-creator-user-home-'));
    try {
      const { serve } = await setup({}, { env: { HOME: userHome, USERPROFILE: userHome } });
      // A finished run, made through the CLI on the same data folder.
      const generated = await runCli(['generate', '--project', projectName], home, 60_000);
      expect(generated.code, generated.stderr).toBe(0);

      await context.grantPermissions(['clipboard-read', 'clipboard-write']);
      await openRuns(page, serve.url);
      await page.getByTestId('run-list-item').first().click();
      await expect(page.getByTestId('run-monitor')).toHaveAttribute('data-status', 'done');
      await page.getByTestId('run-export').click();
      const dialog = page.getByTestId('export-dialog');
      const path = dialog.getByTestId('export-path');
      const problem = dialog.getByTestId('export-path-problem');

      // The default folder, in the (temporary) home folder of the machine the app runs on.
      const defaultFolder = join(userHome, 'Documents', 'Service Creator', projectName);
      await expect(path).toHaveValue(defaultFolder);
      // A browser: no folder picker for the app's machine, the hint says so.
      await expect(dialog.getByTestId('export-pick')).toHaveCount(0);
      await expect(dialog).toContainText('this page has no folder picker');

      // Empty: a sentence, nothing sent.
      await path.fill('');
      await dialog.getByTestId('export-submit').click();
      await expect(problem).toHaveText('Choose the folder to write the project to.');
      await expect(path).toBeFocused();
      await expect(path).toHaveAttribute('aria-invalid', 'true');
      // Relative: a sentence, nothing sent.
      await path.fill('edge-firewall');
      await expect(problem).toHaveCount(0);
      await dialog.getByTestId('export-submit').click();
      await expect(problem).toContainText('Choose a full folder path');
      await expect(problem).toContainText('"edge-firewall" does not say which folder it starts from');
      await expect(dialog.getByTestId('export-error')).toHaveCount(0);
      // The app's data folder: refused by the core in words, even with "replace" ticked.
      await path.fill(home);
      await dialog.getByTestId('export-force').check();
      await dialog.getByTestId('export-submit').click();
      await expect(dialog.getByTestId('export-error')).toHaveAttribute('data-code', 'PROTECTED_PATH');
      await dialog.getByTestId('export-force').uncheck();

      // The default folder: Documents/Service Creator did not exist and is made.
      await path.fill(defaultFolder);
      await dialog.getByTestId('export-submit').click();
      await expect(dialog.getByTestId('export-result-path')).toHaveText(defaultFolder);
      expect((await stat(join(userHome, 'Documents', 'Service Creator'))).isDirectory()).toBe(true);
      const written = await readTree(defaultFolder);
      for (const [file, content] of Object.entries(firewallFiles)) expect(written[file], file).toBe(content);
      expect(await readdir(join(userHome, 'Documents', 'Service Creator'))).toEqual([projectName]);

      // A browser cannot open the folder: the path comes with a Copy button, and it copies.
      await expect(dialog.getByTestId('export-open')).toHaveCount(0);
      await expect(dialog.getByTestId('export-result')).toContainText('cannot open folders');
      await dialog.getByTestId('export-copy').click();
      await expect(dialog.getByTestId('export-copied')).toHaveText('Copied.');
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(defaultFolder);

      // A zip: the name gets ".zip" when ticked (and loses it when unticked), and the file is written there.
      await dialog.getByTestId('export-zip').check();
      await expect(path).toHaveValue(`${defaultFolder}.zip`);
      await dialog.getByTestId('export-zip').uncheck();
      await expect(path).toHaveValue(defaultFolder);
      await dialog.getByTestId('export-zip').check();
      await dialog.getByTestId('export-submit').click();
      await expect(dialog.getByTestId('export-result-path')).toHaveText(`${defaultFolder}.zip`);
      expect((await stat(`${defaultFolder}.zip`)).isFile()).toBe(true);
      await expect(dialog.getByTestId('export-copy')).toBeVisible();
    } finally {
      await rm(userHome, { recursive: true, force: true });
    }
  });
});
