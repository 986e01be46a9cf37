import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { singleTargetRouter } from '../../support/singleTargetRouter.ts';
import { adapterFor, adapterTypes, startAnswer, type AdapterType } from '../../support/streamedAnswer.ts';
import type { AppError } from '../../../src-shared/AppError.ts';

// A call cancelled, or given up on by the router's first-token timeout, over the adapters'
// transport (providerFetch) ends as it did over fetch: the same error, the same attempt kinds,
// and the connection closed on the server's side (nothing left streaming to nobody).

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

type Stall = 'no headers' | 'no first chunk' | 'after the first chunk';

async function stallingServer(type: AdapterType, stall: Stall): Promise<{ url: string; open: () => number; requests: () => number }> {
  const live = new Set<Socket>();
  let requests = 0;
  const server = createServer((req, res) => {
    req.resume();
    requests += 1;
    if (stall === 'no headers') return;
    if (stall === 'no first chunk') {
      res.writeHead(200, { 'content-type': type === 'ollama' ? 'application/x-ndjson' : 'text/event-stream' });
      return void res.flushHeaders();
    }
    startAnswer(type, res, 'a');
  });
  server.on('connection', (socket: Socket) => {
    live.add(socket);
    socket.on('close', () => live.delete(socket));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, open: () => live.size, requests: () => requests };
}

async function until(check: () => boolean, ms = 2_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 5));
  return check();
}

async function routed(type: AdapterType, stall: Stall, how: 'cancel' | 'first-token timeout', fetch?: typeof globalThis.fetch) {
  const server = await stallingServer(type, stall);
  const { router, attempts } = singleTargetRouter(adapterFor(type, server.url, fetch), { baseDelayMs: 1, maxDelayMs: 2, random: () => 1, firstTokenTimeoutMs: 300 }, { type });
  const controller = new AbortController();
  const request = router.chat({
    task: 'code',
    messages: [{ role: 'user', content: 'hi' }],
    signal: controller.signal,
    // Cancelled once the request is on the server (and, mid-stream, once its first text came).
    onEvent: (event) => {
      if (how === 'cancel' && event.type === 'text') controller.abort();
    },
  });
  if (how === 'cancel' && stall !== 'after the first chunk') void until(() => server.requests() > 0).then(() => setTimeout(() => controller.abort(), 20));
  const error = (await request.then(
    () => undefined,
    (failure: unknown) => failure,
  )) as AppError & { kind?: string };
  const closed = await until(() => server.open() === 0);
  return { code: error?.code, message: error?.message, attempts: attempts.map((attempt) => [attempt.outcome, attempt.errorKind]), closed, requests: server.requests() };
}

describe('cancellation and first-token timeouts through the router', () => {
  const cases: [Stall, 'cancel' | 'first-token timeout'][] = [
    ['no headers', 'cancel'],
    ['after the first chunk', 'cancel'],
    ['no headers', 'first-token timeout'],
    ['no first chunk', 'first-token timeout'],
  ];
  for (const type of adapterTypes) {
    for (const [stall, how] of cases) {
      it(`${type}, ${how} with the server stalled (${stall}): as over fetch, and the connection closed`, async () => {
        const now = await routed(type, stall, how);
        const before = await routed(type, stall, how, globalThis.fetch);
        if (how === 'cancel') {
          expect(now.code).toBe('CANCELLED');
          expect(now.attempts).toEqual([['cancelled', 'cancelled']]);
        } else {
          expect(now.code).toBe('NO_ROUTE');
          expect(now.message).toContain('p/m: error (timeout): no first token within 300 ms');
          expect(now.attempts).toEqual([['error', 'timeout']]);
        }
        expect(now.requests).toBe(1);
        expect(now.closed).toBe(true);
        expect(now).toEqual(before);
      });
    }
  }
});
