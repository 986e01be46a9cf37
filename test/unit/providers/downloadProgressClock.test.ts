import { randomFillSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EventBus } from '../../../src-main/events/EventBus.ts';
import { ModelService } from '../../../src-main/providers/ModelService.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

interface Progress {
  state: string;
  downloadedBytes: number;
}

const MiB = 1024 * 1024;

/** A loopback server sending a 4 MiB "model" (GGUF magic, random bytes) a MiB at a time, 80 ms apart. */
async function slowModelServer(): Promise<{ url: string; server: Server }> {
  const body = randomFillSync(Buffer.alloc(4 * MiB));
  body.write('GGUF', 0, 'latin1');
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(body.length) });
    let sent = 0;
    const next = () => {
      if (sent >= body.length) return void res.end();
      res.write(body.subarray(sent, sent + MiB));
      sent += MiB;
      setTimeout(next, 80);
    };
    next();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/tiny.gguf`, server };
}

describe('model download progress when the clock is set back', () => {
  const tempDir = useTempDirs();
  const servers: Server[] = [];
  afterEach(async () => {
    vi.useRealTimers();
    for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
  });

  it('keeps going out as bytes arrive after the clock went back an hour mid-download (not held for the hour)', async () => {
    const { url, server } = await slowModelServer();
    servers.push(server);
    const bus = new EventBus();
    const events: Progress[] = [];
    bus.subscribe((name, payload) => {
      if (name === 'models.downloadProgress') events.push(payload as Progress);
    });
    const modelsDir = tempDir('sc-download-clock-');
    const models = new ModelService({ bus, modelsDir, modelDirs: [modelsDir], progressIntervalMs: 20 });
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = Date.parse('2026-12-03T12:00:00.000Z');
    vi.setSystemTime(start);
    const { done } = models.download(url);
    await vi.waitUntil(() => events.some((event) => event.downloadedBytes > 0), { timeout: 5_000, interval: 1 });
    vi.setSystemTime(start - 3_600_000);
    await done;
    const during = events.filter((event) => event.state === 'running' && event.downloadedBytes > 0 && event.downloadedBytes < 4 * MiB);
    expect(new Set(during.map((event) => event.downloadedBytes)).size).toBeGreaterThanOrEqual(2);
    expect(events.at(-1)).toMatchObject({ state: 'done', downloadedBytes: 4 * MiB });
  });
});
