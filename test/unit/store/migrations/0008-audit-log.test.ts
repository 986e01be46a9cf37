import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../../../src-main/store/migrations/index.ts';

describe('migration 0008-audit-log', () => {
  it('adds an empty audit_log table that refuses a row with a field of the wrong type (STRICT)', () => {
    const db = new Database(':memory:');
    for (const migration of migrations.filter((m) => m.version <= 8)) migration.up(db);
    expect(db.prepare('SELECT count(*) FROM audit_log').pluck().get()).toBe(0);
    const insert = db.prepare(
      "INSERT INTO audit_log (seq, at, request_id, attempt_no, task, provider_id, host, model, outcome, bytes_sent, bytes_received, prompt_sha256, redactions, reason, prev_hash, hash) VALUES (1, 't', 'r', 1, 'code', 'p', 'h', 'm', 'ok', ?, 0, 'x', '{}', 'why', 'a', 'b')",
    );
    expect(() => insert.run('many')).toThrow(/cannot store TEXT value in INTEGER column/);
    insert.run(12);
    expect(db.prepare('SELECT bytes_sent FROM audit_log').pluck().get()).toBe(12);
  });
});
