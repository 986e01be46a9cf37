import type { Database, Statement } from 'better-sqlite3';
import { maxBudgetUsd, type Budget, type BudgetStatus } from '../../src-shared/domain/budget.ts';
import { budgetLabel } from './budgetLabel.ts';
import { cacheUntilChange } from './cacheUntilChange.ts';
import { budgetCalendar, budgetTimeZoneKey } from './budgetCalendar.ts';
import { periodStart } from './periodStart.ts';

/** What a call to a priced target asks before it is sent. */
export interface ReserveInput {
  requestId: string;
  providerId: string;
  model: string;
  projectId?: string | undefined;
  /** The most the call can cost: counted prompt tokens and the answer's cap at the model's price. */
  amountUsd: number;
  /** How long the reservation holds if it is never settled (the process was killed). */
  holdMs: number;
  /**
   * Reserve up to this much (at least `amountUsd`) when every budget has the room: a lease that
   * later calls of this process draw on without asking the database (BudgetLeases).
   */
  grantUsd?: number;
}

export type Reservation =
  | { ok: true; id: number | undefined; grantedUsd: number; statuses: BudgetStatus[] }
  | { ok: false; budget: BudgetStatus; amountUsd: number };

/** Who this process's reservations belong to, and whether another holder may still be working (ProcessOwner, ownerAlive). */
export interface LedgerOwner {
  owner: string;
  ownerAlive: (owner: string) => boolean;
}

/** How often, at most, a process looks for reservations whose holder is gone. */
const goneOwnersEveryMs = 2_000;

/** The most of a budget's room left that one lease may take: 1/16. */
const leaseShareOfRoom = 16;

interface BudgetRow {
  scope: Budget['scope'];
  scope_id: string;
  period: Budget['period'];
  limit_usd: number;
  project_name: string | null;
  /** 0 for a provider budget whose provider was removed. */
  provider_known: number;
}

/**
 * Spending limits and what they have used, shared by every process on the database (the app, a
 * `serve`, each CLI command). Spent = the period's running total (`spend_totals`, added to by
 * AttemptRepository as it writes each priced attempt) plus the reservations of calls under way
 * (`budget_ledger`, state 'reserved'). `reserve` checks and reserves in one IMMEDIATE transaction, which takes SQLite's
 * write lock first, so two calls (in one process or two) can never both see the same room: the
 * second sees the first's reservation. `settle` removes the reservation once the attempt with its
 * real cost is written (the caller flushes attempts first, in the same transaction), or keeps it as
 * spent when the real cost is unknown. A reservation names the core that holds it (`owner`): one
 * whose holder is gone (killed mid-call, crashed) is given back by the next process that reserves
 * or shows the budgets; one with no owner (or whose holder cannot be told) counts until it
 * expires. With no budget set nothing is read or written on a call.
 */
export class BudgetRepository {
  readonly #db: Database;
  readonly #now: () => number;
  readonly #budgets: () => readonly BudgetRow[];
  #insert: Statement | undefined;
  #delete: Statement | undefined;
  #drawDown: Statement | undefined;
  #spent: Statement | undefined;
  #pruneExpired: Statement | undefined;
  #lastPrune = 0;
  readonly #owner: LedgerOwner | undefined;
  /** When this process last looked for reservations of holders that are gone (-Infinity: not yet). */
  #lastOwnersLook = Number.NEGATIVE_INFINITY;

  constructor(db: Database, now: () => number = Date.now, owner?: LedgerOwner) {
    this.#db = db;
    this.#now = now;
    this.#owner = owner;
    let all: Statement | undefined;
    this.#budgets = cacheUntilChange(
      db,
      () =>
        (
          (all ??= db.prepare(
            `SELECT b.scope, b.scope_id, b.period, b.limit_usd, p.name AS project_name, b.scope <> 'provider' OR EXISTS (SELECT 1 FROM providers pr WHERE pr.id = b.scope_id) AS provider_known
             FROM budgets b LEFT JOIN projects p ON b.scope = 'project' AND p.id = b.scope_id ORDER BY b.scope, b.scope_id, b.period`,
          )).all() as BudgetRow[]
        ).map((row) => ({ ...row, limit_usd: limitAsSet(row.limit_usd) })),
    );
  }

  /** True when any budget is set (a call to a priced target then reserves). */
  any(): boolean {
    return this.#budgets().length > 0;
  }

  list(): Budget[] {
    return this.#budgets().map((row) => ({
      scope: row.scope,
      scopeId: row.scope_id,
      period: row.period,
      limitUsd: row.limit_usd,
    }));
  }

  set(budget: Budget): void {
    this.#db
      .prepare(
        `INSERT INTO budgets (scope, scope_id, period, limit_usd, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (scope, scope_id, period) DO UPDATE SET limit_usd = excluded.limit_usd, updated_at = excluded.updated_at`,
      )
      .run(budget.scope, budget.scopeId, budget.period, budget.limitUsd, new Date(this.#now()).toISOString());
  }

  /** The zone whose midnight begins every budget's day and month (budgetCalendar). */
  timeZone(): string {
    return budgetCalendar(this.#db).zone;
  }

  /** Counts days and months from now on in `zone` (the period under way is split at the change). */
  setTimeZone(zone: string): void {
    this.#db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(budgetTimeZoneKey, JSON.stringify(zone));
  }

  /** Removes one budget; false when there was none. */
  clear(scope: Budget['scope'], scopeId: string, period: Budget['period']): boolean {
    return this.#db.prepare('DELETE FROM budgets WHERE scope = ? AND scope_id = ? AND period = ?').run(scope, scopeId, period).changes > 0;
  }

  /** Every budget with what its current period has used. */
  statuses(): BudgetStatus[] {
    const now = this.#now();
    // First, in a write transaction of its own: a read transaction that then writes can fail at once when another process committed meanwhile.
    this.#giveBackGoneOwners(now, true);
    return this.#db.transaction(() => this.#budgets().map((row) => this.#status(row, now)))();
  }

  /**
   * Drops the reservations whose holder is gone (its process killed or crashed mid-call): they
   * would otherwise count until they expire. Looked for whenever the budgets are shown (`always`),
   * and on the way of a reservation at most every 2 s (its first included; 2 s either way, so a
   * clock set back does not stop the looks until it passes the last one again); holders are told
   * apart by ProcessOwner's token.
   */
  #giveBackGoneOwners(now: number, always = false): void {
    const owner = this.#owner;
    if (owner === undefined || (!always && Math.abs(now - this.#lastOwnersLook) < goneOwnersEveryMs)) return;
    this.#lastOwnersLook = now;
    const holders = this.#db.prepare("SELECT DISTINCT owner FROM budget_ledger WHERE state = 'reserved' AND owner IS NOT NULL AND owner <> ?").pluck().all(owner.owner) as string[];
    const gone = holders.filter((holder) => !owner.ownerAlive(holder));
    if (gone.length === 0) return;
    const drop = this.#db.prepare("DELETE FROM budget_ledger WHERE state = 'reserved' AND owner = ?");
    // Inside reserve's transaction a savepoint; else a write transaction of its own.
    this.#db.transaction(() => gone.forEach((holder) => drop.run(holder))).immediate();
  }

  /**
   * Checks every budget that counts this call (overall, its provider's, its project's) and, when
   * all have room for `amountUsd`, reserves it; else names the first that has not. The statuses
   * returned include the reservation (the caller warns from 80 %).
   */
  reserve(input: ReserveInput): Reservation {
    const now = this.#now();
    const budgets = this.#budgets().filter((row) => applies(row, input.providerId, input.projectId));
    if (budgets.length === 0) return { ok: true, id: undefined, grantedUsd: input.amountUsd, statuses: [] };
    return this.#db
      .transaction((): Reservation => {
        this.#giveBackGoneOwners(now);
        const statuses = budgets.map((row) => this.#status(row, now));
        const full = statuses.find((status) => status.spentUsd + status.reservedUsd + input.amountUsd > status.limitUsd + 1e-12);
        if (full) return { ok: false, budget: full, amountUsd: input.amountUsd };
        // A lease takes at most a sixteenth of the room left, so near a limit it is this call's amount alone.
        const room = Math.min(...statuses.map((status) => status.limitUsd - status.spentUsd - status.reservedUsd));
        const grantedUsd = Math.max(input.amountUsd, Math.min(input.grantUsd ?? input.amountUsd, room / leaseShareOfRoom));
        this.#insert ??= this.#db.prepare(
          "INSERT INTO budget_ledger (at_ms, request_id, provider_id, model, project_id, amount_usd, state, expires_at_ms, owner) VALUES (?, ?, ?, ?, ?, ?, 'reserved', ?, ?)",
        );
        const id = Number(this.#insert.run(now, input.requestId, input.providerId, input.model, input.projectId ?? null, grantedUsd, now + input.holdMs, this.#owner?.owner ?? null).lastInsertRowid);
        return {
          ok: true,
          id,
          grantedUsd,
          // As this call sees them: with its own amount reserved, not the rest of a lease.
          statuses: statuses.map((status) => withReserved(status, status.reservedUsd + input.amountUsd)),
        };
      })
      .immediate();
  }

  /**
   * Takes `usd` off a reservation (a lease): calls drawn on it cost that much, and their attempts
   * are written (spend_totals) in the same transaction, so the money is counted once, never
   * nowhere. `settledUsd` of it (calls whose real cost is unknown) stays counted as a settled
   * row of its own, at the reservation's time: its calls were made in the day (and month) it was
   * reserved in (BudgetLeases takes none past midnight), while the batch that settles them may be
   * written after midnight.
   */
  drawDown(id: number, usd: number, settledUsd = 0): void {
    (this.#drawDown ??= this.#db.prepare('UPDATE budget_ledger SET amount_usd = MAX(0, amount_usd - ?) WHERE id = ?')).run(usd + settledUsd, id);
    if (settledUsd <= 0) return;
    this.#db
      .prepare(
        `INSERT INTO budget_ledger (at_ms, request_id, provider_id, model, project_id, amount_usd, state, expires_at_ms)
         SELECT at_ms, request_id, provider_id, model, project_id, ?, 'settled', NULL FROM budget_ledger WHERE id = ?`,
      )
      .run(settledUsd, id);
  }

  /** Keeps a reservation as spent: the call answered but its real cost is unknown (no token counts). */
  settleAtReserved(id: number): void {
    this.#db.prepare("UPDATE budget_ledger SET state = 'settled', expires_at_ms = NULL WHERE id = ?").run(id);
  }

  /** Drops a reservation: the call is over and its attempt (with the real cost) is written. */
  release(id: number): void {
    this.#delete ??= this.#db.prepare('DELETE FROM budget_ledger WHERE id = ?');
    this.#delete.run(id);
    // Expired reservations (a process killed mid-call) are dropped on the way, every 10 s at most
    // (10 s either way: a clock set back does not stop them until it passes the last prune again).
    const now = this.#now();
    if (Math.abs(now - this.#lastPrune) < 10_000) return;
    this.#lastPrune = now;
    (this.#pruneExpired ??= this.#db.prepare("DELETE FROM budget_ledger WHERE state = 'reserved' AND expires_at_ms < ?")).run(now);
  }

  readonly #ledgerStatements = new Map<Budget['scope'], Statement>();

  /** The ledger's settled and reserved sums for one scope's period. */
  #ledgerFor(scope: Budget['scope']): Statement {
    let statement = this.#ledgerStatements.get(scope);
    if (!statement) {
      const scopeSql = scope === 'provider' ? ' AND provider_id = ?' : scope === 'project' ? ' AND project_id = ?' : '';
      statement = this.#db.prepare(
        `SELECT COALESCE(SUM(CASE WHEN state = 'settled' THEN amount_usd END), 0) AS settled, COALESCE(SUM(CASE WHEN state = 'reserved' AND expires_at_ms >= ? THEN amount_usd END), 0) AS reserved
         FROM budget_ledger WHERE at_ms >= ?${scopeSql}`,
      );
      this.#ledgerStatements.set(scope, statement);
    }
    return statement;
  }

  #status(row: BudgetRow, now: number): BudgetStatus {
    const start = periodStart(row.period, now, budgetCalendar(this.#db));
    const startIso = new Date(start).toISOString();
    this.#spent ??= this.#db.prepare('SELECT usd FROM spend_totals WHERE scope = ? AND scope_id = ? AND period = ? AND period_start_ms = ?').pluck();
    const spent = (this.#spent.get(row.scope, row.scope_id, row.period, start) as number | undefined) ?? 0;
    const scopeArgs = row.scope === 'overall' ? [] : [row.scope_id];
    // Settled rows: calls whose real cost is unknown (no token counts), counted at their reservation.
    const ledger = this.#ledgerFor(row.scope).get(now, start, ...scopeArgs) as { settled: number; reserved: number };
    return withReserved(
      {
        scope: row.scope,
        scopeId: row.scope_id,
        period: row.period,
        limitUsd: row.limit_usd,
        spentUsd: spent + ledger.settled,
        reservedUsd: 0,
        leftUsd: 0,
        used: 0,
        periodStart: startIso,
        label: budgetLabel(row.scope, row.scope_id, row.period, row.project_name, row.provider_known === 1),
      },
      ledger.reserved,
    );
  }
}

/**
 * A limit as a budget can be set ($0 to $1,000,000, budgetSchema): a row edited by hand past that
 * (9e999 reads as Infinity, which no face can show; a negative past the table's check) is read
 * as the nearest, so a call is checked against, and every face shows, a real amount.
 */
function limitAsSet(limitUsd: number): number {
  if (!(limitUsd > 0)) return 0;
  return Math.min(limitUsd, maxBudgetUsd);
}

function applies(row: BudgetRow, providerId: string, projectId: string | undefined): boolean {
  return row.scope === 'overall' || (row.scope === 'provider' && row.scope_id === providerId) || (row.scope === 'project' && row.scope_id === projectId);
}

function withReserved(status: BudgetStatus, reservedUsd: number): BudgetStatus {
  const usedUsd = status.spentUsd + reservedUsd;
  return {
    ...status,
    reservedUsd,
    leftUsd: Math.max(0, status.limitUsd - usedUsd),
    used: status.limitUsd === 0 ? (usedUsd > 0 ? 1 : 0) : usedUsd / status.limitUsd,
  };
}
