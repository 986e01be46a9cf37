import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { reapOrphans } from '../../src-main/sandbox/reapOrphans.ts';
import { ownerLabel, sandboxLabel } from '../../src-main/sandbox/sandboxLabels.ts';
import { leftovers, pythonImage, useSandboxEngine } from './sandboxTestEngine.ts';

const engine = useSandboxEngine();

/** The pid of a process that has ended. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await once(child, 'exit');
  return child.pid!;
}

async function labelledContainer(docker: Docker, owner: string | undefined, cmd = ['true']): Promise<Docker.Container> {
  return docker.createContainer({ Image: pythonImage, Cmd: cmd, Labels: { [sandboxLabel]: '1', ...(owner ? { [ownerLabel]: owner } : {}) }, HostConfig: { NetworkMode: 'none' } });
}

describe('reapOrphans (real engine)', () => {
  it('removes the container and volume of a process killed mid-run', async () => {
    const docker = engine.docker();
    const child = spawn(process.execPath, [fileURLToPath(new URL('./fixtures/crashingRun.ts', import.meta.url))], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await expect.poll(() => output, { timeout: 30_000, interval: 50 }).toContain('running');
    child.kill('SIGKILL');
    await once(child, 'exit');
    const left = await leftovers(docker);
    expect(left.containers).toEqual([expect.stringMatching(/ running$/)]);
    expect(left.volumes).toHaveLength(1);

    const reaped = await reapOrphans(docker);
    expect(reaped).toMatchObject({ containers: [expect.any(String)], volumes: left.volumes, failed: [] });
  });

  it('keeps what a live instance owns and reaps the rest (dead owner, no owner, too old)', async () => {
    const docker = engine.docker();
    const host = hostname();
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)']);
    const made: Docker.Container[] = [];
    try {
      const dead = await labelledContainer(docker, `${host}/${await deadPid()}`, ['sleep', '60']);
      await dead.start();
      const unowned = await labelledContainer(docker, undefined);
      const own = await labelledContainer(docker, `${host}/${process.pid}`);
      const live = await labelledContainer(docker, `${host}/${sleeper.pid}`);
      const elsewhere = await labelledContainer(docker, 'another-host/1');
      made.push(own, live, elsewhere);
      const deadVolume = await docker.createVolume({ Name: `sc-reap-test-dead-${process.pid}`, Labels: { [sandboxLabel]: '1', [ownerLabel]: `${host}/${await deadPid()}` } });
      const liveVolume = await docker.createVolume({ Name: `sc-reap-test-live-${process.pid}`, Labels: { [sandboxLabel]: '1', [ownerLabel]: `${host}/${sleeper.pid}` } });

      const first = await reapOrphans(docker);
      expect(first.containers.sort()).toEqual([dead.id, unowned.id].sort());
      expect(first.volumes).toEqual([deadVolume.name]);
      expect(first.failed).toEqual([]);
      expect((await leftovers(docker)).containers).toHaveLength(3);

      // Three hours on, everything is past the age limit, whoever made it.
      const later = await reapOrphans(docker, { now: () => Date.now() + 3 * 60 * 60 * 1000 });
      expect(later.containers.sort()).toEqual([own.id, live.id, elsewhere.id].sort());
      expect(later.volumes).toEqual([liveVolume.name]);
      made.length = 0;
    } finally {
      sleeper.kill();
      for (const container of made) await container.remove({ force: true }).catch(() => undefined);
    }
  });

  it('does nothing when there is nothing of ours', async () => {
    expect(await reapOrphans(engine.docker())).toEqual({ containers: [], volumes: [], failed: [] });
  });
});
