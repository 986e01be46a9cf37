import { defaultSettings } from '../../../src-shared/domain/settings.ts';
import { connect, createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBridgeServer, type BridgeServer } from '../../../src-main/bridge/startBridgeServer.ts';
import { createCore, type Core } from '../../../src-main/core/createCore.ts';
import { appVersion } from '../../../src-main/core/appVersion.ts';
import { AppError } from '../../../src-shared/AppError.ts';
import { bridgeMaxFrameBytes, type ServerFrame } from '../../../src-shared/bridgeProtocol.ts';
import { channelNames, eventNames } from '../../../src-shared/contract.ts';
import type { Envelope } from '../../../src-shared/envelope.ts';
import type { Project } from '../../../src-shared/domain/project.ts';
import { connectClient, httpRequest, socketUrl, upgradeRequest, type TestClient } from '../../support/bridgeClient.ts';
import { createRendererDir, createTempDir, removeTempDirs, testIndexHtml } from '../../support/tempDir.ts';

let core: Core;
let bridge: BridgeServer;
let internalErrors: unknown[];
const clients: TestClient[] = [];

async function client(options: { origin?: string } = {}): Promise<TestClient> {
  const connected = await connectClient(bridge.port, bridge.token, options);
  clients.push(connected);
  return connected;
}

function expectOk(envelope: Envelope<unknown>): unknown {
  if (!envelope.ok) throw new Error(`Expected ok, got ${JSON.stringify(envelope)}`);
  return envelope.value;
}

function expectFailure(envelope: Envelope<unknown>, code: string): string {
  if (envelope.ok) throw new Error(`Expected ${code}, got ${JSON.stringify(envelope)}`);
  expect(envelope.error.code).toBe(code);
  expect(envelope.error.retryable).toBe(false);
  return envelope.error.message;
}

/** The socket still answers: a projects.list round trip succeeds. */
async function expectStillWorking(c: TestClient): Promise<void> {
  expect(c.ws.readyState).toBe(WebSocket.OPEN);
  expect(Array.isArray(expectOk(await c.invoke('projects.list')))).toBe(true);
}

function refusalBody(body: string): { ok: false; error: { code: string; message: string; retryable: boolean } } {
  return JSON.parse(body) as { ok: false; error: { code: string; message: string; retryable: boolean } };
}

beforeEach(async () => {
  internalErrors = [];
  core = createCore({ dataDir: createTempDir('sc-bridge-data-'), host: 'bridge', onInternalError: (_channel, error) => internalErrors.push(error) });
  bridge = await startBridgeServer({ core, rendererDir: createRendererDir(), port: 0 });
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.ws.terminate();
  await bridge.close();
  core.close();
  removeTempDirs();
  // Nothing in these tests is our bug: every failure must have come back as a typed envelope.
  expect(internalErrors).toEqual([]);
});

describe('startBridgeServer: basics', () => {
  it('listens on 127.0.0.1 with a random per-launch token in the URL fragment', () => {
    expect(bridge.port).toBeGreaterThan(0);
    expect(bridge.token.length).toBeGreaterThanOrEqual(32);
    expect(bridge.url).toBe(`http://127.0.0.1:${bridge.port}/#token=${bridge.token}`);
  });

  it('uses a fixed token when given one', async () => {
    const fixed = await startBridgeServer({ core, rendererDir: createRendererDir(), token: 'fixed-test-token' });
    try {
      expect(fixed.token).toBe('fixed-test-token');
      expect(fixed.url).toBe(`http://127.0.0.1:${fixed.port}/#token=fixed-test-token`);
      const c = await connectClient(fixed.port, 'fixed-test-token');
      await expectStillWorking(c);
      c.ws.terminate();
    } finally {
      await fixed.close();
    }
  });

  it('sends a hello frame listing exactly the contract channels and events', async () => {
    const c = await client();
    expect(c.hello).toEqual({ type: 'hello', version: appVersion, channels: [...channelNames], events: [...eventNames] });
    expect(c.hello.channels).toContain('projects.create');
    expect(c.hello.events).toContain('projects.changed');
  });

  it('creates and lists a project over the socket', async () => {
    const c = await client();
    const project = expectOk(await c.invoke('projects.create', { name: 'Firewall' })) as Project;
    expect(project).toMatchObject({ name: 'Firewall' });
    expect(project.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(expectOk(await c.invoke('projects.list'))).toEqual([project]);
    expect(expectOk(await c.invoke('projects.get', { id: project.id }))).toEqual(project);
    const info = expectOk(await c.invoke('app.info')) as { host: string; networkUse: string[] };
    expect(info.host).toBe('bridge');
    expect(info.networkUse).toEqual([]);
  });

  it('matches results to calls by id when many calls are in flight', async () => {
    const c = await client();
    const names = Array.from({ length: 20 }, (_, index) => `Project ${index}`);
    // Half numeric ids, half string ids; plus a duplicate-name failure and an unknown channel in the middle.
    const calls = names.map((name, index) => c.invoke('projects.create', { name }, index % 2 === 0 ? index : `s-${index}`));
    const clash = c.invoke('projects.create', { name: 'project 0' }, 'clash');
    const unknown = c.invoke('projects.nope', undefined, 999);
    const results = await Promise.all(calls);
    results.forEach((result, index) => expect((expectOk(result) as Project).name).toBe(names[index]));
    expectFailure(await clash, 'CONFLICT');
    expectFailure(await unknown, 'UNKNOWN_CHANNEL');
    const listed = expectOk(await c.invoke('projects.list')) as Project[];
    expect(listed.map((project) => project.name).sort()).toEqual([...names].sort());
  });

  it('survives a client that disconnects while its call is in flight', async () => {
    const quitter = await client();
    const watcher = await client();
    quitter.send(JSON.stringify({ type: 'invoke', id: 'gone', channel: 'projects.create', input: { name: 'Orphan' } }));
    quitter.ws.terminate();
    await quitter.closed;
    // the call still ran, its event reached the others, and the server keeps answering
    expect(await watcher.next((frame) => frame.type === 'event')).toMatchObject({ event: 'projects.changed', payload: { kind: 'created' } });
    expect((expectOk(await watcher.invoke('projects.list')) as Project[]).map((project) => project.name)).toEqual(['Orphan']);
  });

  it('refuses to start without a built UI (UI_NOT_BUILT)', async () => {
    const empty = createTempDir('sc-no-ui-');
    const attempt = startBridgeServer({ core, rendererDir: empty });
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({ code: 'UI_NOT_BUILT', message: expect.stringContaining(join(empty, 'index.html')) });
    await expect(startBridgeServer({ core, rendererDir: join(empty, 'missing') })).rejects.toMatchObject({ code: 'UI_NOT_BUILT' });
  });

  it('rejects with EADDRINUSE when the port is taken, and the running bridge is unaffected', async () => {
    await expect(startBridgeServer({ core, rendererDir: createRendererDir(), port: bridge.port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    await expectStillWorking(await client());
  });
});

describe('startBridgeServer: token', () => {
  it('refuses a missing token with 401 UNAUTHORIZED', async () => {
    const answer = await upgradeRequest(bridge.port, '/api');
    expect(answer.status).toBe(401);
    expect(answer.headers['content-type']).toBe('application/json');
    const body = refusalBody(answer.body);
    expect(body.ok).toBe(false);
    expect(body.error.code).toBe('UNAUTHORIZED');
    expect(body.error.message).toMatch(/missing/);
  });

  it('refuses an empty token with 401 UNAUTHORIZED', async () => {
    const answer = await upgradeRequest(bridge.port, '/api?token=');
    expect(answer.status).toBe(401);
    expect(refusalBody(answer.body).error.code).toBe('UNAUTHORIZED');
  });

  it('refuses a wrong token of the same length with 401', async () => {
    const wrong = bridge.token.slice(0, -1) + (bridge.token.endsWith('A') ? 'B' : 'A');
    expect(wrong.length).toBe(bridge.token.length);
    const answer = await upgradeRequest(bridge.port, `/api?token=${wrong}`);
    expect(answer.status).toBe(401);
    const body = refusalBody(answer.body);
    expect(body.error.code).toBe('UNAUTHORIZED');
    expect(body.error.message).toMatch(/wrong/);
    // The refusal never echoes the real token.
    expect(answer.body).not.toContain(bridge.token);
  });

  it.each([
    ['a short token', 'x'],
    ['a prefix of the real token', 'PREFIX'],
    ['a very long token', 'y'.repeat(4000)],
    ['the real token plus a suffix', 'SUFFIX'],
  ])('refuses %s (different length) with 401', async (_label, candidate) => {
    const token = candidate === 'PREFIX' ? bridge.token.slice(0, 10) : candidate === 'SUFFIX' ? `${bridge.token}x` : candidate;
    const answer = await upgradeRequest(bridge.port, `/api?token=${encodeURIComponent(token)}`);
    expect(answer.status).toBe(401);
    expect(refusalBody(answer.body).error.code).toBe('UNAUTHORIZED');
  });

  it('the ws client sees the refusal too, and a good client still connects afterwards', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(socketUrl(bridge.port, 'nope'));
      ws.on('unexpected-response', (_request, response) => {
        resolve(response.statusCode ?? 0);
        ws.terminate();
      });
      ws.on('open', () => reject(new Error('connected with a wrong token')));
      ws.on('error', () => undefined);
    });
    expect(status).toBe(401);
    await expectStillWorking(await client());
  });

  it('the session check over plain HTTP: 204 for this launch\'s token, 401 UNAUTHORIZED for another or none', async () => {
    const right = await httpRequest(bridge.port, '/api/session', { headers: { 'X-Bridge-Token': bridge.token } });
    expect(right.status).toBe(204);
    for (const headers of [{ 'X-Bridge-Token': 'an-old-token' }, {}] as Record<string, string>[]) {
      const refused = await httpRequest(bridge.port, '/api/session', { headers });
      expect(refused.status).toBe(401);
      expect(refusalBody(refused.body).error.code).toBe('UNAUTHORIZED');
      expect(refused.body).not.toContain(bridge.token);
    }
  });

  it('answers 404 NOT_FOUND for an upgrade on another path, even with the token', async () => {
    const answer = await upgradeRequest(bridge.port, `/other?token=${bridge.token}`);
    expect(answer.status).toBe(404);
    expect(refusalBody(answer.body).error.code).toBe('NOT_FOUND');
  });
});

describe('startBridgeServer: origin and host', () => {
  it('refuses a foreign Origin with 403 FORBIDDEN_ORIGIN even with the right token', async () => {
    const answer = await upgradeRequest(bridge.port, `/api?token=${bridge.token}`, { Origin: 'http://evil.example' });
    expect(answer.status).toBe(403);
    const body = refusalBody(answer.body);
    expect(body.error.code).toBe('FORBIDDEN_ORIGIN');
    expect(body.error.message).toContain('http://evil.example');
  });

  it.each([
    ['same host, other port', (port: number) => `http://127.0.0.1:${port + 1}`],
    ['localhost, other port', (port: number) => `http://localhost:${port === 65535 ? 1 : port + 1}`],
    ['https on our port', (port: number) => `https://127.0.0.1:${port}`],
    ['no port', () => 'http://127.0.0.1'],
    ['the opaque origin "null"', () => 'null'],
    ['our origin with a trailing slash', (port: number) => `http://127.0.0.1:${port}/`],
  ])('refuses %s with 403 FORBIDDEN_ORIGIN', async (_label, origin) => {
    const answer = await upgradeRequest(bridge.port, `/api?token=${bridge.token}`, { Origin: origin(bridge.port) });
    expect(answer.status).toBe(403);
    expect(refusalBody(answer.body).error.code).toBe('FORBIDDEN_ORIGIN');
  });

  it('allows our own origins and non-browser clients without an Origin', async () => {
    for (const origin of [`http://127.0.0.1:${bridge.port}`, `http://localhost:${bridge.port}`]) {
      expect((await upgradeRequest(bridge.port, `/api?token=${bridge.token}`, { Origin: origin })).status).toBe(101);
      await expectStillWorking(await client({ origin }));
    }
    expect((await upgradeRequest(bridge.port, `/api?token=${bridge.token}`)).status).toBe(101);
    await expectStillWorking(await client());
  });

  it('checks the origin before the token (a foreign page learns nothing about the token)', async () => {
    const answer = await upgradeRequest(bridge.port, '/api?token=wrong', { Origin: 'http://evil.example' });
    expect(answer.status).toBe(403);
    expect(refusalBody(answer.body).error.code).toBe('FORBIDDEN_ORIGIN');
  });

  it('answers 421 to GET / with a foreign Host header (DNS rebinding)', async () => {
    const answer = await httpRequest(bridge.port, '/', { headers: { Host: `evil.example:${bridge.port}` } });
    expect(answer.status).toBe(421);
    expect(answer.body).not.toContain('Test UI');
    const assets = await httpRequest(bridge.port, '/assets/app.js', { headers: { Host: `evil.example:${bridge.port}` } });
    expect(assets.status).toBe(421);
  });

  it.each([
    ['our host on another port', (port: number) => `127.0.0.1:${port + 1}`],
    ['our host without a port', () => '127.0.0.1'],
    ['a rebinding name that contains our host', (port: number) => `127.0.0.1.nip.io:${port}`],
    ['our host as a prefix', (port: number) => `127.0.0.1:${port}.evil.example`],
  ])('answers 421 to GET / with %s', async (_label, host) => {
    const answer = await httpRequest(bridge.port, '/', { headers: { Host: host(bridge.port) } });
    expect(answer.status).toBe(421);
  });

  it('answers 421 to an HTTP/1.0 GET / without any Host header', async () => {
    const raw = await rawRequest(bridge.port, 'GET / HTTP/1.0\r\n\r\n');
    expect(raw).toMatch(/^HTTP\/1\.[01] 421 /);
    expect(raw).not.toContain('Test UI');
  });

  it('serves GET / for Host 127.0.0.1:PORT and localhost:PORT', async () => {
    for (const host of [`127.0.0.1:${bridge.port}`, `localhost:${bridge.port}`]) {
      const answer = await httpRequest(bridge.port, '/', { headers: { Host: host } });
      expect(answer.status).toBe(200);
      expect(answer.body).toBe(testIndexHtml);
    }
  });

  it('refuses the upgrade with 403 for a foreign Host header, even with the right token and no Origin', async () => {
    const answer = await upgradeRequest(bridge.port, `/api?token=${bridge.token}`, { Host: `evil.example:${bridge.port}` });
    expect(answer.status).toBe(403);
    const body = refusalBody(answer.body);
    expect(body.error.code).toBe('FORBIDDEN_ORIGIN');
    expect(body.error.message).toContain('evil.example');
    // A rebinding page would also send its own origin; still refused.
    const withOrigin = await upgradeRequest(bridge.port, `/api?token=${bridge.token}`, {
      Host: `evil.example:${bridge.port}`,
      Origin: `http://evil.example:${bridge.port}`,
    });
    expect(withOrigin.status).toBe(403);
    await expectStillWorking(await client());
  });
});

describe('startBridgeServer: malformed frames', () => {
  async function expectErrorFrame(c: TestClient, pattern: RegExp): Promise<void> {
    const frame = await c.next();
    expect(frame.type).toBe('error');
    if (frame.type !== 'error') return;
    const message = expectFailure(frame.result as Envelope<unknown>, 'INVALID_INPUT');
    expect(message).toMatch(pattern);
    await expectStillWorking(c);
  }

  it('answers a non-JSON frame with an INVALID_INPUT error frame and keeps the socket open', async () => {
    const c = await client();
    c.send('this is not json');
    await expectErrorFrame(c, /JSON/);
    c.send('{"type":"invoke",');
    await expectErrorFrame(c, /JSON/);
    c.send('');
    await expectErrorFrame(c, /JSON/);
  });

  it.each([
    ['an array', '[]'],
    ['null', 'null'],
    ['a number', '42'],
    ['a string', '"projects.list"'],
    ['an object without id', '{"type":"invoke","channel":"projects.list"}'],
    ['an object without channel', '{"type":"invoke","id":1}'],
    ['another frame type', '{"type":"call","id":1,"channel":"projects.list"}'],
    ['a result frame sent by a client', '{"type":"result","id":1,"result":{"ok":true,"value":1}}'],
    ['a fractional id', '{"type":"invoke","id":1.5,"channel":"projects.list"}'],
    ['an object id', '{"type":"invoke","id":{"a":1},"channel":"projects.list"}'],
    ['a 65-character id', JSON.stringify({ type: 'invoke', id: 'i'.repeat(65), channel: 'projects.list' })],
    ['a numeric channel', '{"type":"invoke","id":1,"channel":7}'],
    ['a 101-character channel', JSON.stringify({ type: 'invoke', id: 1, channel: 'c'.repeat(101) })],
  ])('answers JSON that is not a frame (%s) with an INVALID_INPUT error frame', async (_label, text) => {
    const c = await client();
    c.send(text);
    await expectErrorFrame(c, /Invalid frame/);
  });

  it('answers a binary frame with an INVALID_INPUT error frame, even if it holds a valid invoke', async () => {
    const c = await client();
    c.send(Buffer.from(JSON.stringify({ type: 'invoke', id: 'bin', channel: 'projects.create', input: { name: 'Binary' } })), { binary: true });
    await expectErrorFrame(c, /Binary/);
    expect(expectOk(await c.invoke('projects.list'))).toEqual([]);
  });

  it.each(['nope', 'projects.nope', 'projects', '.', '', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'projects.list '])(
    'answers channel %j with UNKNOWN_CHANNEL',
    async (channel) => {
      const c = await client();
      const message = expectFailure(await c.invoke(channel, { name: 'x' }, 'u'), 'UNKNOWN_CHANNEL');
      expect(message).toContain(`"${channel}"`);
      await expectStillWorking(c);
    },
  );

  it.each([
    ['an empty name', 'projects.create', { name: '' }, 'name'],
    ['a blank name', 'projects.create', { name: '   ' }, 'name'],
    ['a missing name', 'projects.create', {}, 'name'],
    ['a numeric name', 'projects.create', { name: 5 }, 'name'],
    ['a null name', 'projects.create', { name: null }, 'name'],
    ['an array as name', 'projects.create', { name: ['a'] }, 'name'],
    ['a name with a control character', 'projects.create', { name: 'a\u0007b' }, 'name'],
    ['a 10 kB name', 'projects.create', { name: 'n'.repeat(10_000) }, 'name'],
    ['an extra key', 'projects.create', { name: 'Fine', extra: 1 }, 'extra'],
    ['a string instead of an object', 'projects.create', 'Fine', 'object'],
    ['a null input', 'projects.create', null, 'object'],
    ['input on a channel that takes none', 'projects.list', {}, 'no input'],
    ['a non-UUID id', 'projects.get', { id: 'not-a-uuid' }, 'id'],
    ['a numeric id', 'projects.delete', { id: 1 }, 'id'],
    ['rename without a name', 'projects.rename', { id: '00000000-0000-4000-8000-000000000000' }, 'name'],
    ['an unknown theme', 'settings.set', { theme: 'purple' }, 'theme'],
    ['an unknown setting', 'settings.set', { colour: 'red' }, 'colour'],
    ['an empty settings patch', 'settings.set', {}, 'at least one setting'],
  ])('answers %s with INVALID_INPUT naming the field', async (_label, channel, input, field) => {
    const c = await client();
    const message = expectFailure(await c.invoke(channel, input, 'bad'), 'INVALID_INPUT');
    expect(message).toContain(channel);
    expect(message).toContain(field);
    // Messages stay short (a toast), and never echo a huge input back.
    expect(message.length).toBeLessThan(500);
    await expectStillWorking(c);
    expect(expectOk(await c.invoke('projects.list'))).toEqual([]);
  });

  it('refuses an input carrying an own __proto__ key instead of ignoring it', async () => {
    const c = await client();
    c.send('{"type":"invoke","id":"proto","channel":"projects.create","input":{"name":"Sneaky","__proto__":{"admin":true}}}');
    const frame = await c.next((candidate) => candidate.type === 'result' && candidate.id === 'proto');
    if (frame.type !== 'result') throw new Error('unreachable');
    expectFailure(frame.result as Envelope<unknown>, 'INVALID_INPUT');
    expect(expectOk(await c.invoke('projects.list'))).toEqual([]);
  });

  it('answers a valid envelope-level failure (NOT_FOUND) without closing the socket', async () => {
    const c = await client();
    expectFailure(await c.invoke('projects.get', { id: '00000000-0000-4000-8000-000000000000' }), 'NOT_FOUND');
    expectFailure(await c.invoke('projects.delete', { id: '00000000-0000-4000-8000-000000000000' }), 'NOT_FOUND');
    await expectStillWorking(c);
  });
});

describe('startBridgeServer: frame size', () => {
  it('accepts a frame of exactly 1 MiB (answered as not JSON) and keeps the socket open', async () => {
    const c = await client();
    c.send('x'.repeat(bridgeMaxFrameBytes));
    const frame = await c.next();
    expect(frame.type).toBe('error');
    await expectStillWorking(c);
  });

  it('closes a socket that sends a frame over 1 MiB with code 1009, while another client keeps working', async () => {
    const big = await client();
    const other = await client();
    big.send(JSON.stringify({ type: 'invoke', id: 1, channel: 'projects.create', input: { name: 'x'.repeat(bridgeMaxFrameBytes) } }));
    const closed = await big.closed;
    expect(closed.code).toBe(1009);
    await expectStillWorking(other);
    expect(expectOk(await other.invoke('projects.create', { name: 'After the flood' }))).toMatchObject({ name: 'After the flood' });
    // and new clients are still welcome
    await expectStillWorking(await client());
  });
});

describe('startBridgeServer: events', () => {
  it('delivers projects.changed for a project created through client A to client B (and A)', async () => {
    const a = await client();
    const b = await client();
    const project = expectOk(await a.invoke('projects.create', { name: 'Shared' })) as Project;
    const isChange = (frame: ServerFrame) => frame.type === 'event' && frame.event === 'projects.changed';
    expect(await b.next(isChange)).toEqual({ type: 'event', event: 'projects.changed', payload: { kind: 'created', id: project.id } });
    expect(await a.next(isChange)).toEqual({ type: 'event', event: 'projects.changed', payload: { kind: 'created', id: project.id } });

    expectOk(await a.invoke('projects.rename', { id: project.id, name: 'Shared 2' }));
    expect(await b.next(isChange)).toMatchObject({ payload: { kind: 'renamed', id: project.id } });
    expectOk(await a.invoke('projects.delete', { id: project.id }));
    expect(await b.next(isChange)).toMatchObject({ payload: { kind: 'deleted', id: project.id } });

    expectOk(await a.invoke('settings.set', { theme: 'dark' }));
    expect(await b.next((frame) => frame.type === 'event' && frame.event === 'settings.changed')).toEqual({
      type: 'event',
      event: 'settings.changed',
      payload: { ...defaultSettings, theme: 'dark', privacyMode: 'local-only' },
    });
  });

  it('sends no event for a failed call', async () => {
    const a = await client();
    const b = await client();
    expectFailure(await a.invoke('projects.create', { name: '' }), 'INVALID_INPUT');
    await expect(b.next((frame) => frame.type === 'event', 300)).rejects.toThrow(/No matching frame/);
  });

  it('keeps delivering to the others after a client disconnects', async () => {
    const a = await client();
    const gone = await client();
    const b = await client();
    await gone.close();
    gone.ws.terminate();
    const project = expectOk(await a.invoke('projects.create', { name: 'After leaving' })) as Project;
    expect(await b.next((frame) => frame.type === 'event')).toMatchObject({ payload: { kind: 'created', id: project.id } });
  });
});

describe('startBridgeServer: close', () => {
  it('close() with connected clients resolves promptly and the port then refuses connections', async () => {
    const connected = await Promise.all([client(), client(), client()]);
    const started = Date.now();
    await bridge.close();
    expect(Date.now() - started).toBeLessThan(1000);
    // every client learns its socket is gone
    await Promise.all(connected.map((c) => c.closed));
    for (const c of connected) expect(c.ws.readyState).toBe(WebSocket.CLOSED);

    await expect(httpRequest(bridge.port, '/')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await expect(
      new Promise((resolve, reject) => {
        const ws = new WebSocket(socketUrl(bridge.port, bridge.token));
        ws.on('open', () => resolve('open'));
        ws.on('error', reject);
      }),
    ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    // the port is really free again
    await listenOn(bridge.port).then((server) => new Promise((resolve) => server.close(resolve)));
  });

  it('close() with an idle keep-alive HTTP connection still resolves promptly', async () => {
    const { Agent, request } = await import('node:http');
    const agent = new Agent({ keepAlive: true });
    await new Promise<void>((resolve, reject) => {
      request({ host: '127.0.0.1', port: bridge.port, path: '/', agent }, (response) => {
        response.resume();
        response.on('end', () => resolve());
      })
        .on('error', reject)
        .end();
    });
    const started = Date.now();
    await bridge.close();
    expect(Date.now() - started).toBeLessThan(1000);
    agent.destroy();
  });
});

function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

function listenOn(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      expect((server.address() as AddressInfo).port).toBe(port);
      resolve(server);
    });
  });
}
