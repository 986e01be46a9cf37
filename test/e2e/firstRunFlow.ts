import type { Page } from 'playwright-core';
import { startFakeOpenAiServer, type FakeServer } from '../support/fakes/fakeOpenAiServer.ts';
import { vFirewallInterview } from '../support/interviewScript.ts';

/**
 * The first-run path a new user takes, shared by test/e2e/setup.spec.ts and bench/firstRunSetup.ts:
 * a fake OpenAI-compatible server on LM Studio's usual port (the probe asks only the usual
 * ports), the setup screen of a fresh data folder finding it, "Use this model", the test answer,
 * Projects, a new project, and its first interview question. Written with the Page API only
 * (waitFor, textContent), so the benchmark runs it outside the test runner.
 */
export const setupServerPort = 1234;
export const setupModel = 'qwen2.5-coder-7b-instruct';
export const testAnswerText = 'Hello, I am the model on port 1234.';
export const firstQuestion = vFirewallInterview[0]?.turn.question ?? '';
/** A 16 GB laptop without a GPU: no llama.cpp binding is loaded to measure the machine. */
export const laptopHardware = JSON.stringify({ gpu: false, vramBytes: 0, ramBytes: 16 * 1024 ** 3, freeRamBytes: 12 * 1024 ** 3, cores: 8 });
/** What serve needs for the first-run screen (on; startServe turns it off for other specs). */
export const firstRunEnv = { SERVICE_CREATOR_FIRST_RUN: 'on', SC_HARDWARE_OVERRIDE: laptopHardware };

/**
 * The fake: the interview's structured request (it carries a response_format) gets the first
 * scripted question; any other chat (setup's test) gets one line of text.
 */
export function startSetupServer(): Promise<FakeServer> {
  const first = vFirewallInterview[0];
  if (!first) throw new Error('the interview script is empty');
  return startFakeOpenAiServer({
    port: setupServerPort,
    models: [setupModel],
    respond: (request) => ((request as { response_format?: unknown } | undefined)?.response_format !== undefined ? { reply: { json: first.turn } } : { reply: testAnswerText }),
  });
}

export interface FirstRunTimes {
  /** Date.now() when the setup screen was visible. */
  firstScreenAt: number;
  /** When the detected server was listed. */
  detectedAt: number;
  /** When the test answer showed. */
  answeredAt: number;
  /** When the first interview question showed. */
  questionAt: number;
}

const timeout = 30_000;

async function textOf(page: Page, testId: string): Promise<string> {
  const locator = page.getByTestId(testId).first();
  await locator.waitFor({ state: 'visible', timeout });
  return (await locator.textContent()) ?? '';
}

/** Fails with what the page said instead, when `actual` lacks `expected`. */
function check(what: string, actual: string, expected: string): void {
  if (!actual.includes(expected)) throw new Error(`${what}: expected "${expected}" in "${actual}"`);
}

/** Drives the page from the first screen of `url` (a fresh data folder) to the first question; every step checked. */
export async function runFirstRun(page: Page, url: string, projectName: string): Promise<FirstRunTimes> {
  await page.goto(url);
  await page.getByTestId('setup-screen').waitFor({ state: 'visible', timeout });
  const firstScreenAt = Date.now();
  const server = page.getByTestId('setup-server').filter({ hasText: `127.0.0.1:${setupServerPort}` });
  await server.waitFor({ state: 'visible', timeout });
  const detectedAt = Date.now();
  check('the detected server', (await server.textContent()) ?? '', `An OpenAI-compatible server at http://127.0.0.1:${setupServerPort}/v1`);
  check('its model', await server.getByTestId('setup-server-model').inputValue(), setupModel);
  await server.getByTestId('setup-use-server').click();
  check('the test answer', await textOf(page, 'setup-test-answer'), testAnswerText);
  const answeredAt = Date.now();
  await page.getByTestId('setup-continue').click();
  await page.getByTestId('project-name-input').fill(projectName);
  await page.getByTestId('project-create-button').click();
  await page.getByRole('button', { name: `Open ${projectName}`, exact: true }).click();
  const question = page.getByTestId('interview-pending').getByTestId('interview-question');
  await question.waitFor({ state: 'visible', timeout });
  const questionAt = Date.now();
  check('the first question', (await question.textContent()) ?? '', firstQuestion);
  return { firstScreenAt, detectedAt, answeredAt, questionAt };
}
