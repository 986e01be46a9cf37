// `serve` stops promptly on SIGTERM while a model download hangs on a host that never answers
// (issue 12: it ignored SIGTERM and the download stayed "running" forever). The real CLI process,
// driven over its bridge as the UI does; the host is a loopback server that accepts and stalls.
import { afterEach, describe, expect, it } from 'vitest';
import { connectClient } from '../support/bridgeClient.ts';
import { startBin, type RunningCli } from '../support/cliProcess.ts';
import { startStallingServer, type StallingServer } from '../support/stallingServer.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

const running: RunningCli[] = [];
const servers: StallingServer[] = [];
afterEach(async () => {
  for (const cli of running.splice(0)) cli.child.kill('SIGKILL');
  for (const server of servers.splice(0)) await server.close();
  removeTempDirs();
});

describe('serve with a download that hangs', () => {
  for (const mode of ['silent', 'headers'] as const) {
    it(`exits within seconds of SIGTERM (${mode === 'silent' ? 'the host never answers' : 'the host stalls after the headers'})`, async () => {
      const server = await startStallingServer(mode);
      servers.push(server);
      const serve = startBin(['serve', '--json'], { SERVICE_CREATOR_HOME: createTempDir('sc-int-serve-stop-') });
      running.push(serve);
      const listening = await serve.waitForJson<{ url: string; port: number }>('listening');
      const client = await connectClient(listening.port, listening.url.split('#token=')[1] as string);
      expect(await client.invoke('models.download', { uri: server.url })).toMatchObject({ ok: true });
      // The download is under way: the host has the connection and answers nothing (more).
      for (let waited = 0; server.connections() === 0 && waited < 5_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(server.connections()).toBeGreaterThan(0);
      await new Promise((resolve) => setTimeout(resolve, 500));

      const stoppedAt = Date.now();
      serve.child.kill('SIGTERM');
      const exited = await serve.exited;
      expect(Date.now() - stoppedAt, serve.stderr()).toBeLessThan(6_000);
      expect(exited.code).toBe(0);
      await client.close().catch(() => undefined);
    }, 60_000);
  }
});
