import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditRepository, type AuditEntry } from '../../../src-main/store/AuditRepository.ts';
import type { HostClock, SendingEntry } from '../../../src-main/store/AuditPending.ts';
import { openDatabase } from '../../../src-main/store/openDatabase.ts';

/**
 * The audit trail's write-ahead: a request off this machine is written before it is sent, so a
 * process killed before its attempt ends still leaves its row, appended by the next process to
 * open the folder as interrupted.
 */

const leaving = (n: number, at = `2026-12-03T10:00:0${n}.000Z`): SendingEntry => ({
  at,
  requestId: `req-${n}`,
  attemptNo: 1,
  task: 'code',
  providerId: 'openai',
  host: 'api.openai.com',
  model: 'gpt-4o-mini',
  bytesSent: 100 * n,
  promptSha256: 'b'.repeat(64),
  redactions: { email: n },
  reason: 'routing for code, choice 1 of 1; key sk-live-0123456789abcdefghijklmnop',
});

function folder() {
  const dir = mkdtempSync(join(tmpdir(), 'sc-audit-pending-'));
  const db = openDatabase(join(dir, 'data.db'));
  const alive = new Set<string>();
  // `clock`: the machine's monotonic clock, as the writer reads it (default: this machine's own).
  const open = (owner: string, now = () => Date.parse('2026-12-03T10:01:00.000Z'), clock?: HostClock) => {
    alive.add(owner);
    return new AuditRepository(db, join(dir, 'audit-head.json'), { pending: { owner, ownerAlive: (token) => alive.has(token), now, ...(clock ? { clock } : {}) } });
  };
  const pendingRows = () => db.prepare('SELECT request_id, owner FROM audit_pending ORDER BY request_id').all();
  return { db, open, alive, pendingRows };
}

describe('the audit trail written ahead', () => {
  it('a request written ahead is replaced by its row when its attempt ends: one row, with its outcome', () => {
    const { db, open, pendingRows } = folder();
    const audit = open('core-a');
    audit.sending(leaving(1));
    expect(pendingRows()).toEqual([{ request_id: 'req-1', owner: 'core-a' }]);
    const done: AuditEntry = { ...leaving(1), outcome: 'ok', bytesReceived: 42 };
    audit.queue(done);
    db.transaction(() => audit.writeQueued()).immediate();
    audit.committed();
    expect(pendingRows()).toEqual([]);
    expect(audit.list()).toMatchObject([{ seq: 1, requestId: 'req-1', outcome: 'ok', bytesReceived: 42 }]);
    expect(audit.verify()).toEqual({ ok: true, rows: 1 });
  });

  it('what a writer that is gone left is appended as interrupted by the next to open the folder, once, keys scrubbed; a live writer\'s is left alone', () => {
    const { open, alive, pendingRows } = folder();
    const killed = open('core-killed');
    killed.sending(leaving(1));
    killed.sending(leaving(2));
    const working = open('core-working');
    working.sending(leaving(3));
    alive.delete('core-killed');
    const next = open('core-next');
    const rows = next.list();
    expect(rows.map((row) => [row.seq, row.requestId, row.outcome, row.bytesSent, row.bytesReceived])).toEqual([
      [2, 'req-2', 'interrupted', 200, 0],
      [1, 'req-1', 'interrupted', 100, 0],
    ]);
    expect(rows[0]).toMatchObject({ host: 'api.openai.com', model: 'gpt-4o-mini', redactions: { email: 2 }, promptSha256: 'b'.repeat(64) });
    expect(JSON.stringify(rows)).not.toContain('sk-live-0123456789abcdefghijklmnop');
    expect(pendingRows()).toEqual([{ request_id: 'req-3', owner: 'core-working' }]);
    // Another reader finds nothing more to take: each row is appended once.
    expect(open('core-other').list()).toHaveLength(2);
    expect(next.verify()).toEqual({ ok: true, rows: 2 });
  });

  it('one older than any call may take is left behind whoever wrote it (a process of another machine sharing the folder)', () => {
    const { open } = folder();
    const far = open('core-elsewhere', undefined, { id: 'another machine', now: () => 5_000 });
    far.sending(leaving(1, '2026-12-03T07:00:00.000Z'));
    far.sending(leaving(2, '2026-12-03T09:59:00.000Z'));
    expect(open('core-here').list().map((row) => [row.requestId, row.outcome])).toEqual([['req-1', 'interrupted']]);
  });
});

describe('the audit trail written ahead when the wall clock jumps', () => {
  const at = (iso: string) => () => Date.parse(iso);

  it("a live writer's request is not taken as left behind when the wall clock jumps 3 h forward during its call (a machine woken from sleep, a clock corrected)", () => {
    const { open, pendingRows } = folder();
    let monotonic = 7_000_000;
    const clock: HostClock = { id: 'this boot', now: () => monotonic };
    const working = open('core-working', at('2026-12-03T10:00:01.000Z'), clock);
    working.sending(leaving(1));
    monotonic += 60_000; // a minute later, by the machine's clock; the wall clock says 3 h
    expect(open('core-here', at('2026-12-03T13:01:01.000Z'), clock).list()).toEqual([]);
    expect(pendingRows()).toEqual([{ request_id: 'req-1', owner: 'core-working' }]);
  });

  it('one older than any call may take is left behind though the wall clock was set back a day since it was written (its writer cannot be told gone: its process id is in use again)', () => {
    const { open, pendingRows } = folder();
    let monotonic = 7_000_000;
    const clock: HostClock = { id: 'this boot', now: () => monotonic };
    const reused = open('core-whose-pid-lives-on', at('2026-12-03T10:00:01.000Z'), clock);
    reused.sending(leaving(1));
    monotonic += 2 * 60 * 60 * 1000 + 60_000; // 2 h 1 min later; the wall clock went back a day meanwhile
    const rows = open('core-here', at('2026-12-02T12:01:01.000Z'), clock).list();
    expect(rows.map((row) => [row.requestId, row.outcome])).toEqual([['req-1', 'interrupted']]);
    expect(pendingRows()).toEqual([]);
  });

  it("a row of another machine (or of this one before it restarted) is aged by the wall clocks: the writer's time against the reader's", () => {
    const { open } = folder();
    let monotonic = 7_000_000;
    const here: HostClock = { id: 'this boot', now: () => monotonic };
    const far = open('core-elsewhere', at('2026-12-03T07:00:00.000Z'), { id: 'another machine', now: () => 1 });
    far.sending(leaving(1, '2026-12-03T07:00:00.000Z'));
    // Same id, but its clock reads ahead of this one's: written before this machine restarted.
    const before = open('core-before-restart', at('2026-12-03T09:59:00.000Z'), { id: 'this boot', now: () => monotonic + 1_000 });
    before.sending(leaving(2, '2026-12-03T07:30:00.000Z'));
    before.sending(leaving(3, '2026-12-03T09:59:00.000Z'));
    monotonic += 1;
    expect(open('core-here', at('2026-12-03T10:01:00.000Z'), here).list().map((row) => [row.requestId, row.outcome])).toEqual([
      ['req-2', 'interrupted'],
      ['req-1', 'interrupted'],
    ]);
  });
});
