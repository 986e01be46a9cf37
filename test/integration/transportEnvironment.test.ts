import { spawn } from 'node:child_process';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Agent, getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startForwardProxy, type ForwardProxy } from '../support/forwardProxy.ts';
import { adapterFor, adapterTypes, chatText, startAnswer, type AdapterType } from '../support/streamedAnswer.ts';
import { hasOpenssl, selfSignedCertificate } from '../support/selfSignedCertificate.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';
import { repoRoot } from '../support/cliProcess.ts';

// The adapters' transport (providerFetch) in the environments users run it in: a server with a
// certificate of its own (trusted through NODE_EXTRA_CA_CERTS, or not), and a forward proxy
// from the environment, which Node's fetch sends through and so must every model call.

const child = fileURLToPath(new URL('../support/oneChatProcess.ts', import.meta.url));
const closers: (() => Promise<void>)[] = [];
afterAll(() => removeTempDirs());
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function listen(server: Server, host = '127.0.0.1'): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `${(server.address() as AddressInfo).port}`;
}

/** A model server for every adapter type, answering "hello". */
function answering(req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  const type: AdapterType = req.url?.includes('/api/') ? 'ollama' : req.url?.includes('/messages') ? 'anthropic' : 'openai';
  startAnswer(type, res, 'hel')('lo');
}

/** Runs one chat in a process of its own; its JSON answer. */
function chatInChild(type: AdapterType, baseUrl: string, env: NodeJS.ProcessEnv, flags: string[] = [], extra?: string): Promise<{ ok: boolean; text?: string; kind?: string; message?: string }> {
  return new Promise((resolve, reject) => {
    const started = spawn(process.execPath, [...flags, child, type, baseUrl, ...(extra ? [extra] : [])], { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    started.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    started.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    started.on('error', reject);
    started.on('close', () => {
      const line = out.split('\n').find((each) => each.startsWith('{'));
      if (line) resolve(JSON.parse(line) as { ok: boolean });
      else reject(new Error(`no answer from the child; stderr: ${err}`));
    });
  });
}

const baseFor = (type: AdapterType, root: string): string => (type === 'openai' ? `${root}/v1` : root);

describe.skipIf(!hasOpenssl())('a server with a self-signed certificate', () => {
  let certFile = '';
  let key: Buffer;
  let cert: Buffer;
  beforeAll(() => {
    ({ key, cert, certFile } = selfSignedCertificate(createTempDir('sc-tls-')));
  });

  it('not trusted: each adapter fails as over fetch, in words that name the certificate', async () => {
    const port = await listen(createHttpsServer({ key, cert }, answering) as unknown as Server);
    for (const type of adapterTypes) {
      const root = `https://127.0.0.1:${port}`;
      const now = await chatText(adapterFor(type, root));
      const before = await chatText(adapterFor(type, root, globalThis.fetch));
      expect(now).toEqual(before);
      expect(now.kind).toBe('connection');
      expect(now.message).toMatch(/certificate/);
      expect(now.message).toMatch(/self-signed/);
      expect(now.message).not.toMatch(/[A-Z_]{2,}_CERT|DEPTH_ZERO|--use-system-ca/);
    }
  }, 30_000);

  it('trusted through a dispatcher the process installed (undici setGlobalDispatcher): each adapter gets its answer, as over fetch', async () => {
    const port = await listen(createHttpsServer({ key, cert }, answering) as unknown as Server);
    const previous = getGlobalDispatcher();
    setGlobalDispatcher(new Agent({ connect: { ca: cert } }));
    try {
      for (const type of adapterTypes) {
        expect(await chatText(adapterFor(type, `https://127.0.0.1:${port}`, globalThis.fetch))).toEqual({ text: 'hello' });
        expect(await chatText(adapterFor(type, `https://127.0.0.1:${port}`))).toEqual({ text: 'hello' });
      }
    } finally {
      setGlobalDispatcher(previous);
    }
  }, 30_000);

  it('trusted through NODE_EXTRA_CA_CERTS: each adapter gets its answer', async () => {
    const port = await listen(createHttpsServer({ key, cert }, answering) as unknown as Server);
    for (const type of adapterTypes) {
      expect(await chatInChild(type, baseFor(type, `https://127.0.0.1:${port}`), { NODE_EXTRA_CA_CERTS: certFile })).toEqual({ ok: true, text: 'hello' });
    }
  }, 60_000);
});

describe('a forward proxy from the environment', () => {
  let proxy: ForwardProxy;
  let port = '';
  const setUp = async () => {
    proxy = await startForwardProxy();
    closers.push(() => proxy.close());
    port = await listen(createHttpServer(answering));
  };
  const proxied = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ HTTP_PROXY: proxy.url, http_proxy: proxy.url, NO_PROXY: '', no_proxy: '', NODE_USE_ENV_PROXY: '', ...extra });

  it('NODE_USE_ENV_PROXY=1: every adapter sends through the proxy, as fetch does', async () => {
    await setUp();
    for (const type of adapterTypes) {
      proxy.seen.length = 0;
      expect(await chatInChild(type, baseFor(type, `http://127.0.0.1:${port}`), proxied({ NODE_USE_ENV_PROXY: '1' }))).toEqual({ ok: true, text: 'hello' });
      expect(proxy.seen).toContain(`CONNECT 127.0.0.1:${port}`);
    }
  }, 60_000);

  it('--use-env-proxy=true on the command line: through the proxy (it went around it)', async () => {
    await setUp();
    expect(await chatInChild('openai', `http://127.0.0.1:${port}/v1`, proxied(), ['--use-env-proxy=true'])).toEqual({ ok: true, text: 'hello' });
    expect(proxy.seen).toEqual([`CONNECT 127.0.0.1:${port}`]);
  }, 60_000);

  it('a proxy set at run time (http.setGlobalProxyFromEnv): through the proxy (it went around it)', async () => {
    await setUp();
    expect(await chatInChild('openai', `http://127.0.0.1:${port}/v1`, proxied(), [], 'set-proxy-from-env')).toEqual({ ok: true, text: 'hello' });
    expect(proxy.seen).toEqual([`CONNECT 127.0.0.1:${port}`]);
  }, 60_000);

  it.skipIf(!hasOpenssl())('NODE_USE_ENV_PROXY=1 with HTTPS_PROXY: an https: server is reached through a tunnel, its certificate still checked (trusted by NODE_EXTRA_CA_CERTS)', async () => {
    await setUp();
    const { key, cert, certFile } = selfSignedCertificate(createTempDir('sc-tls-'));
    const securePort = await listen(createHttpsServer({ key, cert }, answering) as unknown as Server);
    const env = proxied({ NODE_USE_ENV_PROXY: '1', HTTPS_PROXY: proxy.url, https_proxy: proxy.url });
    expect(await chatInChild('anthropic', `https://127.0.0.1:${securePort}`, { ...env, NODE_EXTRA_CA_CERTS: certFile })).toEqual({ ok: true, text: 'hello' });
    expect(proxy.seen).toEqual([`CONNECT 127.0.0.1:${securePort}`]);
    const untrusted = await chatInChild('anthropic', `https://127.0.0.1:${securePort}`, env);
    expect(untrusted).toMatchObject({ ok: false, kind: 'connection', message: expect.stringContaining('its certificate is self-signed') });
  }, 60_000);

  it('HTTP_PROXY alone (Node does not read it unless asked): straight to the server, as fetch goes', async () => {
    await setUp();
    expect(await chatInChild('openai', `http://127.0.0.1:${port}/v1`, proxied())).toEqual({ ok: true, text: 'hello' });
    expect(proxy.seen).toEqual([]);
  }, 60_000);
});
