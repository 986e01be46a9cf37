import { describe, expect, it } from 'vitest';
import { migratedTo } from '../../../support/migratedTo.ts';

describe('migration 0006-load-balancing', () => {

  it('keeps the routing a released version stored, as ordered, and its attempts without a strategy', () => {
    const db = migratedTo(5);
    db.prepare("INSERT INTO routing (task, targets) VALUES ('code', ?)").run(JSON.stringify([{ providerId: 'a', model: 'm' }]));
    db.prepare("INSERT INTO attempts (request_id, attempt_no, started_at, task, provider_id, model, outcome, reason) VALUES ('r', 1, 't', 'code', 'a', 'm', 'ok', 'why')").run();
    migratedTo(6, db);
    expect(db.prepare('SELECT task, targets, strategy FROM routing').all()).toEqual([{ task: 'code', targets: '[{"providerId":"a","model":"m"}]', strategy: 'ordered' }]);
    expect(db.prepare('SELECT strategy FROM attempts').pluck().get()).toBeNull();
  });

  it('accepts only the known strategies', () => {
    const db = migratedTo(6);
    const insert = db.prepare("INSERT INTO routing (task, targets, strategy) VALUES (?, '[]', ?)");
    for (const [i, strategy] of ['ordered', 'weighted', 'least-latency', 'least-cost'].entries()) insert.run(`t${i}`, strategy);
    expect(() => insert.run('x', 'random')).toThrow(/CHECK/);
    db.prepare("INSERT INTO attempts (request_id, attempt_no, started_at, task, provider_id, model, outcome, reason, strategy) VALUES ('r', 1, 't', 'code', 'a', 'm', 'ok', 'why', 'weighted')").run();
    expect(db.prepare('SELECT strategy FROM attempts').pluck().get()).toBe('weighted');
  });
});
