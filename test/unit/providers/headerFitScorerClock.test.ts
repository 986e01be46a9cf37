// A GGUF header that could not be read is tried again after a while; a clock set back since the
// failure must not keep it failing until the clock passes the failure's time again.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HeaderFitScorer } from '../../../src-main/providers/catalog/HeaderFitScorer.ts';
import type { HardwareInfo } from '../../../src-shared/domain/hardware.ts';

const hardware: HardwareInfo = { gpu: false, vramBytes: 0, ramBytes: 16 * 1024 ** 3, freeRamBytes: 8 * 1024 ** 3, cores: 8, source: 'override' };

describe('HeaderFitScorer when the clock is set back', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
  });

  it('reads a header that failed again once the clock went back an hour, as it does once the failure is 5 minutes old', async () => {
    let asked = 0;
    const server = createServer((_req, res) => {
      asked += 1;
      res.writeHead(503).end('starting');
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/model.gguf`;
    let now = 10_000_000;
    const scorer = new HeaderFitScorer({ readTimeoutMs: 5_000, now: () => now });
    await expect(scorer.score(url, hardware)).rejects.toThrow();
    const first = asked;
    expect(first).toBeGreaterThan(0);
    now += 60_000;
    await expect(scorer.score(url, hardware)).rejects.toThrow();
    expect(asked).toBe(first); // remembered for 5 minutes
    now -= 3_600_000;
    await expect(scorer.score(url, hardware)).rejects.toThrow();
    expect(asked).toBeGreaterThan(first);
  }, 30_000);
});
