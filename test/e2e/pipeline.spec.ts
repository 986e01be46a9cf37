import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Plan } from '../../src-shared/pipeline/plan.ts';
import { firewallFiles, firewallPlan } from '../support/pipelineProject.ts';
import { chatPath, watchInvokes } from './interviewFixture.ts';
import { brokenStore, openRuns, planRow, planRun, readTree, runFile, test } from './pipelineFixture.ts';
import { collectProblems, expect } from './serveFixture.ts';

/**
 * The generation pipeline in Chromium against a real `service-creator serve` (fresh data dir per
 * test) whose only provider is a scripted OpenAI-compatible server on loopback: the plan, every
 * file, the fixes, the review and the docs come from the script (streamed in timed pieces so the
 * live text can be watched), and the real validators check what is written.
 */
const allPaths = [...firewallPlan.files.map((file) => file.path), 'README.md', 'API.md'];

test.describe('generation pipeline over the loopback bridge', () => {
  test('plan, review and edit, generate with live text, see a fix as a diff, export to a folder', async ({ page, setup, home }, testInfo) => {
    test.setTimeout(120_000);
    const problems = collectProblems(page);
    const sent = watchInvokes(page);
    const fixedStore = firewallFiles['app/store.py'] ?? '';
    const { serve, responder } = await setup({ files: { ...firewallFiles, 'app/store.py': [brokenStore, fixedStore] }, delayMs: 300, chunks: 16, chunkDelayMs: 40 });
    await openRuns(page, serve.url);
    await expect(page.getByTestId('pipeline-empty')).toBeVisible();

    // Planning shows while the model works; then the plan is there to review.
    await page.getByTestId('pipeline-plan').click();
    await expect(page.getByTestId('pipeline-planning')).toBeVisible();
    await expect(page.getByTestId('run-planning')).toBeVisible();
    const editor = page.getByTestId('plan-editor');
    await expect(editor).toBeVisible();
    await expect(page.getByTestId('pipeline-planning')).toHaveCount(0);
    await expect(editor.getByTestId('plan-file')).toHaveCount(firewallPlan.files.length);
    for (const file of firewallPlan.files) await expect(planRow(page, file.path)).toHaveCount(1);
    const store = planRow(page, 'app/store.py');
    await expect(store.getByTestId('plan-file-kind')).toHaveValue('source');
    await expect(store.getByTestId('plan-file-language')).toHaveValue('python');
    await expect(store.getByTestId('plan-file-purpose')).toHaveValue('In-memory rule store');
    await expect(store.getByTestId('plan-file-depends')).toHaveValue('app/models.py');
    await expect(store.getByTestId('plan-file-exports')).toHaveValue('class RuleStore\nRuleStore.add\nRuleStore.list');
    await expect(editor.getByTestId('plan-install')).toHaveValue('pip install -r requirements.txt');
    await expect(editor.getByTestId('plan-test')).toHaveValue('pytest -q');
    await expect(editor.getByTestId('plan-concurrency')).toHaveValue('4');
    await expect(editor.getByTestId('plan-save')).toBeDisabled();
    await expect(editor.getByTestId('plan-problems')).toHaveCount(0);

    // An edited purpose: Start waits for Save; Save sends the plan once.
    await planRow(page, 'tests/test_api.py').getByTestId('plan-file-purpose').fill('End-to-end API tests');
    await expect(editor.getByTestId('plan-start')).toBeDisabled();
    await editor.getByTestId('plan-save').click();
    await expect(editor.getByTestId('plan-saved')).toHaveText('Saved.');
    const saves = sent.filter((frame) => frame.channel === 'pipeline.updatePlan');
    expect(saves).toHaveLength(1);
    expect((saves[0]?.input as { plan: Plan }).plan.files.find((file) => file.path === 'tests/test_api.py')?.purpose).toBe('End-to-end API tests');
    await expect(planRow(page, 'tests/test_api.py').getByTestId('plan-file-purpose')).toHaveValue('End-to-end API tests');

    await editor.getByTestId('plan-concurrency').fill('2');
    await editor.getByTestId('plan-start').click();
    const monitor = page.getByTestId('run-monitor');
    await expect(monitor).toBeVisible();
    expect(sent.filter((frame) => frame.channel === 'pipeline.start').map((frame) => (frame.input as { concurrency: number }).concurrency)).toEqual([2]);

    // The file being written streams in, in order: what shows is always the start of that file.
    const live = page.getByTestId('run-live');
    await expect(live).toBeVisible();
    const known = (path: string) => [firewallFiles[path], ...(path === 'app/store.py' ? [brokenStore] : [])].filter((text): text is string => text !== undefined);
    await expect
      .poll(async () => {
        const seen = await live.evaluate((element) => ({ path: element.getAttribute('data-path') ?? '', length: Number(element.getAttribute('data-length')), text: element.querySelector('[data-testid=run-live-text]')?.textContent ?? '' }));
        return seen.length > 0 && known(seen.path).some((content) => content.startsWith(seen.text));
      })
      .toBe(true);

    // Every file done, the fixed one after two model calls.
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
    await expect(page.getByTestId('run-progress-text')).toHaveText(`${allPaths.length} of ${allPaths.length} files done`);
    await expect(page.getByTestId('run-file')).toHaveCount(allPaths.length);
    await expect(page.locator('[data-testid=run-file][data-status=done]')).toHaveCount(allPaths.length);
    await expect(runFile(page, 'app/store.py').getByTestId('run-file-attempts')).toHaveText('2 calls');
    await expect(page.getByTestId('run-findings-empty')).toContainText('No problems between files');
    for (const control of ['run-pause', 'run-resume', 'run-cancel']) await expect(page.getByTestId(control)).toBeDisabled();

    // A file's latest version in the read-only code viewer.
    await runFile(page, 'app/models.py').click();
    const viewer = page.getByTestId('file-viewer');
    await expect(viewer).toHaveAttribute('data-path', 'app/models.py');
    const code = viewer.getByTestId('code-view').locator('.cm-content');
    await expect(code).toContainText('class Rule(BaseModel):');
    await expect(code).toHaveAttribute('aria-readonly', 'true');

    // The repaired file: its first draft with the syntax error, and the diff to the fix.
    await runFile(page, 'app/store.py').click();
    await expect(viewer).toHaveAttribute('data-path', 'app/store.py');
    await expect(viewer).toHaveAttribute('data-versions', '2');
    await expect(code).toContainText('self._rules.append(rule)');
    await expect(viewer.getByTestId('file-problems')).toHaveCount(0);
    await viewer.getByTestId('file-viewer-version').selectOption('0');
    await expect(viewer.getByTestId('file-problem').first()).toContainText('line 4');
    await expect(code).toContainText('class RuleStore');
    await expect(code).not.toContainText('self._rules');
    // Side by side needs a wide window (narrower ones get one column: layout.spec).
    await page.setViewportSize({ width: 1920, height: 1080 });
    await viewer.getByTestId('file-viewer-diff').click();
    const diff = viewer.getByTestId('diff-view');
    await expect(diff.locator('.cm-mergeView')).toBeVisible();
    await expect(diff.locator('.cm-editor')).toHaveCount(2);
    await expect(diff.locator('.cm-editor').first()).toContainText('pass');
    await expect(diff.locator('.cm-editor').nth(1)).toContainText('self._rules.append(rule)');
    await expect(diff.locator('.cm-changedLine').first()).toBeVisible();
    await viewer.getByTestId('file-viewer-unified').check();
    await expect(diff).toHaveAttribute('data-layout', 'unified');
    await expect(diff.locator('.cm-deletedChunk').first()).toBeVisible();

    await page.setViewportSize({ width: 1440, height: 1800 });
    const screenshot = await page.screenshot({ fullPage: true });
    await writeFile(join(testInfo.project.outputDir, 'pipeline-run.png'), screenshot);
    await testInfo.attach('run', { body: screenshot, contentType: 'image/png' });

    // Export to a new folder: exactly the generated files, plus the provenance.
    const outRoot = await mkdtemp(join(tmpdir(), 'service-creator-export-'));
    try {
      const outDir = join(outRoot, 'edge-firewall');
      const runId = await monitor.getAttribute('data-run-id');
      await page.getByTestId('run-export').click();
      const dialog = page.getByTestId('export-dialog');
      await expect(dialog).toBeVisible();
      await expect(dialog.getByTestId('export-path')).toBeFocused();
      // Issue 12: a relative folder (it would land in the server's working folder) is refused in words
      // (by the dialog before anything is sent; the core's own check stays for other callers),
      const error = dialog.getByTestId('export-error');
      await dialog.getByTestId('export-path').fill('edge-firewall');
      await dialog.getByTestId('export-submit').click();
      await expect(dialog.getByTestId('export-path-problem')).toContainText('Choose a full folder path');
      await expect(dialog.getByTestId('export-path-problem')).not.toContainText('outDir');
      // and the data folder is never replaced, not even with "replace" ticked.
      await dialog.getByTestId('export-path').fill(home);
      await dialog.getByTestId('export-force').check();
      await dialog.getByTestId('export-submit').click();
      await expect(error).toHaveAttribute('data-code', 'PROTECTED_PATH');
      await expect(error).toContainText("it is the app's data folder");
      await dialog.getByTestId('export-force').uncheck();
      await dialog.getByTestId('export-path').fill(outDir);
      await dialog.getByTestId('export-submit').click();
      await expect(dialog.getByTestId('export-result-path')).toHaveText(outDir);
      await expect(dialog.getByTestId('export-result-files')).toHaveText('10');
      await expect(dialog.getByTestId('export-result-commit')).toHaveCount(0);
      const written = await readTree(outDir);
      for (const [path, content] of Object.entries(firewallFiles)) expect(written[path], path).toBe(content);
      expect(written['README.md']).toContain('# README');
      expect(written['API.md']).toContain('# API');
      const provenance = JSON.parse(written['.service-creator/provenance.json'] ?? '{}') as { runId?: string; files?: { path: string }[] };
      expect(provenance.runId).toBe(runId);
      expect(provenance.files?.map((file) => file.path).sort()).toEqual([...allPaths].sort());

      // The same folder again: refused as not empty, with the way to replace it.
      await dialog.getByTestId('export-submit').click();
      await expect(dialog.getByTestId('export-error')).toContainText('is not empty');
      await expect(dialog.getByTestId('export-error')).toHaveAttribute('data-code', 'TARGET_NOT_EMPTY');
      // Words, not the CLI's flag: the dialog's own checkbox is the way to replace.
      await expect(dialog.getByTestId('export-error')).not.toContainText('--force');
      await expect(dialog.getByTestId('export-replace-hint')).toBeVisible();
      await expect(dialog.getByTestId('export-force')).toBeFocused();
      await dialog.getByTestId('export-force').check();
      await dialog.getByTestId('export-git').check();
      await dialog.getByTestId('export-submit').click();
      await expect(dialog.getByTestId('export-result-commit')).toHaveText(/^[0-9a-f]{40}$/);
      await expect(dialog.getByTestId('export-error')).toHaveCount(0);
      expect((await readTree(outDir))['app/store.py']).toBe(fixedStore);
      await dialog.getByTestId('export-close').click();
      await expect(dialog).toHaveCount(0);
      await expect(page.getByTestId('run-export')).toBeFocused();
    } finally {
      await rm(outRoot, { recursive: true, force: true });
    }

    for (const file of firewallPlan.files) expect(responder.count(`generate:${file.path}`), file.path).toBe(1);
    expect(responder.count('fix:app/store.py')).toBe(1);
    expect(responder.count('plan')).toBe(1);
    expect(problems, problems.join('\n')).toEqual([]);
  });

  test('Pause lets the file being written finish and starts no other; Resume finishes the run', async ({ page, setup }) => {
    test.setTimeout(120_000);
    const problems = collectProblems(page);
    const { serve, fake, responder } = await setup({ chunks: 10, chunkDelayMs: 80 });
    await openRuns(page, serve.url);
    const editor = await planRun(page);
    await editor.getByTestId('plan-concurrency').fill('1');
    await editor.getByTestId('plan-start').click();
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'generating');
    await expect(page.getByTestId('run-resume')).toBeDisabled();

    const done = page.locator('[data-testid=run-file][data-status=done]');
    await expect.poll(() => done.count()).toBeGreaterThanOrEqual(1);
    await page.getByTestId('run-pause').click();
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'paused');
    await expect(page.getByTestId('run-pause')).toBeDisabled();
    await expect(page.getByTestId('run-resume')).toBeEnabled();
    await expect(page.getByTestId('run-cancel')).toBeEnabled();
    // The file in flight finishes; after it, nothing new starts.
    await expect(page.locator('[data-testid=run-file][data-status=generating]')).toHaveCount(0);
    const doneAtPause = await done.count();
    const requestsAtPause = fake.count(chatPath);
    await page.waitForTimeout(2000);
    expect(await done.count()).toBe(doneAtPause);
    expect(fake.count(chatPath)).toBe(requestsAtPause);
    expect(doneAtPause).toBeLessThan(firewallPlan.files.length);
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'paused');

    await page.getByTestId('run-resume').click();
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
    await expect(page.getByTestId('run-progress-text')).toHaveText(`${allPaths.length} of ${allPaths.length} files done`);
    // Nothing was written twice.
    for (const file of firewallPlan.files) expect(responder.count(`generate:${file.path}`), file.path).toBe(1);
    expect(problems, problems.join('\n')).toEqual([]);
  });

  test('an unsafe path in the plan shows the problem on its file and is not saved', async ({ page, setup }) => {
    const problems = collectProblems(page);
    const sent = watchInvokes(page);
    const { serve } = await setup();
    await openRuns(page, serve.url);
    const editor = await planRun(page);

    await planRow(page, 'app/models.py').getByTestId('plan-file-path').fill('../x.py');
    const row = planRow(page, '../x.py');
    await expect(row.getByTestId('plan-file-path')).toHaveAttribute('aria-invalid', 'true');
    const rowProblems = editor.getByTestId('plan-file-problems');
    await expect(rowProblems).toHaveCount(1);
    await expect(rowProblems).toContainText('"../x.py" leaves the project folder (..)');
    // The message is linked to the field it is about.
    const describedBy = await row.getByTestId('plan-file-path').getAttribute('aria-describedby');
    expect(await rowProblems.getAttribute('id')).toBe(describedBy);
    await expect(editor.getByTestId('plan-problems')).toContainText('One problem');
    // The files that depended on it follow the rename.
    await expect(planRow(page, 'app/store.py').getByTestId('plan-file-depends')).toHaveValue('../x.py');
    await expect(editor.getByTestId('plan-start')).toBeDisabled();

    await editor.getByTestId('plan-save').click();
    await expect(editor.getByTestId('plan-save-error')).toContainText('Not saved: fix the problem shown first.');
    await expect(editor.getByTestId('plan-problems')).toBeFocused();
    expect(sent.filter((frame) => frame.channel === 'pipeline.updatePlan')).toEqual([]);

    // An empty purpose is found the same way, on its own file.
    await planRow(page, 'app/store.py').getByTestId('plan-file-purpose').fill('  ');
    await expect(planRow(page, 'app/store.py').locator('xpath=following-sibling::tr[1]')).toContainText('Purpose:');
    await expect(editor.getByTestId('plan-problems')).toContainText('2 problems');

    // Discard: the saved plan is back, without problems; the core kept it unchanged.
    await editor.getByTestId('plan-discard').click();
    await expect(planRow(page, 'app/models.py')).toHaveCount(1);
    await expect(editor.getByTestId('plan-problems')).toHaveCount(0);
    await expect(planRow(page, 'app/store.py').getByTestId('plan-file-depends')).toHaveValue('app/models.py');
    await page.reload();
    await expect(page.getByTestId('plan-editor')).toBeVisible();
    await expect(planRow(page, 'app/models.py').getByTestId('plan-file-purpose')).toHaveValue('Firewall rule model');
    expect(sent.filter((frame) => frame.channel === 'pipeline.updatePlan')).toEqual([]);
    expect(problems, problems.join('\n')).toEqual([]);
  });
});
