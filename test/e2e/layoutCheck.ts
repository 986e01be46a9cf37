import type { Page } from '@playwright/test';

export interface LayoutReport {
  viewport: { width: number; height: number };
  /** The page's own scroll size: the window never scrolls (the views scroll inside it). */
  scrollWidth: number;
  scrollHeight: number;
  /** Elements that reach past the right or left edge of the window and that nothing clips. */
  overflowing: string[];
  /** Where the header's top is after trying to scroll the window to its end. */
  headerTop: number | null;
}

/**
 * Measures a page's layout against the window: every visible element whose box reaches past the
 * window's left or right edge, unless an ancestor that scrolls or clips (overflow-x other than
 * visible, itself inside the window) holds it, such as a table's scrolling card.
 */
export function measureLayout(page: Page): Promise<LayoutReport> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const describe = (element: Element) => {
      const testId = element.getAttribute('data-testid');
      const classes = typeof element.className === 'string' && element.className !== '' ? `.${element.className.trim().split(/\s+/).join('.')}` : '';
      const rect = element.getBoundingClientRect();
      return `${element.tagName.toLowerCase()}${testId ? `[data-testid=${testId}]` : ''}${classes} (${Math.round(rect.left)}–${Math.round(rect.right)} of ${width})`;
    };
    const heldByAncestor = (element: Element) => {
      for (let parent = element.parentElement; parent; parent = parent.parentElement) {
        if (getComputedStyle(parent).overflowX !== 'visible') {
          const rect = parent.getBoundingClientRect();
          return rect.right <= width + 1 && rect.left >= -1;
        }
      }
      return false;
    };
    const overflowing: string[] = [];
    for (const element of document.querySelectorAll('body *')) {
      const rect = element.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0) continue;
      if ((rect.right > width + 1 || rect.left < -1) && !heldByAncestor(element)) overflowing.push(describe(element));
    }
    window.scrollTo(0, document.documentElement.scrollHeight);
    const headerTop = document.querySelector('header.app-header')?.getBoundingClientRect().top ?? null;
    window.scrollTo(0, 0);
    return {
      viewport: { width, height: document.documentElement.clientHeight },
      scrollWidth: document.documentElement.scrollWidth,
      scrollHeight: document.documentElement.scrollHeight,
      overflowing: overflowing.slice(0, 25),
      headerTop,
    };
  });
}
