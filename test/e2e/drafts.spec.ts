import { expect } from './serveFixture.ts';
import { chip, expectQuestion, openProject, pending, scriptOf, test as interviewTest } from './interviewFixture.ts';
import { planRow, planRun, openRuns, test as pipelineTest } from './pipelineFixture.ts';
import { vFirewallInterview } from '../support/interviewScript.ts';

/**
 * Issue 16, drafts: what the user types and has not sent survives a reload (and a restart of the
 * app: the draft is in the browser's storage, per project), comes back with a quiet "Draft
 * restored", and is forgotten once sent, saved or discarded.
 */
interviewTest('an interview answer and a new project name being typed come back after a reload, and go once sent', async ({ page, setup }) => {
  const { serve } = await setup(scriptOf(vFirewallInterview.slice(0, 3)));
  await openProject(page, serve.url);
  const first = vFirewallInterview[0]!;
  await expectQuestion(page, first, 1);
  await chip(pending(page), 'vRouter').click();
  await pending(page).getByTestId('answer-text').fill('Mostly for branch offices');
  await expect(page.getByTestId('draft-restored')).toHaveCount(0);

  await page.reload();
  await expectQuestion(page, first, 1);
  await expect(pending(page).getByTestId('answer-text')).toHaveValue('Mostly for branch offices');
  await expect(chip(pending(page), 'vRouter')).toHaveAttribute('aria-checked', 'true');
  await expect(pending(page).getByTestId('draft-restored')).toHaveText(/Draft restored/);

  // Sent: the next question starts empty, and so does this page after another reload.
  await pending(page).getByTestId('answer-send').click();
  await expectQuestion(page, vFirewallInterview[1]!, 2);
  await expect(pending(page).getByTestId('answer-text')).toHaveValue('');
  await page.reload();
  await expectQuestion(page, vFirewallInterview[1]!, 2);
  await expect(pending(page).getByTestId('answer-text')).toHaveValue('');
  await expect(page.getByTestId('draft-restored')).toHaveCount(0);

  // A project name half typed on the list; Discard drops it.
  await page.getByTestId('interview-back').click();
  await page.getByTestId('project-name-input').fill('Branch office VPN');
  await page.reload();
  await expect(page.getByTestId('project-name-input')).toHaveValue('Branch office VPN');
  await page.getByTestId('draft-discard').click();
  await expect(page.getByTestId('project-name-input')).toHaveValue('');
  await page.reload();
  await expect(page.getByTestId('project-name-input')).toHaveValue('');
});

pipelineTest('unsaved plan edits come back after a reload with a note; Save forgets them', async ({ page, setup }) => {
  const { serve } = await setup();
  await openRuns(page, serve.url);
  await planRun(page);
  const purpose = planRow(page, 'tests/test_api.py').getByTestId('plan-file-purpose');
  await purpose.fill('End-to-end API tests, edited');
  await expect(page.getByTestId('plan-save')).toBeEnabled();

  await page.reload();
  await expect(purpose).toHaveValue('End-to-end API tests, edited');
  await expect(page.getByTestId('plan-editor').getByTestId('draft-restored')).toBeVisible();
  await expect(page.getByTestId('plan-save')).toBeEnabled();
  await page.getByTestId('plan-save').click();
  await expect(page.getByTestId('plan-saved')).toHaveText('Saved.');
  await expect(page.getByTestId('draft-restored')).toHaveCount(0);

  await page.reload();
  await expect(purpose).toHaveValue('End-to-end API tests, edited');
  await expect(page.getByTestId('draft-restored')).toHaveCount(0);
  await expect(page.getByTestId('plan-save')).toBeDisabled();
});
