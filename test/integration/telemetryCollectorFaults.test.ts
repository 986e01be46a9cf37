// Telemetry on, through the real CLI process (bin/service-creator.js), against loopback collectors
// that misbehave: one that takes the request and never answers, one nobody listens on, one that
// redirects elsewhere, one that answers an endless body. A command's end waits for its spans at
// most the bounded flush (3 s), never the exporter's own timeouts, retries or a redirect's host.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runBin, type ProcessResult } from '../support/cliProcess.ts';
import { startFakeOpenAiServer } from '../support/fakes/fakeOpenAiServer.ts';
import { startOtlpReceiver } from '../support/otlpReceiver.ts';
import { plantedSecret } from '../support/plantedSecret.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

let home: string;
let env: NodeJS.ProcessEnv;
const closers: (() => Promise<void>)[] = [];

beforeEach(() => {
  home = createTempDir('sc-int-otlp-faults-');
  env = { SERVICE_CREATOR_HOME: home, FAKE_KEY: plantedSecret };
});
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});
afterAll(() => removeTempDirs());

const sc = (...args: string[]): Promise<ProcessResult> => runBin(args, env);

async function timed(...args: string[]): Promise<{ result: ProcessResult; ms: number }> {
  const started = Date.now();
  const result = await sc(...args);
  return { result, ms: Date.now() - started };
}

/** A collector misbehaving as `answer` says; every request it got is counted. */
async function collector(answer: (response: ServerResponse) => void): Promise<{ url: string; requests: () => number }> {
  let requests = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((request, response) => {
    requests += 1;
    request.resume();
    request.on('end', () => answer(response));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => requests };
}

async function withProvider(): Promise<void> {
  const server = await startFakeOpenAiServer({ models: ['m1'], script: Array.from({ length: 8 }, (_, index) => ({ reply: `answer ${index}` })) });
  closers.push(() => server.close());
  const added = await sc('providers', 'add', '--id', 'box', '--type', 'openai', '--local', '--base-url', server.url, '--model', 'm1', '--api-key-env', 'FAKE_KEY', '--json');
  expect(added.code, added.stderr).toBe(0);
}

describe('a collector that misbehaves', () => {
  it('costs a command at most the bounded flush when it never answers, and nothing when nobody listens on it', async () => {
    await withProvider();
    // Warm: the first command of a data folder does more (and the compile cache fills).
    expect((await sc('chat', '--task', 'code', '--prompt', 'warm', '--json')).code).toBe(0);
    const plain = await timed('chat', '--task', 'code', '--prompt', 'untraced', '--json');
    expect(plain.result.code).toBe(0);

    const silent = await collector(() => undefined);
    expect((await sc('settings', 'telemetry', '--on', '--endpoint', silent.url)).code).toBe(0);
    const hung = await timed('chat', '--task', 'code', '--prompt', 'traced', '--json');
    expect(hung.result.code, hung.result.stderr).toBe(0);
    expect(silent.requests()).toBe(1);
    // The flush waits 3 s; before, the exporter's request (10 s idle timeout) and retry timers held the process until the launcher's 2 s fallback ended it.
    expect(hung.ms - plain.ms).toBeLessThan(4_000);

    const gone = await startOtlpReceiver();
    await gone.close();
    expect((await sc('settings', 'telemetry', '--on', '--endpoint', gone.url)).code).toBe(0);
    const down = await timed('chat', '--task', 'code', '--prompt', 'traced again', '--json');
    expect(down.result.code, down.result.stderr).toBe(0);
    // Refused at once, and not tried again while the command ends: no wait at all, beyond loading the SDK.
    expect(down.ms - plain.ms).toBeLessThan(1_500);

    // The log says the export failed, in its own words (the collector's are not repeated).
    const log = readFileSync(join(home, 'logs', 'service-creator-cli.log'), 'utf8');
    const failures = log.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.msg === 'telemetry export failed; later failures are not logged');
    expect(failures.map((line) => line.endpoint)).toEqual([silent.url, gone.url]);
  });

  it('follows no redirect to another host, and reads no body it is answered with', async () => {
    await withProvider();
    const elsewhere = await startOtlpReceiver();
    closers.push(() => elsewhere.close());
    const redirecting = await collector((response) => response.writeHead(307, { location: `${elsewhere.url}/v1/traces` }).end());
    expect((await sc('settings', 'telemetry', '--on', '--endpoint', redirecting.url)).code).toBe(0);
    expect((await sc('chat', '--task', 'code', '--prompt', 'redirected', '--json')).code).toBe(0);
    expect(redirecting.requests()).toBe(1);
    expect(elsewhere.requests).toEqual([]);
    const log = readFileSync(join(home, 'logs', 'service-creator-cli.log'), 'utf8');
    expect(log).toContain('the collector answered with a redirect (307), which is not followed');

    // 200 and then a body without end: the status is enough, the command ends at once.
    const endless = await collector((response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => response.write(Buffer.alloc(64 * 1024, 120)), 5);
      response.on('close', () => clearInterval(timer));
    });
    expect((await sc('settings', 'telemetry', '--on', '--endpoint', endless.url)).code).toBe(0);
    const plain = await timed('chat', '--task', 'code', '--prompt', 'answered endlessly', '--json');
    expect(plain.result.code).toBe(0);
    expect(endless.requests()).toBe(1);
    expect(plain.ms).toBeLessThan(3_000);
  });
});
