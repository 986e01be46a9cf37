import type { FakeServer } from '../support/fakes/fakeOpenAiServer.ts';
import { firstRunEnv, runFirstRun, setupModel, startSetupServer } from './firstRunFlow.ts';
import { runCli } from './startServe.ts';
import { collectProblems, expect, test } from './serveFixture.ts';

/**
 * First run in Chromium: a fresh data folder shows the setup screen instead of Projects; it finds
 * a fake OpenAI-compatible server listening on 127.0.0.1:1234 (LM Studio's port; the test fails
 * saying so when another program holds it), the user picks its model, the model's one-line test
 * answer shows, and the first interview question of a new project appears. The time from the first
 * screen to that question is attached (bench/firstRunSetup.ts takes the median of 5).
 */
let fake: FakeServer | undefined;

test.afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

test('fresh data folder: setup finds the loopback server, routes to it, and the first interview question appears', async ({ page, home, startServer }, testInfo) => {
  const problems = collectProblems(page);
  fake = await startSetupServer();
  const serve = await startServer({ env: firstRunEnv });
  const times = await runFirstRun(page, serve.url, 'Edge firewall');
  await testInfo.attach('first screen to first question', { body: `${times.questionAt - times.firstScreenAt} ms`, contentType: 'text/plain' });

  // Setup asked once for the test line and the interview once for its question, both on the chosen model.
  const chats = fake.requests.filter((request) => request.method === 'POST');
  expect(chats.map((request) => (request.json as { model?: string }).model)).toEqual([setupModel, setupModel]);
  // The routing is in place for every task, and the page to change it says why.
  const routing = await runCli(['providers', 'routing', 'show', '--json'], home);
  const view = routing.lines[0] as { routing: Record<string, { providerId: string; model: string }[]> };
  for (const task of ['interview', 'plan', 'code', 'review', 'docs', 'tests', 'fix']) expect(view.routing[task]?.[0]).toEqual({ providerId: 'local-server', model: setupModel });
  await page.getByRole('button', { name: 'Providers', exact: true }).click();
  const interviewAnswer = page.getByTestId('routing-answer-interview');
  await expect(interviewAnswer).toContainText(`${setupModel} on local-server`);
  await expect(interviewAnswer).toContainText('chosen in setup');
  expect(problems).toEqual([]);
});

test('skipping setup goes to Projects and the screen is not shown again', async ({ page, startServer }) => {
  const serve = await startServer({ env: firstRunEnv });
  await page.goto(serve.url);
  await expect(page.getByTestId('setup-screen')).toBeVisible();
  await page.getByTestId('setup-skip').click();
  await expect(page.getByTestId('projects-empty')).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('projects-empty')).toBeVisible();
  await expect(page.getByTestId('setup-screen')).toHaveCount(0);
});
