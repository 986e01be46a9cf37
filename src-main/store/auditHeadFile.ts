import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { privateFileMode } from '../paths/keepPrivate.ts';

// The audit trail's head file: the row number and hash of the last row written, kept outside
// the database so that rows deleted from its end are noticed (AuditRepository.verify).

export type AuditHead = { kind: 'ok'; seq: number; hash: string } | { kind: 'missing' } | { kind: 'unreadable' } | { kind: 'none' };

/** The head file: its row number and hash; 'missing' or 'unreadable' (not what the app writes); 'none' without a head file. */
export function readAuditHead(file: string | undefined): AuditHead {
  if (file === undefined) return { kind: 'none' };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? { kind: 'missing' } : { kind: 'unreadable' };
  }
  try {
    const parsed = JSON.parse(text) as { seq?: unknown; hash?: unknown };
    if (Number.isSafeInteger(parsed.seq) && (parsed.seq as number) >= 0 && typeof parsed.hash === 'string' && /^[0-9a-f]{64}$/.test(parsed.hash)) return { kind: 'ok', seq: parsed.seq as number, hash: parsed.hash };
  } catch {
    // not JSON: changed by hand
  }
  return { kind: 'unreadable' };
}

/**
 * Replaces the head file with `head`, never moving it back: another process may have written a
 * later row's head since this one's came due (the trail is append-only, so a head naming a later
 * row is the newer), and a head moved back would let that process's rows be cut off unseen.
 * Nor past a row that is no longer the one it names (`stillThere` says whether it is): rows cut off
 * the end (or rewritten) while this process was not looking, then appended again past the old
 * end, would otherwise take the head with them and verify would say intact; the head that names
 * the row as written stays, and verify names it. Called under SQLite's write lock where it can be
 * had (AuditRepository.flush).
 */
export function replaceAuditHead(file: string, { seq, hash }: { seq: number; hash: string }, stillThere: (seq: number, hash: string) => boolean = () => true): void {
  const current = readAuditHead(file);
  if (current.kind === 'ok' && (current.seq >= seq || (current.seq > 0 && !stillThere(current.seq, current.hash)))) return;
  const temporary = `${file}.${process.pid}.tmp`;
  // Made afresh ('wx'): whatever is at that name (a file left by a process of the same id, a
  // link planted there) is removed, never written through.
  rmSync(temporary, { force: true });
  try {
    writeFileSync(temporary, `${JSON.stringify({ seq, hash })}\n`, { mode: privateFileMode, flag: 'wx' });
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
