import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AttemptRepository } from '../../../src-main/store/AttemptRepository.ts';
import { AuditRepository, type AuditEntry } from '../../../src-main/store/AuditRepository.ts';
import { openDatabase } from '../../../src-main/store/openDatabase.ts';

const entry = (n: number): AuditEntry => ({
  at: `2026-12-02T10:00:0${n}.000Z`,
  requestId: `req-${n}`,
  attemptNo: 1,
  task: 'code',
  providerId: 'openai',
  host: 'api.openai.com',
  model: 'gpt-4o-mini',
  outcome: 'ok',
  bytesSent: 100 * n,
  bytesReceived: 10 * n,
  promptSha256: 'a'.repeat(64),
  redactions: n === 2 ? { email: 1 } : {},
  reason: 'routing for code, choice 1 of 1',
});

function trail(rows = 5) {
  const dir = mkdtempSync(join(tmpdir(), 'sc-audit-'));
  const db = openDatabase(join(dir, 'data.db'));
  const audit = new AuditRepository(db, join(dir, 'audit-head.json'));
  for (let n = 1; n <= rows; n += 1) audit.append(entry(n));
  return { db, audit, dir };
}

describe('the audit trail', () => {
  it('chains every row to the one before; an untouched trail verifies', () => {
    const { audit } = trail();
    const rows = audit.list(10);
    expect(rows.map((row) => row.seq)).toEqual([5, 4, 3, 2, 1]);
    expect(rows[4]?.prevHash).toBe('0'.repeat(64));
    expect(rows[3]?.prevHash).toBe(rows[4]?.hash);
    expect(audit.verify()).toEqual({ ok: true, rows: 5 });
  });

  it('names in its head file only rows that were committed: a batch rolled back after its rows were written is no "rows deleted"', () => {
    const { db, audit } = trail(2);
    audit.flush();
    audit.queue(entry(3));
    // As the attempts batch writes them: queued rows in its transaction, then committed or rolled back.
    expect(() => {
      try {
        db.transaction(() => {
          audit.writeQueued();
          throw new Error('the disk is full');
        })();
      } catch (error) {
        audit.rolledBack();
        throw error;
      }
    }).toThrow('the disk is full');
    audit.flush();
    expect(db.prepare('SELECT count(*) FROM audit_log').pluck().get()).toBe(2);
    // The row rolled back is kept and written with the next write (here, before verify reads).
    expect(audit.verify()).toEqual({ ok: true, rows: 3 });
    audit.append(entry(4));
    audit.flush();
    expect(audit.verify()).toEqual({ ok: true, rows: 4 });
  });

  it('written with a batch of attempts that fails: the head stays at the last committed row, then moves with the next batch', () => {
    const { db, audit } = trail(2);
    const attempts = new AttemptRepository(db);
    attempts.writeAlongside({ pending: () => audit.hasQueued(), write: () => audit.writeQueued(), committed: () => audit.committed(), rolledBack: () => audit.rolledBack() });
    let failNext = true;
    attempts.writeAlongside({
      pending: () => failNext,
      write: () => {
        failNext = false;
        throw new Error('SQLITE_FULL: database or disk is full');
      },
    });
    audit.queue(entry(3));
    expect(() => attempts.flush()).toThrow(/disk is full/);
    audit.flush();
    expect(db.prepare('SELECT count(*) FROM audit_log').pluck().get()).toBe(2);
    // The row rolled back is not lost: it goes with the next batch, once, with the one queued since.
    audit.queue(entry(4));
    attempts.flush();
    audit.flush();
    expect(audit.verify()).toEqual({ ok: true, rows: 4 });
    // The head moved with it: the new last row deleted is named.
    db.prepare('DELETE FROM audit_log WHERE seq = 4').run();
    expect(audit.verify()).toMatchObject({ ok: false, seq: 4 });
  });

  it('finds an edited row and names it', () => {
    const { db, audit } = trail();
    db.prepare('UPDATE audit_log SET bytes_sent = 1 WHERE seq = 3').run();
    expect(audit.verify()).toEqual({ ok: false, rows: 3, seq: 3, problem: 'row 3 (2026-12-02T10:00:03.000Z, openai at api.openai.com) was changed after it was written' });
  });

  it('finds a deleted row in the middle and names the gap', () => {
    const { db, audit } = trail();
    db.prepare('DELETE FROM audit_log WHERE seq = 3').run();
    expect(audit.verify()).toMatchObject({ ok: false, seq: 4, problem: 'row 4 (2026-12-02T10:00:04.000Z, openai at api.openai.com) follows row 2: row 3 was deleted' });
  });

  it('names several rows deleted in the middle in words: "rows 2 to 4 were deleted"', () => {
    const { db, audit } = trail();
    db.prepare('DELETE FROM audit_log WHERE seq BETWEEN 2 AND 4').run();
    expect(audit.verify()).toMatchObject({ ok: false, seq: 5, problem: 'row 5 (2026-12-02T10:00:05.000Z, openai at api.openai.com) follows row 1: rows 2 to 4 were deleted' });
  });

  it('names a row added before the first (numbered 0 or below) as added, not as row 1 deleted', () => {
    const { db, audit } = trail(2);
    db.prepare("INSERT INTO audit_log SELECT 0, at, request_id, attempt_no, task, provider_id, host, model, outcome, bytes_sent, bytes_received, prompt_sha256, redactions, reason, prev_hash, hash FROM audit_log WHERE seq = 1").run();
    expect(audit.verify()).toMatchObject({ ok: false, seq: 0, problem: 'row 0 (2026-12-02T10:00:01.000Z, openai at api.openai.com) comes before row 1, where the trail starts: it was added' });
  });

  it('finds rows swapped in place (renumbered to hide the move)', () => {
    const { db, audit } = trail();
    db.exec('UPDATE audit_log SET seq = -2 WHERE seq = 2; UPDATE audit_log SET seq = 2 WHERE seq = 3; UPDATE audit_log SET seq = 3 WHERE seq = -2;');
    expect(audit.verify()).toMatchObject({ ok: false, seq: 2, problem: expect.stringMatching(/^row 2 \(2026-12-02T10:00:03.000Z, .*\) does not follow the row before it/) });
  });

  it('finds the last rows cut off, and a chain rebuilt after an edit, by the head kept outside the database', () => {
    const cut = trail();
    cut.db.prepare('DELETE FROM audit_log WHERE seq >= 4').run();
    expect(cut.audit.verify()).toEqual({ ok: false, rows: 3, seq: 4, problem: 'the last 2 rows were deleted: the trail ends at row 3, it had 5' });
    const one = trail(3);
    one.db.prepare('DELETE FROM audit_log WHERE seq = 3').run();
    expect(one.audit.verify()).toEqual({ ok: false, rows: 2, seq: 3, problem: 'the last row (row 3) was deleted: the trail ends at row 2, it had 3' });

    const rebuilt = trail(2);
    // Someone edits row 2 and recomputes its hash as the app would: the chain itself holds, the head does not.
    rebuilt.db.prepare('DELETE FROM audit_log WHERE seq = 2').run();
    const again = new AuditRepository(rebuilt.db); // no head file: appends without moving it
    again.append({ ...entry(2), bytesSent: 1 });
    expect(rebuilt.audit.verify()).toMatchObject({ ok: false, seq: 2, problem: expect.stringMatching(/was rewritten$/) });
  });

  it('an empty trail verifies; one emptied after rows were written does not', () => {
    expect(trail(0).audit.verify()).toEqual({ ok: true, rows: 0 });
    const { db, audit } = trail(2);
    db.prepare('DELETE FROM audit_log').run();
    expect(audit.verify()).toEqual({ ok: false, rows: 0, seq: 1, problem: 'every row was deleted (the trail had 2)' });
  });

  it('a trail whose table was dropped from the database is named as deleted, not an internal error', () => {
    const { db, audit } = trail(3);
    audit.flush();
    db.exec('DROP TABLE audit_log');
    expect(audit.verify()).toEqual({ ok: false, rows: 0, seq: 1, problem: "the audit trail's table was deleted from the database (the trail had 3 rows)" });
  });

  it('finds a chain rebuilt after an edit with a forged row appended (the head then lags the rows): the row at the head\'s number is not the one written there', () => {
    const { db, audit, dir } = trail(3);
    audit.flush();
    // Edit row 2, rebuild rows 2 and 3 as the app would, and append one more, so the head file (row 3) is behind the rows.
    db.prepare('DELETE FROM audit_log WHERE seq >= 2').run();
    const forger = new AuditRepository(db);
    forger.append({ ...entry(2), bytesSent: 1 });
    forger.append(entry(3));
    forger.append(entry(4));
    expect(new AuditRepository(db, join(dir, 'audit-head.json')).verify()).toEqual({ ok: false, rows: 4, seq: 3, problem: 'row 3 is not the row that was written there: the trail was rewritten from there on' });
  });

  it('names a head file deleted or changed by hand while rows exist, so rows cut off the end cannot hide behind it', () => {
    const deleted = trail(3);
    deleted.audit.flush();
    rmSync(join(deleted.dir, 'audit-head.json'));
    deleted.db.prepare('DELETE FROM audit_log WHERE seq = 3').run();
    expect(deleted.audit.verify()).toMatchObject({ ok: false, rows: 2, seq: 2, problem: expect.stringMatching(/^the head file kept beside the database \(audit-head\.json\) was deleted, so rows cut off after row 2 \(.*\) cannot be ruled out$/) });

    for (const garbage of ['not json', '{"seq":"3","hash":"x"}', '{"seq":-1,"hash":"' + '0'.repeat(64) + '"}', '']) {
      const changed = trail(3);
      changed.audit.flush();
      writeFileSync(join(changed.dir, 'audit-head.json'), garbage);
      changed.db.prepare('DELETE FROM audit_log WHERE seq = 3').run();
      expect(changed.audit.verify()).toMatchObject({ ok: false, seq: 2, problem: expect.stringMatching(/^the head file kept beside the database \(audit-head\.json\) was changed/) });
    }
  });

  it('never moves the head file back: a process whose head write was due after another process wrote a later head leaves the later one, so rows cut off the end are still found', () => {
    const { dir } = trail(0);
    const app = new AuditRepository(openDatabase(join(dir, 'data.db')), join(dir, 'audit-head.json'));
    const cli = new AuditRepository(openDatabase(join(dir, 'data.db')), join(dir, 'audit-head.json'));
    app.append(entry(1)); // its head (row 1) is written within a second
    cli.append(entry(2));
    cli.append(entry(3));
    cli.flush(); // the CLI closes: head at row 3
    app.flush(); // the app's timer comes due afterwards
    const db = openDatabase(join(dir, 'data.db'));
    db.prepare('DELETE FROM audit_log WHERE seq >= 2').run();
    expect(new AuditRepository(db, join(dir, 'audit-head.json')).verify()).toMatchObject({ ok: false, seq: 2, problem: 'the last 2 rows were deleted: the trail ends at row 1, it had 3' });
  });

  it('keeps naming rows cut off the end after the app appends past where the trail ended: new rows never carry the head over the gap', () => {
    const { db, audit } = trail(5);
    audit.flush();
    // Rows 4 and 5 are deleted in the database alone; the app goes on appending 4, 5 and 6.
    db.prepare('DELETE FROM audit_log WHERE seq >= 4').run();
    for (let n = 6; n <= 8; n += 1) {
      audit.append(entry(n));
      audit.flush();
    }
    expect(audit.verify()).toEqual({ ok: false, rows: 6, seq: 5, problem: 'row 5 is not the row that was written there: the trail was rewritten from there on' });
    // The head stays there however many rows follow.
    audit.append(entry(9));
    audit.flush();
    expect(audit.verify()).toMatchObject({ ok: false, seq: 5 });
  });

  it('a head file that cannot be written (a folder at its name, a full disk) never throws out of its timer: the head is kept, rows go on, verify names the head', async () => {
    const { db, audit, dir } = trail(2);
    audit.flush();
    rmSync(join(dir, 'audit-head.json'));
    mkdirSync(join(dir, 'audit-head.json'));
    audit.append(entry(3));
    // The timer's write, and close's: nothing thrown (off a timer it would end the process).
    expect(() => audit.flush()).not.toThrow();
    audit.append(entry(4));
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(db.prepare('SELECT count(*) FROM audit_log').pluck().get()).toBe(4);
    expect(audit.verify()).toMatchObject({ ok: false, seq: 4, problem: expect.stringMatching(/^the head file kept beside the database \(audit-head\.json\) was changed/) });
    // Once it can be written again, the kept head is.
    rmSync(join(dir, 'audit-head.json'), { recursive: true });
    audit.append(entry(5));
    audit.flush();
    expect(audit.verify()).toEqual({ ok: true, rows: 5 });
  });

  it('a new trail has its head at once: a process killed before its first head write leaves a trail that verifies', () => {
    const { db, audit, dir } = trail(0);
    // The timer that writes the head never ran (killed): rows are there, the head names none of them.
    audit.append(entry(1));
    expect(new AuditRepository(db, join(dir, 'audit-head.json')).verify()).toEqual({ ok: true, rows: 1 });
  });

  it('names a row whose counts were made unreadable, and still lists the trail', () => {
    const { db, audit } = trail(3);
    db.prepare("UPDATE audit_log SET redactions = 'oops' WHERE seq = 2").run();
    expect(audit.verify()).toMatchObject({ ok: false, seq: 2, problem: expect.stringMatching(/^row 2 .* was changed after it was written$/) });
    expect(audit.list(10).map((row) => row.redactions)).toEqual([{}, {}, {}]);
    // Spaces added to the stored counts change nothing they say, but they are not what was written.
    const spaced = trail(2);
    spaced.db.prepare(`UPDATE audit_log SET redactions = '{ "email": 1 }' WHERE seq = 2`).run();
    expect(spaced.audit.verify()).toMatchObject({ ok: false, seq: 2 });
  });
});
