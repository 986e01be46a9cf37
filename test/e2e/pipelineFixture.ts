import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { startFakeOpenAiServer, type FakeServer } from '../support/fakes/fakeOpenAiServer.ts';
import { vFirewallSpec } from '../support/interviewScript.ts';
import { firewallFiles, firewallPlan } from '../support/pipelineProject.ts';
import { pipelineResponder, type PipelineResponder, type PipelineScript } from '../support/pipelineResponder.ts';
import { runCli, type ServeHandle, type ServeOptions } from './startServe.ts';
import { expect, test as base } from './serveFixture.ts';

/**
 * What the generation specs share: a `setup` fixture that starts an OpenAI-compatible server
 * answering every pipeline prompt from a script (plan, files, fixes, review, docs; see
 * pipelineResponder), registers it with the CLI as the only (local) provider, creates the project
 * with a complete spec (imported from a spec file through the CLI) and starts `service-creator
 * serve` on the test's fresh home; and helpers that drive the generation page.
 */
export const projectName = 'Edge firewall';

/** The scripted store first comes back with a syntax error (line 4 has no colon), then fixed. */
export const brokenStore = 'from app.models import Rule\n\n\nclass RuleStore\n    pass\n';

interface PipelineSetup {
  fake: FakeServer;
  responder: PipelineResponder;
  serve: ServeHandle;
  projectId: string;
}

export const test = base.extend<{ setup: (script?: Partial<PipelineScript>, serveOptions?: Pick<ServeOptions, 'env'>) => Promise<PipelineSetup> }>({
  setup: async ({ home, startServer }, use) => {
    const fakes: FakeServer[] = [];
    await use(async (script = {}, serveOptions = {}) => {
      const responder = pipelineResponder({ plan: firewallPlan, files: firewallFiles, ...script });
      const fake = await startFakeOpenAiServer({ respond: responder.respond, models: ['scripted'] });
      fakes.push(fake);
      // A local OpenAI-compatible server needs no key and is allowed in the default local-only mode.
      const added = await runCli(['providers', 'add', '--id', 'fake', '--type', 'openai', '--base-url', fake.url, '--model', 'scripted', '--local', '--json'], home);
      expect(added.code, added.stderr).toBe(0);
      const created = await runCli(['projects', 'create', projectName, '--json'], home);
      expect(created.code, created.stderr).toBe(0);
      const projectId = (created.lines[0]?.project as { id: string } | undefined)?.id ?? '';
      expect(projectId).not.toBe('');
      const specFile = join(home, 'edge-firewall.service-spec.json');
      await writeFile(specFile, JSON.stringify({ ...vFirewallSpec, name: projectName }));
      const imported = await runCli(['spec', 'import', specFile, '--project', projectName, '--json'], home);
      expect(imported.code, imported.stderr).toBe(0);
      return { fake, responder, serve: await startServer(serveOptions), projectId };
    });
    for (const fake of fakes) await fake.close();
  },
});

/** Opens the app and the project's generation runs from the project list. */
export async function openRuns(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('button', { name: `Generation runs of ${projectName}`, exact: true }).click();
  await expect(page.getByTestId('pipeline-view')).toBeVisible();
  await expect(page.getByTestId('pipeline-project-name')).toHaveText(projectName);
}

/** Plans a new run and waits for its plan to be ready for review. */
export async function planRun(page: Page): Promise<Locator> {
  await page.getByTestId('pipeline-plan').click();
  const editor = page.getByTestId('plan-editor');
  await expect(editor).toBeVisible();
  return editor;
}

/** The plan editor's row of one file, by its path. */
export function planRow(page: Page, path: string): Locator {
  return page.locator(`[data-testid=plan-file][data-path="${path}"]`);
}

/** The run's file tree entry of one file. */
export function runFile(page: Page, path: string): Locator {
  return page.locator(`[data-testid=run-file][data-path="${path}"]`);
}

/** Every file under `dir` (relative path → content), skipping `.git`. */
export async function readTree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (at: string, prefix: string) => {
    for (const entry of await readdir(at, { withFileTypes: true })) {
      if (entry.name === '.git') continue;
      const path = join(at, entry.name);
      const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory()) await walk(path, relative);
      else out[relative] = await readFile(path, 'utf8');
    }
  };
  await walk(dir, '');
  return out;
}
