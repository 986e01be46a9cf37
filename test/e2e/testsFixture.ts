import Docker from 'dockerode';
import type { Locator, Page } from '@playwright/test';
import { defaultSandboxImages } from '../../src-shared/sandbox/sandboxTypes.ts';
import { openRuns, planRun, test as pipelineTest } from './pipelineFixture.ts';
import { expect } from './serveFixture.ts';

/**
 * What the Tests view specs share: a `generate` fixture that scripts a project through the fake
 * model server (pipelineFixture), plans and generates it in the page, waits for the run to be
 * done and opens its Tests tab; and a check of whether a Docker engine with the offline Python
 * sandbox image answers here (the sandbox runs need both).
 */
export const sandboxImage = defaultSandboxImages.python;

interface GenerateOptions {
  /** Each file's answers in order (first draft, then fixes); default: the firewall project. */
  files?: Record<string, string | string[]>;
  /** Extra environment of the serve process (e.g. DOCKER_HOST). */
  env?: NodeJS.ProcessEnv;
}

export const test = pipelineTest.extend<{ generate: (page: Page, options?: GenerateOptions) => Promise<Locator> }>({
  generate: async ({ setup }, use) => {
    await use(async (page, options = {}) => {
      const { serve } = await setup(options.files ? { files: options.files } : {}, options.env ? { env: options.env } : {});
      await openRuns(page, serve.url);
      const editor = await planRun(page);
      await editor.getByTestId('plan-start').click();
      await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
      await page.getByTestId('run-tab-tests').click();
      const section = page.getByTestId('tests-section');
      await expect(section).toBeVisible();
      return section;
    });
  },
});

/** Why the sandbox cannot run here (no engine, no image), or null when it can. */
export async function sandboxUnavailable(): Promise<string | null> {
  const docker = new Docker();
  try {
    await docker.ping();
  } catch (error) {
    return `no Docker engine (${error instanceof Error ? error.message : String(error)})`;
  }
  try {
    await docker.getImage(sandboxImage).inspect();
  } catch {
    return `no ${sandboxImage} image (build it with resources/sandbox/build-python-image.sh)`;
  }
  return null;
}

/** Sandbox containers of the given test runs still on the engine (they must all be removed). */
export async function leftContainers(testRunIds: readonly string[]): Promise<string[]> {
  const containers = await new Docker().listContainers({ all: true, filters: { label: ['service-creator.sandbox'] } });
  return containers.filter((container) => testRunIds.includes(container.Labels['service-creator.test-run'] ?? '')).map((container) => container.Id);
}
