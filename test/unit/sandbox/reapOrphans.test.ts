import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { reapOrphans } from '../../../src-main/sandbox/reapOrphans.ts';

interface FakeObject {
  id: string;
  owner?: string;
  createdMs: number;
  removeError?: { statusCode: number; message: string };
}

/** Just the calls reapOrphans makes, over lists of containers and volumes. */
function fakeDocker(containers: FakeObject[], volumes: FakeObject[]) {
  const removed: string[] = [];
  const labels = (object: FakeObject) => ({ 'service-creator.sandbox': '1', ...(object.owner ? { 'service-creator.owner': object.owner } : {}) });
  const remover = (object: FakeObject | undefined, name: string) => ({
    remove: async () => {
      if (object?.removeError) throw Object.assign(new Error(object.removeError.message), { statusCode: object.removeError.statusCode });
      removed.push(name);
    },
  });
  const docker = {
    listContainers: async (options: { all: boolean; filters: unknown }) => {
      expect(options).toEqual({ all: true, filters: { label: ['service-creator.sandbox=1'] } });
      return containers.map((container) => ({ Id: container.id, Labels: labels(container), Created: Math.floor(container.createdMs / 1000) }));
    },
    listVolumes: async () => ({ Volumes: volumes.map((volume) => ({ Name: volume.id, Labels: labels(volume), CreatedAt: new Date(volume.createdMs).toISOString() })) }),
    getContainer: (id: string) => remover(containers.find((container) => container.id === id), `container ${id}`),
    getVolume: (name: string) => remover(volumes.find((volume) => volume.id === name), `volume ${name}`),
  };
  return { docker: docker as unknown as Docker, removed };
}

const now = Date.parse('2026-11-22T12:00:00Z');
const minutesAgo = (minutes: number) => now - minutes * 60_000;
const options = { host: 'box', pid: 100, isAlive: (pid: number) => pid === 200, now: () => now };

describe('reapOrphans', () => {
  it('reaps what a dead process of this host or nobody owns, keeps live, own and other hosts’ recent runs', async () => {
    const { docker, removed } = fakeDocker(
      [
        { id: 'dead', owner: 'box/300', createdMs: minutesAgo(5) },
        { id: 'unowned', createdMs: minutesAgo(5) },
        { id: 'garbled', owner: 'not an owner', createdMs: minutesAgo(5) },
        { id: 'own', owner: 'box/100', createdMs: minutesAgo(5) },
        { id: 'live', owner: 'box/200', createdMs: minutesAgo(5) },
        { id: 'other-host', owner: 'laptop/300', createdMs: minutesAgo(5) },
        { id: 'old-other-host', owner: 'laptop/300', createdMs: minutesAgo(180) },
        { id: 'old-live', owner: 'box/200', createdMs: minutesAgo(121) },
      ],
      [
        { id: 'vol-dead', owner: 'box/300', createdMs: minutesAgo(5) },
        { id: 'vol-live', owner: 'box/200', createdMs: minutesAgo(5) },
      ],
    );
    const result = await reapOrphans(docker, options);
    expect(result).toEqual({ containers: ['dead', 'unowned', 'garbled', 'old-other-host', 'old-live'], volumes: ['vol-dead'], failed: [] });
    expect(removed).toEqual(['container dead', 'container unowned', 'container garbled', 'container old-other-host', 'container old-live', 'volume vol-dead']);
  });

  it('skips what is already gone or still in use, and reports other failures', async () => {
    const { docker } = fakeDocker(
      [
        { id: 'gone', createdMs: minutesAgo(5), removeError: { statusCode: 404, message: 'No such container' } },
        { id: 'stuck', createdMs: minutesAgo(5), removeError: { statusCode: 500, message: 'driver failed removing' } },
      ],
      [
        { id: 'in-use', createdMs: minutesAgo(5), removeError: { statusCode: 409, message: 'volume is in use' } },
        { id: 'broken', createdMs: minutesAgo(5), removeError: { statusCode: 500, message: 'disk on fire' } },
      ],
    );
    expect(await reapOrphans(docker, options)).toEqual({ containers: [], volumes: [], failed: ['container stuck: driver failed removing', 'volume broken: disk on fire'] });
  });

  it('uses a shorter or longer age limit when given one', async () => {
    const { docker } = fakeDocker([{ id: 'other-host', owner: 'laptop/1', createdMs: minutesAgo(30) }], []);
    expect((await reapOrphans(docker, { ...options, maxAgeMs: 20 * 60_000 })).containers).toEqual(['other-host']);
    expect((await reapOrphans(docker, { ...options, maxAgeMs: 60 * 60_000 })).containers).toEqual([]);
  });
});
