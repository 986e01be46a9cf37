import { readFileSync } from 'node:fs';
import { createElement, type ComponentType } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { views } from '../../../src-renderer/features/navigation/views.ts';

const indexHtml = readFileSync(new URL('../../../src-renderer/index.html', import.meta.url), 'utf8');

/** The markup inside <div id="root">…</div> (the shell; the element closing #root is the one before </body>). */
function shellMarkup(): string {
  const start = indexHtml.indexOf('<div id="root">');
  const end = indexHtml.lastIndexOf('</div>', indexHtml.indexOf('</body>'));
  if (start < 0 || end < start) throw new Error('index.html has no #root with content');
  return indexHtml.slice(start + '<div id="root">'.length, end);
}

/**
 * Markup reduced to what is painted: whitespace between tags and comments go, and the attributes
 * that differ on purpose (test ids, the current view, the shell's disabled and busy state) are dropped.
 */
function painted(markup: string): string {
  return markup
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/\s+(data-testid|aria-current)="[^"]*"/g, '')
    .replace(/\s+aria-busy="true"/g, '')
    .replace(/\s+disabled(="")?/g, '')
    .replace(/>\s+</g, '><')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * App's first render while the chosen view's code is still loading: the address names Settings
 * (a view fetched on first show), so its Suspense fallback is what the content area shows. The
 * store reads the address when its module loads, hence the stub before the import.
 */
async function appWhileViewLoads(): Promise<string> {
  vi.stubGlobal('window', { location: { hash: '#/settings' } });
  // A path in a variable: this folder is type-checked without JSX (tsconfig.node.json); the renderer's own check covers App.
  const appModule = '../../../src-renderer/app/App.tsx';
  const { App } = (await import(appModule)) as { App: ComponentType };
  return renderToStaticMarkup(createElement(App));
}

afterAll(() => {
  vi.unstubAllGlobals();
});

describe('the app shell in index.html', () => {
  it('paints what App renders while a view loads: same header, navigation, classes and "Loading…" status', async () => {
    expect(painted(shellMarkup())).toBe(painted(await appWhileViewLoads()));
  });

  it('lists every view of the navigation, in order, and marks none as current', () => {
    const labels = [...shellMarkup().matchAll(/<button[^>]*class="navigation-button"[^>]*>([^<]*)<\/button>/g)].map((match) => match[1]);
    expect(labels).toEqual(views.map((view) => view.label));
    expect(shellMarkup()).not.toContain('aria-current');
  });

  it('is busy and inert until the app runs: disabled navigation, a status for the content, no test ids to mistake for the app', () => {
    const shell = shellMarkup();
    expect(shell).toContain('aria-busy="true"');
    expect(shell.match(/<button /g)?.length).toBe(shell.match(/ disabled[ >]/g)?.length);
    expect(shell).toMatch(/role="status">Loading…</);
    expect(shell).not.toContain('data-testid');
  });
});
