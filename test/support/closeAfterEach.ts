import type { Database } from 'better-sqlite3';
import { afterEach } from 'vitest';
import type { Core } from '../../src-main/core/createCore.ts';
import type { FakeServer } from './fakes/fakeOpenAiServer.ts';
import type { CallingProcess } from './startCallingProcess.ts';

/**
 * Lists a test fills with what it started (child processes, cores, fake servers, extra database
 * connections); after each test the children are killed and the rest closed, in that order.
 */
export function closeAfterEach(): { servers: FakeServer[]; cores: Core[]; children: CallingProcess[]; connections: Database[] } {
  const started = { servers: [] as FakeServer[], cores: [] as Core[], children: [] as CallingProcess[], connections: [] as Database[] };
  afterEach(async () => {
    for (const child of started.children.splice(0)) {
      child.child.kill('SIGKILL');
      await child.exited;
    }
    for (const core of started.cores.splice(0)) await core.dispose();
    for (const server of started.servers.splice(0)) await server.close();
    for (const db of started.connections.splice(0)) db.close();
  });
  return started;
}
