import type { Locator, Page } from '@playwright/test';
import { startFakeOpenAiServer, type FakeServer, type FakeStep } from '../support/fakes/fakeOpenAiServer.ts';
import type { ScriptedTurn } from '../support/interviewScript.ts';
import { runCli, type ServeHandle } from './startServe.ts';
import { expect, test as base } from './serveFixture.ts';

/**
 * What the interview specs share: a `setup` fixture that starts a scripted OpenAI-compatible
 * server, registers it with the CLI as the only (local) provider, creates the project and starts
 * `service-creator serve` on the test's fresh home; and helpers that drive the page the way a
 * user does (clicking option chips, typing, Send).
 */
export const chatPath = '/v1/chat/completions';
export const projectName = 'Edge firewall';

interface InterviewSetup {
  fake: FakeServer;
  serve: ServeHandle;
  projectId: string;
}

export const test = base.extend<{ setup: (script: FakeStep[]) => Promise<InterviewSetup> }>({
  setup: async ({ home, startServer }, use) => {
    const fakes: FakeServer[] = [];
    await use(async (script) => {
      const fake = await startFakeOpenAiServer({ script, models: ['scripted'] });
      fakes.push(fake);
      // A local OpenAI-compatible server needs no key and is allowed in the default local-only mode.
      const added = await runCli(['providers', 'add', '--id', 'fake', '--type', 'openai', '--base-url', fake.url, '--model', 'scripted', '--local', '--json'], home);
      expect(added.code, added.stderr).toBe(0);
      const created = await runCli(['projects', 'create', projectName, '--json'], home);
      expect(created.code, created.stderr).toBe(0);
      const projectId = (created.lines[0]?.project as { id: string } | undefined)?.id ?? '';
      expect(projectId).not.toBe('');
      return { fake, serve: await startServer(), projectId };
    });
    for (const fake of fakes) await fake.close();
  },
});

export const reply = (turn: ScriptedTurn['turn']): FakeStep => ({ reply: { json: turn } });
export const scriptOf = (turns: readonly ScriptedTurn[]): FakeStep[] => turns.map((item) => reply(item.turn));

/** Opens the app and the project's page from the list. */
export async function openProject(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('button', { name: `Open ${projectName}`, exact: true }).click();
  await expect(page.getByTestId('interview-view')).toBeVisible();
  await expect(page.getByTestId('interview-project-name')).toHaveText(projectName);
}

export const pending = (page: Page): Locator => page.getByTestId('interview-pending');

/** A chip of the pending question by its exact label: a radio (single) or a toggle button (multi). */
export function chip(scope: Locator, label: string): Locator {
  return scope.getByRole('radio', { name: label, exact: true }).or(scope.getByRole('button', { name: label, exact: true }));
}

/** The pending question is this scripted one, at this step. */
export async function expectQuestion(page: Page, item: ScriptedTurn, step: number, total = 9): Promise<void> {
  await expect(pending(page).getByTestId('interview-question')).toHaveText(item.turn.question);
  await expect(pending(page).getByTestId('interview-step')).toHaveText(`Step ${step} of ${total}`);
}

/** Answers the pending question by clicking its chips (and typing the text), then waits for it to move to the history. */
export async function answer(page: Page, item: ScriptedTurn): Promise<void> {
  const question = pending(page);
  const answeredBefore = await page.getByTestId('interview-turn').count();
  for (const label of item.answer.selected) {
    const option = chip(question, label);
    await option.click();
    await expect(option).toHaveAttribute(item.turn.questionType === 'single' ? 'aria-checked' : 'aria-pressed', 'true');
  }
  if (item.answer.text !== '') await question.getByTestId('answer-text').fill(item.answer.text);
  await question.getByTestId('answer-send').click();
  await expect(page.getByTestId('interview-turn')).toHaveCount(answeredBefore + 1);
}

/** Answers the scripted questions in order, checking each one's step. */
export async function answerAll(page: Page, turns: readonly ScriptedTurn[], firstStep = 1): Promise<void> {
  for (const [index, item] of turns.entries()) {
    await expectQuestion(page, item, firstStep + index);
    await answer(page, item);
  }
}

/** Every `invoke` frame the page sends over the bridge socket, as parsed JSON. */
export function watchInvokes(page: Page): { channel: string; input: unknown }[] {
  const sent: { channel: string; input: unknown }[] = [];
  page.on('websocket', (socket) => {
    socket.on('framesent', (frame) => {
      try {
        const parsed = JSON.parse(String(frame.payload)) as { type?: string; channel?: string; input?: unknown };
        if (parsed.type === 'invoke' && typeof parsed.channel === 'string') sent.push({ channel: parsed.channel, input: parsed.input });
      } catch {
        // not one of ours
      }
    });
  });
  return sent;
}

