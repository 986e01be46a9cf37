import { expect } from './serveFixture.ts';
import { expectQuestion, openProject, pending, scriptOf, test as interviewTest } from './interviewFixture.ts';
import { openRuns, planRun, test } from './pipelineFixture.ts';
import { vFirewallInterview } from '../support/interviewScript.ts';

/**
 * Issue 16, keyboard: app-wide keys (new project, the views, the answer box, pause and resume
 * of the run on screen), listed by `?`, never taken while the user types in a field.
 */
test('shortcuts move between views, focus fields, pause and resume a run; ? lists them; typing is never taken', async ({ page, setup }) => {
  test.setTimeout(120_000);
  const { serve } = await setup({ delayMs: 400, chunks: 12, chunkDelayMs: 120 });
  await page.goto(serve.url);
  await expect(page.getByTestId('project-item')).toHaveCount(1);

  await page.keyboard.press('?');
  const help = page.getByTestId('shortcut-help');
  await expect(help).toBeVisible();
  for (const what of ['New project', 'Go to Providers', 'Go to Usage', 'Go to Settings', "Focus the interview's answer box", 'Pause or resume the run on screen']) {
    await expect(help).toContainText(what);
  }
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);

  for (const [key, view] of [['2', 'providers'], ['3', 'usage'], ['4', 'settings'], ['1', 'projects']] as const) {
    await page.keyboard.press(key);
    await expect(page.getByTestId(`nav-${view}`)).toHaveAttribute('aria-current', 'page');
  }
  await page.keyboard.press('4');
  await page.keyboard.press('n');
  const name = page.getByTestId('project-name-input');
  await expect(name).toBeFocused();
  // In a field, the keys are text: no overlay, no move.
  await page.keyboard.type('?2n');
  await expect(name).toHaveValue('?2n');
  await expect(help).toHaveCount(0);
  await expect(page.getByTestId('nav-projects')).toHaveAttribute('aria-current', 'page');
  await name.fill('');

  // Pause and resume the run on screen.
  await openRuns(page, serve.url);
  await (await planRun(page)).getByTestId('plan-start').click();
  const status = page.getByTestId('run-status');
  await expect(status).toHaveAttribute('data-status', 'generating');
  await page.locator('body').click({ position: { x: 5, y: 300 } });
  await page.keyboard.press('p');
  await expect(status).toHaveAttribute('data-status', 'paused');
  await page.keyboard.press('p');
  await expect(status).toHaveAttribute('data-status', /generating|done/);
});

interviewTest('A focuses the answer box of the waiting question', async ({ page, setup }) => {
  const { serve } = await setup(scriptOf(vFirewallInterview.slice(0, 1)));
  await openProject(page, serve.url);
  await expectQuestion(page, vFirewallInterview[0]!, 1);
  await page.getByTestId('interview-project-name').click();
  await page.keyboard.press('a');
  await expect(pending(page).getByTestId('answer-text')).toBeFocused();
  await page.keyboard.type('an answer with a p and 1 in it');
  await expect(pending(page).getByTestId('answer-text')).toHaveValue('an answer with a p and 1 in it');
  await expect(page.getByTestId('interview-view')).toBeVisible();
});
