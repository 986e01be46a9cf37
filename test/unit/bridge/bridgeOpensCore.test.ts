import { afterEach, describe, expect, it } from 'vitest';
import { startBridgeServer, type BridgeServer } from '../../../src-main/bridge/startBridgeServer.ts';
import { createCore, type Core } from '../../../src-main/core/createCore.ts';
import { AppError } from '../../../src-shared/AppError.ts';
import { connectClient, httpRequest } from '../../support/bridgeClient.ts';
import { createRendererDir, createTempDir, removeTempDirs, testIndexHtml } from '../../support/tempDir.ts';

// `serve` hands the bridge a way to open the core rather than the core: the page's requests are
// answered without it, and the core opens once the server is idle after them or when a socket comes first.

let bridge: BridgeServer | undefined;
const cores: Core[] = [];

/** Opens a real core when called, and counts the calls. */
function opener(): { open: () => Promise<Core>; calls: () => number } {
  let calls = 0;
  return {
    open: () => {
      calls += 1;
      const core = createCore({ dataDir: createTempDir('sc-bridge-open-'), host: 'bridge' });
      cores.push(core);
      return Promise.resolve(core);
    },
    calls: () => calls,
  };
}

afterEach(async () => {
  await bridge?.close();
  bridge = undefined;
  for (const core of cores.splice(0)) core.close();
  removeTempDirs();
});

describe('startBridgeServer with a core to open', () => {
  it('does not open it to listen; the page gets its files without it, and then it opens, once', async () => {
    const core = opener();
    bridge = await startBridgeServer({ core: core.open, rendererDir: createRendererDir(), port: 0 });
    expect(core.calls()).toBe(0);
    const page = await httpRequest(bridge.port, '/');
    expect(page.status).toBe(200);
    expect(page.body).toBe(testIndexHtml);
    expect((await httpRequest(bridge.port, '/assets/app.js')).status).toBe(200);
    await expect.poll(core.calls).toBe(1);
    const client = await connectClient(bridge.port, bridge.token);
    expect(await client.invoke('projects.list')).toEqual({ ok: true, value: [] });
    client.ws.terminate();
    expect(core.calls()).toBe(1);
  });

  it('opens it when a socket comes before any page request, and the socket is answered once it is open', async () => {
    const core = opener();
    bridge = await startBridgeServer({ core: core.open, rendererDir: createRendererDir(), port: 0 });
    const client = await connectClient(bridge.port, bridge.token);
    expect(core.calls()).toBe(1);
    expect(await client.invoke('projects.create', { name: 'First' })).toMatchObject({ ok: true });
    client.ws.terminate();
  });

  it('still serves the page when the core cannot open, and refuses sockets', async () => {
    let calls = 0;
    const failing = () => {
      calls += 1;
      return Promise.reject(new AppError('DB_CORRUPT', 'The database is damaged'));
    };
    bridge = await startBridgeServer({ core: failing, rendererDir: createRendererDir(), port: 0 });
    expect((await httpRequest(bridge.port, '/')).status).toBe(200);
    await expect.poll(() => calls).toBe(1);
    await expect(connectClient(bridge.port, bridge.token)).rejects.toThrow();
    expect((await httpRequest(bridge.port, '/')).status).toBe(200);
    expect(calls).toBe(1);
  });
});
