import { randomUUID } from 'node:crypto';

/** Owners (cores) of this process that are still open. */
const open = new Set<string>();

/**
 * Who is working on a stored run: `pid:uuid` of one core. Another process (the app, `serve`, a
 * CLI) opening the same data folder must not take a run over while its owner still works on it,
 * and a run whose owner is gone (closed, crashed, killed) is recovered.
 */
export interface ProcessOwner {
  token: string;
  release(): void;
}

export function claimOwner(): ProcessOwner {
  const token = `${process.pid}:${randomUUID()}`;
  open.add(token);
  return { token, release: () => void open.delete(token) };
}

/** Whether the owner may still be working: its core is open (this process) or its process lives (another). */
export function ownerAlive(token: string | null | undefined): boolean {
  if (!token) return false;
  const pid = Number(token.split(':')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return open.has(token);
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
