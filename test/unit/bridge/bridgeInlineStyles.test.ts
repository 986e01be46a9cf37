import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startBridgeServer, type BridgeServer } from '../../../src-main/bridge/startBridgeServer.ts';
import { createCore, type Core } from '../../../src-main/core/createCore.ts';
import { inlineStyleHashes } from '../../../src-main/electron/inlineStyleHashes.ts';
import { httpRequest } from '../../support/bridgeClient.ts';
import { createRendererDir, createTempDir, removeTempDirs } from '../../support/tempDir.ts';

let core: Core | undefined;
let bridge: BridgeServer | undefined;

afterEach(async () => {
  await bridge?.close();
  core?.close();
  removeTempDirs();
});

async function serve(indexHtml?: string): Promise<BridgeServer> {
  const rendererDir = createRendererDir();
  if (indexHtml !== undefined) writeFileSync(join(rendererDir, 'index.html'), indexHtml);
  core = createCore({ dataDir: createTempDir('sc-bridge-styles-'), host: 'bridge' });
  bridge = await startBridgeServer({ core, rendererDir, port: 0 });
  return bridge;
}

function styleSrc(csp: unknown): string | undefined {
  return String(csp)
    .split('; ')
    .find((directive) => directive.startsWith('style-src'));
}

describe("the bridge's CSP and the built page's inline stylesheet", () => {
  it('admits the inline style of index.html by its hash, on the page and on every other file', async () => {
    const page = '<!doctype html><html><head><style>.app{display:flex}</style></head><body><div id="root"></div></body></html>';
    const [hash] = inlineStyleHashes(page);
    const server = await serve(page);
    const html = await httpRequest(server.port, '/', { headers: { host: `127.0.0.1:${server.port}` } });
    expect(html.status).toBe(200);
    expect(styleSrc(html.headers['content-security-policy'])).toBe(`style-src 'self' ${hash}`);
    const script = await httpRequest(server.port, '/assets/app.js', { headers: { host: `127.0.0.1:${server.port}` } });
    expect(styleSrc(script.headers['content-security-policy'])).toBe(`style-src 'self' ${hash}`);
    expect(String(html.headers['content-security-policy'])).not.toContain('unsafe-inline');
  });

  it("keeps style-src 'self' alone for a page without inline styles", async () => {
    const server = await serve();
    const html = await httpRequest(server.port, '/', { headers: { host: `127.0.0.1:${server.port}` } });
    expect(styleSrc(html.headers['content-security-policy'])).toBe("style-src 'self'");
  });
});
