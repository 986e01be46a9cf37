import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../../src-main/electron/contentSecurityPolicy.ts';
import { inlineStyleHashes, readInlineStyleHashes } from '../../../src-main/electron/inlineStyleHashes.ts';

// `printf 'body{}' | openssl dgst -sha256 -binary | base64`
const bodyHash = "'sha256-fJgEClQWV1hGkK4qHMO0KotTsVnMYMXTq7/suurGyUo='";
const dirs: string[] = [];

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('inlineStyleHashes', () => {
  it('hashes the exact text of each <style> element (SHA-256, base64, as CSP writes it)', () => {
    expect(inlineStyleHashes('<head><style>body{}</style></head>')).toEqual([bodyHash]);
    const two = inlineStyleHashes('<style>body{}</style><p>x</p><style>\n.a{color:red}\n</style>');
    expect(two).toHaveLength(2);
    expect(two[0]).toBe(bodyHash);
    expect(two[1]).not.toBe(bodyHash);
  });

  it('gives nothing for a page without inline styles, and a different hash for one changed character', () => {
    expect(inlineStyleHashes('<link rel="stylesheet" href="./a.css"><div style="x"></div>')).toEqual([]);
    expect(inlineStyleHashes('<style>body{ }</style>')).not.toEqual([bodyHash]);
  });

  it('reads the built index.html, and gives none where the renderer is not built', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-inline-styles-'));
    dirs.push(dir);
    expect(readInlineStyleHashes(dir)).toEqual([]);
    writeFileSync(join(dir, 'index.html'), '<!doctype html><html><head><style>body{}</style></head><body></body></html>');
    expect(readInlineStyleHashes(dir)).toEqual([bodyHash]);
  });
});

describe('contentSecurityPolicy with the page inline styles', () => {
  it("admits them by hash in style-src and nowhere else, without 'unsafe-inline'", () => {
    const csp = contentSecurityPolicy(undefined, [bodyHash]);
    const directives = csp.split('; ');
    expect(directives).toContain(`style-src 'self' ${bodyHash}`);
    expect(directives.filter((directive) => directive.includes(bodyHash))).toHaveLength(1);
    expect(csp).not.toContain('unsafe-inline');
    expect(directives).toContain("script-src 'self'");
  });

  it("leaves them out with a dev server, whose inline styles need 'unsafe-inline' (a hash would switch it off)", () => {
    const csp = contentSecurityPolicy('http://localhost:5173/', [bodyHash]);
    expect(csp).not.toContain(bodyHash);
    expect(csp.split('; ')).toContain("style-src 'self' http://localhost:5173 'unsafe-inline'");
  });

  it('is unchanged without hashes', () => {
    expect(contentSecurityPolicy(undefined, [])).toBe(contentSecurityPolicy());
    expect(contentSecurityPolicy().split('; ')).toContain("style-src 'self'");
  });
});
