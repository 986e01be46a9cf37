import type { Database } from 'better-sqlite3';
import { balanceStrategySchema, routingStrategiesSchema, type RoutingStrategies } from '../../src-shared/domain/balanceStrategy.ts';
import { routedTargetSchema, routingSchema, taskKinds, type RoutedTarget, type Routing, type TaskKind } from '../../src-shared/domain/provider.ts';
import { cacheUntilChange, deepFreeze } from './cacheUntilChange.ts';

/**
 * The targets per task kind (with their weights) and each task's balancing strategy. A task
 * without a row uses the router's default order; a row without a strategy is `ordered`. Every
 * model call reads both, so they are parsed once and kept until the database changes
 * (cacheUntilChange); each call gets its own record, the target lists in it are frozen.
 */
export class RoutingRepository {
  readonly #db: Database;
  readonly #stored: () => { routing: Routing; strategies: RoutingStrategies };

  constructor(db: Database) {
    this.#db = db;
    this.#stored = cacheUntilChange(db, () => this.#load());
  }

  get(): Routing {
    return { ...this.#stored().routing };
  }

  /** The strategy of each task that has targets. */
  strategies(): RoutingStrategies {
    return { ...this.#stored().strategies };
  }

  #load(): { routing: Routing; strategies: RoutingStrategies } {
    const routing: Routing = {};
    const strategies: RoutingStrategies = {};
    for (const row of this.#rows()) {
      const targets = routedTargetSchema.array().safeParse(JSON.parse(row.targets));
      if (targets.success) routing[row.task] = targets.data;
      const strategy = balanceStrategySchema.safeParse(row.strategy);
      strategies[row.task] = strategy.success ? strategy.data : 'ordered';
    }
    return deepFreeze({ routing, strategies });
  }

  /**
   * Replaces the targets of every task named in `routing` (an empty list clears it) and sets
   * the strategy of those named in `strategies`; a task given targets but no strategy keeps the
   * one it had (`ordered` when new).
   */
  set(routing: Routing, strategies: RoutingStrategies = {}): Routing {
    const valid = routingSchema.parse(routing);
    const validStrategies = routingStrategiesSchema.parse(strategies);
    const upsert = this.#db.prepare(
      `INSERT INTO routing (task, targets, strategy) VALUES (@task, @targets, coalesce(@strategy, 'ordered'))
       ON CONFLICT(task) DO UPDATE SET targets = excluded.targets, strategy = coalesce(@strategy, routing.strategy)`,
    );
    const setStrategy = this.#db.prepare('UPDATE routing SET strategy = ? WHERE task = ?');
    const remove = this.#db.prepare('DELETE FROM routing WHERE task = ?');
    this.#db.transaction(() => {
      for (const [task, targets] of Object.entries(valid) as [TaskKind, RoutedTarget[] | undefined][]) {
        if (!targets || targets.length === 0) remove.run(task);
        else upsert.run({ task, targets: JSON.stringify(targets), strategy: validStrategies[task] ?? null });
      }
      for (const [task, strategy] of Object.entries(validStrategies) as [TaskKind, string][]) {
        if (!(task in valid)) setStrategy.run(strategy, task);
      }
    })();
    return this.get();
  }

  #rows(): { task: TaskKind; targets: string; strategy: string }[] {
    const rows = this.#db.prepare('SELECT task, targets, strategy FROM routing').all() as { task: string; targets: string; strategy: string }[];
    return rows.filter((row): row is { task: TaskKind; targets: string; strategy: string } => (taskKinds as readonly string[]).includes(row.task));
  }
}
