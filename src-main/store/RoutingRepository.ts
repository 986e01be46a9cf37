import type { Database } from 'better-sqlite3';
import { routingSchema, taskKinds, targetSchema, type Routing, type TaskKind, type Target } from '../../src-shared/domain/provider.ts';

/** The ordered targets per task kind. A task without a row uses the router's default order. */
export class RoutingRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  get(): Routing {
    const rows = this.#db.prepare('SELECT task, targets FROM routing').all() as { task: string; targets: string }[];
    const routing: Routing = {};
    for (const row of rows) {
      if (!(taskKinds as readonly string[]).includes(row.task)) continue;
      const parsed = targetSchema.array().safeParse(JSON.parse(row.targets));
      if (parsed.success) routing[row.task as TaskKind] = parsed.data;
    }
    return routing;
  }

  set(routing: Routing): Routing {
    const valid = routingSchema.parse(routing);
    const upsert = this.#db.prepare('INSERT INTO routing (task, targets) VALUES (?, ?) ON CONFLICT(task) DO UPDATE SET targets = excluded.targets');
    const remove = this.#db.prepare('DELETE FROM routing WHERE task = ?');
    this.#db.transaction(() => {
      for (const [task, targets] of Object.entries(valid) as [TaskKind, Target[] | undefined][]) {
        if (!targets || targets.length === 0) remove.run(task);
        else upsert.run(task, JSON.stringify(targets));
      }
    })();
    return this.get();
  }
}
