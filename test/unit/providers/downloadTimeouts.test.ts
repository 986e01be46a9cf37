import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../../src-main/events/EventBus.ts';
import { ModelService } from '../../../src-main/providers/ModelService.ts';
import { startStallingServer, type StallingServer } from '../../support/stallingServer.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

interface Progress {
  state: string;
  downloadedBytes: number;
  message?: string;
}

/**
 * Issue 12: a download from a host that never answers stayed "running" at 0 bytes forever.
 * Downloads fail in words after a connect or idle timeout (shortened here), and a cancel while
 * connecting ends them at once.
 */
describe('model downloads that cannot get through', () => {
  const tempDir = useTempDirs();
  const servers: StallingServer[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close();
  });

  function service(timeouts: { connectMs: number; idleMs: number }): { models: ModelService; events: Progress[] } {
    const bus = new EventBus();
    const events: Progress[] = [];
    bus.subscribe((name, payload) => {
      if (name === 'models.downloadProgress') events.push(payload as Progress);
    });
    const modelsDir = tempDir('sc-download-');
    return { models: new ModelService({ bus, modelsDir, modelDirs: [modelsDir], progressIntervalMs: 0, downloadTimeouts: timeouts }), events };
  }

  it('a host that accepts and never answers: failed, in words, after the connect timeout', async () => {
    const server = await startStallingServer('silent');
    servers.push(server);
    const { models, events } = service({ connectMs: 400, idleMs: 400 });
    const started = Date.now();
    await models.download(server.url).done;
    expect(Date.now() - started).toBeLessThan(5_000);
    const last = events.at(-1);
    expect(last).toMatchObject({ state: 'failed', downloadedBytes: 0 });
    expect(last?.message).toMatch(/cannot reach 127\.0\.0\.1:\d+: no answer within 0\.4 s/);
    expect(last?.message).toContain('download the file on a connected machine and import it');
    expect(server.connections()).toBeGreaterThan(0);
  });

  it('a host that sends headers and then stalls: failed, in words, after the idle timeout', async () => {
    const server = await startStallingServer('headers');
    servers.push(server);
    const { models, events } = service({ connectMs: 2_000, idleMs: 600 });
    const started = Date.now();
    await models.download(server.url).done;
    expect(Date.now() - started).toBeLessThan(8_000);
    const last = events.at(-1);
    expect(last?.state).toBe('failed');
    expect(last?.message).toMatch(/cannot reach 127\.0\.0\.1:\d+: no data for 0\.6 s/);
  });

  it('cancel while connecting ends it at once as cancelled, never "running" forever', async () => {
    const server = await startStallingServer('silent');
    servers.push(server);
    const { models, events } = service({ connectMs: 60_000, idleMs: 60_000 });
    const { downloadId, done } = models.download(server.url);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    await models.cancel(downloadId);
    await done;
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(events.at(-1)?.state).toBe('cancelled');
  });
});
