import type { Locator, Page } from '@playwright/test';
import { firewallFiles } from '../support/pipelineProject.ts';
import { measureLayout } from './layoutCheck.ts';
import { expect } from './serveFixture.ts';
import { brokenStore, openRuns, planRun, test } from './pipelineFixture.ts';

/**
 * Issue 16, layouts: at 1024×700 and 1280×800 no element of any page reaches past the window
 * (tables scroll inside their card, the diff is one column where two would cut the lines), the
 * window itself never scrolls (the header stays), and each page looks as its stored screenshot
 * does (within a small tolerance; changing text such as dates, ports and times is masked).
 */
const sizes = [
  { width: 1024, height: 700 },
  { width: 1280, height: 800 },
] as const;

interface Stop {
  name: string;
  address: string;
  ready: (page: Page) => Locator;
  /** Done after arriving (a click that is not part of the address). */
  then?: (page: Page) => Promise<void>;
}

async function goTo(page: Page, address: string): Promise<void> {
  await page.evaluate((hash) => {
    window.location.hash = hash;
  }, address);
}

test('every page at 1024×700 and 1280×800: nothing overflows the window, the header stays, screenshots match', async ({ page, setup }) => {
  test.setTimeout(180_000);
  const fixedStore = firewallFiles['app/store.py'] ?? '';
  const { serve, projectId } = await setup({ files: { ...firewallFiles, 'app/store.py': [brokenStore, fixedStore] } });
  await page.setViewportSize(sizes[1]);
  await openRuns(page, serve.url);
  const done = await planRun(page).then(async (editor) => {
    await editor.getByTestId('plan-start').click();
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
    return (await page.getByTestId('run-monitor').getAttribute('data-run-id')) ?? '';
  });
  await planRun(page);
  const planned = (await page.locator('[data-testid=run-list-item][aria-current=true]').getAttribute('data-run-id')) ?? '';

  const project = `/projects/${projectId}`;
  const stops: Stop[] = [
    { name: 'projects', address: '/projects', ready: (p) => p.getByTestId('project-item') },
    { name: 'interview', address: project, ready: (p) => p.getByTestId('spec-panel') },
    { name: 'plan', address: `${project}/runs/${planned}`, ready: (p) => p.getByTestId('plan-table') },
    {
      name: 'diff',
      address: `${project}/runs/${done}?file=app%2Fstore.py`,
      ready: (p) => p.getByTestId('file-viewer'),
      then: async (p) => {
        await p.getByTestId('file-viewer-diff').click();
        await expect(p.getByTestId('diff-view').locator('.cm-editor').first()).toBeVisible();
      },
    },
    { name: 'tests', address: `${project}/runs/${done}?tab=tests`, ready: (p) => p.getByTestId('run-tab-tests') },
    { name: 'providers', address: '/providers', ready: (p) => p.getByTestId('provider-item').first() },
    { name: 'usage', address: '/usage', ready: (p) => p.getByTestId('usage-totals') },
    { name: 'settings', address: '/settings', ready: (p) => p.getByTestId('settings-theme') },
  ];

  for (const size of sizes) {
    await page.setViewportSize(size);
    for (const stop of stops) {
      await goTo(page, stop.address);
      await expect(stop.ready(page)).toBeVisible();
      await stop.then?.(page);
      const report = await measureLayout(page);
      const where = `${stop.name} at ${size.width}×${size.height}`;
      expect(report.overflowing, `elements past the window's edge on ${where}`).toEqual([]);
      expect(report.scrollWidth, `page width on ${where}`).toBeLessThanOrEqual(size.width);
      expect(report.scrollHeight, `page height on ${where}`).toBeLessThanOrEqual(size.height);
      expect(report.headerTop, `header on ${where}`).toBe(0);
      if (stop.name === 'diff') {
        // Two columns of about 440 px cut the lines: below 1280 wide (and at it) the diff is one column.
        await expect(page.getByTestId('diff-view')).toHaveAttribute('data-layout', 'unified');
      }
      // The same part every time: the file viewer itself on the diff stop, else the view from its top.
      await page.locator('.app-main').evaluate((main) => {
        main.scrollTo(0, 0);
      });
      const shot = stop.name === 'diff' ? page.getByTestId('file-viewer') : page;
      await expect(shot).toHaveScreenshot(`${stop.name}-${size.width}.png`, {
        maxDiffPixelRatio: 0.02,
        animations: 'disabled',
        caret: 'hide',
        mask: [
          page.locator('.run-list-date, .project-dates, .provider-facts, .provider-detail'),
          page.getByTestId('usage-table'),
          page.getByTestId('usage-totals'),
          // The charts draw today's days and this run's latencies: their frames and titles are compared, not the drawing.
          page.locator('.usage-chart canvas'),
          page.locator('.health-latency'),
        ],
      });
    }
  }
});
