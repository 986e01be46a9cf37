import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A `<style>` element as the renderer build writes it (no attributes); its text is what the hash covers. */
const styleElement = /<style>([\s\S]*?)<\/style>/g;

/**
 * The CSP source expressions ('sha256-…') that allow exactly the inline `<style>` elements of a
 * page. The built index.html inlines its main stylesheet so the app shell paints without a second
 * request; the CSP keeps `style-src 'self'` and admits those styles by hash, never 'unsafe-inline'.
 */
export function inlineStyleHashes(html: string): string[] {
  return [...html.matchAll(styleElement)].map(([, text = '']) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`);
}

/** The hashes for the built renderer's index.html; none when it is not built (the dev server allows inline styles itself). */
export function readInlineStyleHashes(rendererDir: string): string[] {
  try {
    return inlineStyleHashes(readFileSync(join(rendererDir, 'index.html'), 'utf8'));
  } catch {
    return [];
  }
}
