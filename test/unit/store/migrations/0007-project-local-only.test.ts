import { describe, expect, it } from 'vitest';
import { migratedTo } from '../../../support/migratedTo.ts';

describe('migration 0007-project-local-only', () => {

  it('keeps the projects a released version stored, none of them kept local, and accepts only 0 or 1', () => {
    const db = migratedTo(6);
    db.prepare("INSERT INTO projects (id, name, created_at, updated_at) VALUES ('p1', 'Edge firewall', 't', 't')").run();
    migratedTo(7, db);
    expect(db.prepare('SELECT id, name, local_only FROM projects').all()).toEqual([{ id: 'p1', name: 'Edge firewall', local_only: 0 }]);
    db.prepare("UPDATE projects SET local_only = 1 WHERE id = 'p1'").run();
    expect(() => db.prepare("UPDATE projects SET local_only = 2 WHERE id = 'p1'").run()).toThrow(/CHECK/);
  });
});
