import type { Page } from '@playwright/test';
import { startGgufHeaderServer, type GgufHeaderServer } from '../support/fakes/ggufHeaderServer.ts';
import { catalogue70bFile, catalogue7bFile, laptop16, llama70bShapedHeader, llama7bShapedHeader } from '../support/catalogHeaders.ts';
import { collectProblems, expect, test as base } from './serveFixture.ts';

/**
 * The model catalogue on the Providers page in Chromium, against a real `service-creator serve`
 * whose hardware is overridden to a 16 GB laptop without a GPU (SC_HARDWARE_OVERRIDE) and whose
 * Hugging Face endpoint (HF_ENDPOINT, honoured by node-llama-cpp) is a loopback server serving
 * the GGUF headers of a 7B-shaped and a 70B-shaped model at two of the shipped catalogue's
 * files. The badges come from those headers: the 7B runs (on the CPU), the 70B is too big. The
 * other files are not served, so their fit is estimated offline from the catalogue, and the page
 * says so. Nothing leaves the machine.
 */
const test = base.extend<{ headers: GgufHeaderServer }>({
  // eslint-disable-next-line no-empty-pattern
  headers: async ({}, use) => {
    const server = await startGgufHeaderServer({ [catalogue7bFile]: llama7bShapedHeader(), [catalogue70bFile]: llama70bShapedHeader() });
    await use(server);
    await server.close();
  },
});

function entry(page: Page, uriFile: string) {
  return page.locator(`[data-testid=catalog-entry][data-uri="hf:${uriFile}"]`);
}

test('catalogue badges are computed from GGUF headers for a 16 GB laptop: the 7B fits, the 70B is too big', async ({ page, startServer, headers }) => {
  const server = await startServer({ env: { SC_HARDWARE_OVERRIDE: JSON.stringify(laptop16), HF_ENDPOINT: headers.endpoint } });
  const problems = collectProblems(page);
  await page.goto(server.url);
  await page.getByTestId('nav-providers').click();

  const section = page.getByTestId('catalog-section');
  await expect(section).toContainText('This machine: 16.0 GiB of memory');
  await expect(section).toContainText('no GPU that llama.cpp can use');

  const seven = entry(page, catalogue7bFile);
  await expect(seven.getByTestId('fit-badge')).toHaveText('runs on CPU, slower', { timeout: 30_000 });
  await expect(seven).toHaveAttribute('data-fit', 'cpu');
  await expect(seven.getByTestId('catalog-why')).toContainText('there is no GPU llama.cpp can use, so answers come slower');
  await expect(seven.getByTestId('catalog-why')).not.toContainText('Estimated offline');
  await expect(seven.getByTestId('catalog-download')).toBeEnabled();

  const seventy = entry(page, catalogue70bFile);
  await expect(seventy.getByTestId('fit-badge')).toHaveText('too big');
  await expect(seventy.getByTestId('catalog-why')).toContainText('this computer has 16.0 GiB');
  await expect(seventy.getByTestId('catalog-download')).toBeDisabled();

  // Both were read from the loopback server; the rest are estimates, and the page says so.
  expect(headers.requests(catalogue7bFile)).toBeGreaterThan(0);
  expect(headers.requests(catalogue70bFile)).toBeGreaterThan(0);
  await expect(page.getByTestId('catalog-offline')).toContainText('estimated offline from the catalogue');
  // Best fit first: every "too big" after every entry that runs.
  const fits = await page.getByTestId('catalog-entry').evaluateAll((items) => items.map((item) => item.getAttribute('data-fit')));
  expect(fits.indexOf('too-big')).toBeGreaterThan(fits.lastIndexOf('cpu'));
  await expect(page.getByTestId('catalog-recommended')).toHaveCount(1);
  expect(problems).toEqual([]);
});
