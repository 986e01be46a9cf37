import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { singleTargetRouter } from '../../support/singleTargetRouter.ts';
import { adapterFor, adapterTypes, chatText, startAnswer, type AdapterType } from '../../support/streamedAnswer.ts';

// The connections under the model adapters (providerFetch, undici's request API) met as a user's
// server meets them: many calls, cancelled ones and error answers among them, servers that drop
// idle connections, many streams at once. Each is compared with the transport the adapters had
// before (`fetch: globalThis.fetch`) where that says more than a count.

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function listen(server: Server | ReturnType<typeof createNetServer>): Promise<{ url: string; sockets: () => number; open: () => number }> {
  let sockets = 0;
  const live = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets += 1;
    live.add(socket);
    socket.on('close', () => live.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of live) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sockets: () => sockets, open: () => live.size };
}

describe('200 calls, every other one cancelled in the middle of its answer, every third answered 503 with a body', () => {
  for (const type of adapterTypes) {
    it(`${type}: the server sees a bounded number of connections, and a normal call works afterwards`, async () => {
      const run = async (fetch?: typeof globalThis.fetch) => {
        let n = 0;
        const server = createServer((req, res) => {
          req.resume();
          if (n++ % 3 === 2) return void res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `busy ${'x'.repeat(4000)}` } }));
          const end = startAnswer(type, res, 'a');
          const timer = setTimeout(() => end('b'), 15);
          res.on('close', () => clearTimeout(timer));
        });
        const { url, sockets, open } = await listen(server);
        const provider = adapterFor(type, url, fetch);
        const outcomes: Record<string, number> = {};
        for (let i = 0; i < 200; i += 1) {
          const controller = new AbortController();
          let kind = 'ok';
          try {
            for await (const chunk of provider.chat({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }, controller.signal)) if (chunk.type === 'text' && i % 2 === 1) controller.abort();
          } catch (error) {
            kind = (error as { kind: string }).kind;
          }
          outcomes[kind] = (outcomes[kind] ?? 0) + 1;
        }
        n = 0; // the next answer is a whole one
        const after = await chatText(provider);
        return { outcomes, sockets: sockets(), open: open(), after };
      };
      const now = await run();
      const before = await run(globalThis.fetch);
      expect(now.outcomes).toEqual({ ok: 67, cancelled: 67, server: 66 });
      expect(now.outcomes).toEqual(before.outcomes);
      // A cancelled stream closes its connection; every other one is reused.
      expect(now.sockets).toBeLessThanOrEqual(67 + 5);
      expect(now.sockets).toBeLessThanOrEqual(before.sockets + 2);
      expect(now.open).toBeLessThanOrEqual(5);
      expect(now.after).toEqual({ text: 'ab' });
    }, 30_000);
  }
});

describe('a server that closes idle connections at once', () => {
  it('(keepAliveTimeout 1 ms) calls made 5 ms apart all succeed, on each adapter', async () => {
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => startAnswer(type, res, 'a')('b'));
    });
    server.keepAliveTimeout = 1;
    let type: AdapterType = 'openai';
    const { url } = await listen(server);
    for (type of adapterTypes) {
      const provider = adapterFor(type, url);
      for (let i = 0; i < 30; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        expect(await chatText(provider)).toEqual({ text: 'ab' });
      }
    }
  }, 30_000);

  it('a POST sent on a kept-alive connection the server drops unanswered fails as a connection that broke off, as before, and the router retries it on a fresh one', async () => {
    // Keeps each connection alive after its first answer (no Keep-Alive hint), and drops it when a second request comes on it.
    const body = `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'ok' }, finish_reason: 'stop' }] })}\n\n`;
    const server = createNetServer((socket) => {
      let answered = false;
      let head = '';
      socket.on('error', () => undefined);
      socket.on('data', (data: Buffer) => {
        head += data.toString('latin1');
        const end = head.indexOf('\r\n\r\n');
        const length = Number(/content-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        if (end < 0 || head.length < end + 4 + length) return;
        head = '';
        if (answered) return void socket.destroy();
        answered = true;
        socket.write(`HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: keep-alive\r\n\r\n${body}`);
      });
    });
    const { url } = await listen(server);
    const outcomes = [];
    for (const fetch of [undefined, globalThis.fetch]) {
      const provider = adapterFor('openai', url, fetch);
      const each = [];
      for (let i = 0; i < 4; i += 1) each.push(await chatText(provider));
      outcomes.push(each);
    }
    // Which call meets a dropped connection depends on when the adapter lets one go; the same under both transports.
    const failed = outcomes[0]!.filter((outcome) => outcome.kind !== undefined);
    expect(failed.length).toBeGreaterThan(0);
    for (const failure of failed) expect(failure).toMatchObject({ text: '', kind: 'connection', message: expect.stringMatching(/the connection broke off\. Is the server running/) });
    expect(outcomes[0]).toEqual(outcomes[1]);

    const { router, attempts } = singleTargetRouter(adapterFor('openai', url), { baseDelayMs: 1, maxDelayMs: 2, random: () => 1 });
    for (let i = 0; i < 4; i += 1) expect((await router.chat({ task: 'code', messages: [{ role: 'user', content: 'hi' }] })).text).toBe('ok');
    const tried = attempts.map((attempt) => `${attempt.outcome}${attempt.errorKind ? ` ${attempt.errorKind}` : ''}`).join(', ');
    // Each call was answered; a try that met a dropped connection was a connection failure, retried on another.
    expect(tried).toMatch(/error connection, ok/);
    expect(tried.replace(/error connection, /g, '')).toBe('ok, ok, ok, ok');
  }, 30_000);
});

describe('many streams at once', () => {
  for (const type of adapterTypes) {
    it(`${type}: 50 concurrent streams to one server all complete, whole and in order`, async () => {
      let inFlight = 0;
      let most = 0;
      // Every answer waits until all 50 requests are in (10 s at most): on a loaded machine the first
      // ones could otherwise end before the last arrive, and "all at once" would not be what is measured.
      let allIn: () => void = () => undefined;
      const allArrived = new Promise<void>((resolve) => (allIn = resolve));
      setTimeout(() => allIn(), 10_000).unref();
      const server = createServer(async (req, res) => {
        req.resume();
        inFlight += 1;
        most = Math.max(most, inFlight);
        if (inFlight === 50) allIn();
        await allArrived;
        const end = startAnswer(type, res, '0');
        let i = 0;
        const timer = setInterval(() => {
          i += 1;
          if (i < 10) return void res.write(type === 'ollama' ? `${JSON.stringify({ model: 'm', message: { role: 'assistant', content: String(i) }, done: false })}\n` : type === 'anthropic' ? `event: content_block_delta\ndata: ${JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: String(i) } })}\n\n` : `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: String(i) } }] })}\n\n`);
          clearInterval(timer);
          inFlight -= 1;
          end('.');
        }, 10);
        res.on('close', () => clearInterval(timer));
      });
      const { url } = await listen(server);
      const provider = adapterFor(type, url);
      const answers = await Promise.all(Array.from({ length: 50 }, () => chatText(provider, AbortSignal.timeout(20_000))));
      expect(new Set(answers.map((answer) => JSON.stringify(answer)))).toEqual(new Set([JSON.stringify({ text: '0123456789.' })]));
      expect(most).toBe(50);
    }, 30_000);
  }
});
