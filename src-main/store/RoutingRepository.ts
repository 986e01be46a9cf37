import type { Database, Statement } from 'better-sqlite3';
import { balanceStrategySchema, routingStrategiesSchema, type RoutingStrategies } from '../../src-shared/domain/balanceStrategy.ts';
import { routedTargetSchema, routingSchema, taskKinds, type RoutedTarget, type Routing, type TaskKind } from '../../src-shared/domain/provider.ts';
import { cacheRowsUntilChange, deepFreeze } from './cacheUntilChange.ts';

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
    let rows: Statement | undefined;
    this.#stored = cacheRowsUntilChange(
      db,
      () => (rows ??= db.prepare('SELECT task, targets, strategy FROM routing').raw()).all() as unknown[][],
      (found) => parseRouting(found as [string, string, string][]),
    );
  }

  get(): Routing {
    return { ...this.#stored().routing };
  }

  /** The strategy of each task that has targets. */
  strategies(): RoutingStrategies {
    return { ...this.#stored().strategies };
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
}

function parseRouting(rows: [task: string, targets: string, strategy: string][]): { routing: Routing; strategies: RoutingStrategies } {
  const routing: Routing = {};
  const strategies: RoutingStrategies = {};
  for (const [task, targets, strategy] of rows) {
    if (!(taskKinds as readonly string[]).includes(task)) continue;
    // A row edited by hand (the table checks only that it is JSON): a list with some targets that do
    // not read keeps those that do, rather than falling back to every enabled provider.
    const stored = readJson(targets);
    const parsedTargets = routedTargetSchema.array().safeParse(stored);
    if (parsedTargets.success) routing[task as TaskKind] = parsedTargets.data;
    else if (Array.isArray(stored)) {
      const readable = stored.flatMap((target: unknown) => {
        const one = routedTargetSchema.safeParse(target);
        return one.success ? [one.data] : [];
      });
      if (readable.length > 0) routing[task as TaskKind] = readable;
    }
    const parsedStrategy = balanceStrategySchema.safeParse(strategy);
    strategies[task as TaskKind] = parsedStrategy.success ? parsedStrategy.data : 'ordered';
  }
  return deepFreeze({ routing, strategies });
}

function readJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
