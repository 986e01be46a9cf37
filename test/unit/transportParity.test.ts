import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import { apiChannels } from '../../src-shared/buildApi.ts';
import { channelNames, eventNames } from '../../src-shared/contract.ts';
import { startBridgeServer } from '../../src-main/bridge/startBridgeServer.ts';
import { createCore } from '../../src-main/core/createCore.ts';
import { registerIpc } from '../../src-main/electron/registerIpc.ts';
import type { IpcMainLike } from '../../src-main/electron/IpcMainLike.ts';
import { createPreloadApi, type IpcRendererLike } from '../../src-preload/createPreloadApi.ts';
import { useTempDirs } from '../support/useTempDirs.ts';

describe('both transports expose the same channels', () => {
  const tempDir = useTempDirs();

  it('Electron IPC, the preload and the bridge all offer exactly the contract', async () => {
    const core = createCore({ dataDir: tempDir(), host: 'bridge' });

    const handled = new Map<string, Parameters<IpcMainLike['handle']>[1]>();
    registerIpc({ handle: (channel, listener) => handled.set(channel, listener), removeHandler: (c) => handled.delete(c) }, core.dispatch, (url) =>
      url.startsWith('file:///app/'),
    );

    const ipcRenderer: IpcRendererLike = {
      invoke: async (channel, input) => handled.get(channel)?.({ senderFrame: { url: 'file:///app/index.html' } }, input),
      on: () => undefined,
      removeListener: () => undefined,
    };
    const preloadApi = createPreloadApi(ipcRenderer);

    const rendererDir = tempDir();
    mkdirSync(rendererDir, { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
    const bridge = await startBridgeServer({ core, rendererDir });
    const hello = await new Promise<{ channels: string[]; events: string[] }>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${bridge.port}/api?token=${bridge.token}`);
      ws.once('message', (data) => {
        resolve(JSON.parse(data.toString()));
        ws.close();
      });
      ws.once('error', reject);
    });
    await bridge.close();

    const expected = [...channelNames].sort();
    expect([...handled.keys()].sort()).toEqual(expected);
    expect(apiChannels(preloadApi)).toEqual(expected);
    expect([...hello.channels].sort()).toEqual(expected);
    expect([...hello.events].sort()).toEqual([...eventNames].sort());

    // The same call gives the same envelope on both transports.
    const viaIpc = await preloadApi.projects.create({ name: '' });
    const viaDispatch = await core.dispatch('projects.create', { name: '' });
    expect(viaIpc).toEqual(viaDispatch);
    core.close();
  });

  it('IPC refuses calls from a frame that is not our renderer', async () => {
    const core = createCore({ dataDir: tempDir(), host: 'electron' });
    const handled = new Map<string, Parameters<IpcMainLike['handle']>[1]>();
    registerIpc({ handle: (channel, listener) => handled.set(channel, listener), removeHandler: () => undefined }, core.dispatch, (url) =>
      url.startsWith('file:///app/'),
    );
    const result = await handled.get('projects.list')?.({ senderFrame: { url: 'https://evil.example/' } }, undefined);
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ORIGIN' } });
    const none = await handled.get('projects.list')?.({ senderFrame: null }, undefined);
    expect(none).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ORIGIN' } });
    core.close();
  });
});
