// An export to a collector that keeps refusing is tried again only within its time: a clock set
// back during it must not stretch that time by as much as the clock went back.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { postSpans } from '../../../src-main/observability/postSpans.ts';

describe('postSpans when the clock is set back', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    vi.useRealTimers();
    for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
  });

  it('gives up on a collector answering 503 within its time though the clock went back an hour at the first try', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.parse('2026-12-03T12:00:00.000Z'));
    let tries = 0;
    const server = createServer((req, res) => {
      tries += 1;
      if (tries === 1) vi.setSystemTime(Date.now() - 3_600_000);
      req.resume();
      res.writeHead(503).end();
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const started = performance.now();
    const outcome = await postSpans(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`, new TextEncoder().encode('{}'), {
      timeoutMs: 1_200,
      signal: new AbortController().signal,
      mayRetry: () => true,
      userAgent: 'test',
    });
    expect(outcome).toMatchObject({ ok: false });
    expect(performance.now() - started).toBeLessThan(2_500);
    expect(tries).toBeLessThanOrEqual(3);
  }, 10_000);
});
