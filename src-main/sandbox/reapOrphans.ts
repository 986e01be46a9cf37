import { hostname } from 'node:os';
import type Docker from 'dockerode';
import { ownerLabel, sandboxLabel } from './sandboxLabels.ts';

export interface ReapOrphansOptions {
  /** This machine's name as owner labels spell it; default `os.hostname()`. */
  host?: string;
  /** This process's id: its own containers are never orphans. Default `process.pid`. */
  pid?: number;
  /** Whether a process of this host still runs; default `process.kill(pid, 0)`. */
  isAlive?: (pid: number) => boolean;
  now?: () => number;
  /**
   * Anything of ours older than this goes whoever made it (another host's instance, a reused pid):
   * longer than the longest run the limits allow (1 h). Default 2 h.
   */
  maxAgeMs?: number;
}

export interface ReapOrphansResult {
  /** Ids of the containers removed. */
  containers: string[];
  /** Names of the volumes removed. */
  volumes: string[];
  /** What could not be removed, with the engine's reason. */
  failed: string[];
}

/**
 * Removes sandbox containers and volumes (label `service-creator.sandbox=1`) that a crashed or
 * killed instance left behind. Called at start. An object is an orphan when its owner label is
 * missing, names a process of this host that is gone, or it is older than `maxAgeMs`; a live
 * instance's runs (the app while the CLI starts) are left alone.
 */
export async function reapOrphans(docker: Docker, options: ReapOrphansOptions = {}): Promise<ReapOrphansResult> {
  const host = options.host ?? hostname();
  const ownPid = options.pid ?? process.pid;
  const isAlive = options.isAlive ?? processIsAlive;
  const now = options.now ?? Date.now;
  const maxAgeMs = options.maxAgeMs ?? 2 * 60 * 60 * 1000;
  const isOrphan = (labels: Record<string, string> | null | undefined, createdMs: number): boolean => {
    if (Number.isFinite(createdMs) && now() - createdMs > maxAgeMs) return true;
    const match = /^(.*)\/(\d+)$/.exec(labels?.[ownerLabel] ?? '');
    if (!match) return true;
    const [, ownerHost, ownerPid] = match;
    if (ownerHost !== host) return false;
    const pid = Number(ownerPid);
    return pid !== ownPid && !isAlive(pid);
  };

  const result: ReapOrphansResult = { containers: [], volumes: [], failed: [] };
  const filters = { label: [`${sandboxLabel}=1`] };
  const containers = await docker.listContainers({ all: true, filters });
  for (const info of containers) {
    if (!isOrphan(info.Labels, info.Created * 1000)) continue;
    try {
      await docker.getContainer(info.Id).remove({ force: true, v: true });
      result.containers.push(info.Id);
    } catch (error) {
      if (statusOf(error) !== 404) result.failed.push(`container ${info.Id.slice(0, 12)}: ${reason(error)}`);
    }
  }
  const { Volumes: volumes } = await docker.listVolumes({ filters });
  for (const info of volumes ?? []) {
    const createdAt = (info as { CreatedAt?: string }).CreatedAt;
    if (!isOrphan(info.Labels, createdAt ? Date.parse(createdAt) : Number.NaN)) continue;
    try {
      await docker.getVolume(info.Name).remove();
      result.volumes.push(info.Name);
    } catch (error) {
      // 409: still mounted by a container we kept (a live instance's run).
      const status = statusOf(error);
      if (status !== 404 && status !== 409) result.failed.push(`volume ${info.Name}: ${reason(error)}`);
    }
  }
  return result;
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function statusOf(error: unknown): number | undefined {
  return (error as { statusCode?: number }).statusCode;
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message.trim() : String(error);
}
