import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migration0001 } from '../../../../src-main/store/migrations/0001-initial.ts';

describe('migration 0001-initial', () => {
  const migrated = () => {
    const db = new Database(':memory:');
    db.transaction(() => migration0001.up(db))();
    return db;
  };

  it('creates the projects and settings tables', () => {
    const db = migrated();
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(['projects', 'settings']);
  });

  it('keeps project names unique regardless of case', () => {
    const db = migrated();
    const insert = db.prepare("INSERT INTO projects VALUES (?, ?, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')");
    insert.run('a', 'Firewall');
    expect(() => insert.run('b', 'FIREWALL')).toThrow(/UNIQUE/);
  });

  it('accepts only JSON in settings values', () => {
    const db = migrated();
    db.prepare('INSERT INTO settings VALUES (?, ?)').run('theme', '"dark"');
    expect(() => db.prepare('INSERT INTO settings VALUES (?, ?)').run('privacyMode', 'not json')).toThrow(/CHECK/);
  });

  it('is strict about column types', () => {
    const db = migrated();
    expect(() => db.prepare('INSERT INTO projects VALUES (?, ?, ?, ?)').run('a', Buffer.from('x'), 'x', 'y')).toThrow(/cannot store BLOB/);
  });
});
