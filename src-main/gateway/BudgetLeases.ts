import type { Database } from 'better-sqlite3';
import type { BudgetStatus } from '../../src-shared/domain/budget.ts';
import type { AttemptRepository } from '../store/AttemptRepository.ts';
import type { BudgetRepository, ReserveInput } from '../store/BudgetRepository.ts';
import { budgetCalendar } from '../store/budgetCalendar.ts';

/** How long a lease takes calls after it was reserved (then it is given back and a new one asked for). */
const acceptMs = 2_000;
/** A lease is asked for this many calls like the one asking (at most a sixteenth of the room left: BudgetRepository). */
const leaseCalls = 32;

interface Lease {
  key: string;
  id: number;
  /** The configuration generation it was reserved under: a budget changed anywhere ends it. */
  generation: number;
  /** What its ledger row holds now. */
  grantedUsd: number;
  /** Projected costs of its calls under way. */
  heldUsd: number;
  /** Real costs of its calls that ended, not yet taken off its row (written with their attempts). */
  spentUsd: number;
  /** Projected costs kept as spent (the real cost is unknown), not yet taken off its row. */
  settledUsd: number;
  inFlight: number;
  acceptUntil: number;
  /** When its ledger row lapses if this process dies: after the longest call it may take. */
  expiresAt: number;
  ended: boolean;
}

export type LeaseAdmission =
  /** `counted`: some budget counts the call (with none, nothing was reserved and its answer needs no cap). */
  | { ok: true; counted: boolean; statuses: BudgetStatus[]; release(costUsd: number | undefined): void }
  | { ok: false; budget: BudgetStatus; amountUsd: number };

/**
 * Budget reservations drawn from leases, so a call to a priced target does not take SQLite's
 * write lock twice (reserve, release) on its way. A lease is one reservation in the shared ledger
 * for up to 32 calls like the one that asked (never more than a sixteenth of the room any
 * budget has left, so near a limit it is one call's amount and nothing changes); calls of this
 * process draw on it in memory. Their real costs are taken off the lease's row in the same
 * transaction that writes their attempts (and so adds them to spend_totals): at every moment the
 * ledger plus the totals count each call at least once, whichever process reads them. A lease
 * takes calls for 2 s, never past local midnight (its row counts in the day and month it was
 * reserved in), and until a budget is changed anywhere (the configuration generation moves), and is given back when it cannot take the next call, when its time is up, and before
 * this process reads the budgets' statuses; a process killed holding one leaves it counted until
 * its row lapses, as a killed call's reservation was.
 */
export class BudgetLeases {
  readonly #db: Database;
  readonly #budgets: BudgetRepository;
  readonly #attempts: AttemptRepository;
  readonly #now: () => number;
  /** The lease calls draw on now, per provider and project. */
  readonly #current = new Map<string, Lease>();
  /** Every lease whose row is still in the ledger (current, or ended with calls under way). */
  readonly #open = new Set<Lease>();

  constructor(deps: { db: Database; budgets: BudgetRepository; attempts: AttemptRepository; now: () => number }) {
    this.#db = deps.db;
    this.#budgets = deps.budgets;
    this.#attempts = deps.attempts;
    this.#now = deps.now;
    let drawn: { lease: Lease; spentUsd: number; settledUsd: number }[] = [];
    this.#attempts.writeAlongside({
      pending: () => [...this.#open].some((lease) => lease.spentUsd + lease.settledUsd > 0),
      write: () => {
        for (const lease of this.#open) {
          if (lease.spentUsd + lease.settledUsd === 0) continue;
          const { spentUsd, settledUsd } = lease;
          lease.grantedUsd -= spentUsd + settledUsd;
          lease.spentUsd = 0;
          lease.settledUsd = 0;
          drawn.push({ lease, spentUsd, settledUsd });
          this.#budgets.drawDown(lease.id, spentUsd, settledUsd);
        }
      },
      committed: () => {
        drawn = [];
      },
      // The batch did not commit: its leases are drawn down by the next one instead.
      rolledBack: () => {
        for (const { lease, spentUsd, settledUsd } of drawn) {
          lease.spentUsd += spentUsd;
          lease.settledUsd += settledUsd;
          lease.grantedUsd += spentUsd + settledUsd;
        }
        drawn = [];
      },
    });
  }

  /** Reserves `amountUsd` for one call: from this process's lease when it has the room, else from the ledger. */
  admit(input: ReserveInput & { generation: number }): LeaseAdmission {
    const now = this.#now();
    const key = `${input.providerId}\u0000${input.projectId ?? ''}`;
    let lease = this.#current.get(key);
    if (lease && (lease.generation !== input.generation || now > lease.acceptUntil || now + input.holdMs > lease.expiresAt || available(lease) < input.amountUsd)) {
      this.#end(lease);
      lease = undefined;
    }
    let statuses: BudgetStatus[] = [];
    if (!lease) {
      const reservation = this.#budgets.reserve({ ...input, grantUsd: input.amountUsd * leaseCalls, holdMs: input.holdMs + acceptMs });
      if (!reservation.ok) return reservation;
      statuses = reservation.statuses;
      if (reservation.id === undefined) return { ok: true, counted: false, statuses, release() {} };
      lease = {
        key,
        id: reservation.id,
        generation: input.generation,
        grantedUsd: reservation.grantedUsd,
        heldUsd: 0,
        spentUsd: 0,
        settledUsd: 0,
        inFlight: 0,
        // Never past midnight (budgets' zone): its row counts in the day (and month) it was reserved in, not the next.
        acceptUntil: Math.min(now + acceptMs, budgetCalendar(this.#db).nextDayStart(now) - 1),
        expiresAt: now + input.holdMs + acceptMs,
        ended: false,
      };
      this.#current.set(key, lease);
      this.#open.add(lease);
      const taken = lease;
      setTimeout(() => this.#end(taken), acceptMs + 10).unref();
    }
    const drawn = lease;
    const amountUsd = input.amountUsd;
    drawn.heldUsd += amountUsd;
    drawn.inFlight += 1;
    return {
      ok: true,
      counted: true,
      statuses,
      release: (costUsd) => {
        drawn.heldUsd -= amountUsd;
        drawn.inFlight -= 1;
        if (costUsd === undefined) drawn.settledUsd += amountUsd;
        else drawn.spentUsd += costUsd;
        if (drawn.ended || available(drawn) < amountUsd) this.#end(drawn);
        else this.#attempts.soon();
      },
    };
  }

  /** Gives back every lease with no call under way (before statuses are read here; on close). */
  giveBackIdle(): void {
    for (const lease of [...this.#open]) if (lease.inFlight === 0) this.#end(lease);
  }

  /** No more calls on it; once none is under way its costs are written and its row removed. */
  #end(lease: Lease): void {
    lease.ended = true;
    if (this.#current.get(lease.key) === lease) this.#current.delete(lease.key);
    if (lease.inFlight > 0 || !this.#open.has(lease)) return;
    this.#open.delete(lease);
    if (!this.#db.open) return;
    try {
      this.#db.transaction(() => {
        // Its calls' attempts and costs first (with this lease's draw-down): no moment counts neither.
        this.#budgets.drawDown(lease.id, lease.spentUsd, lease.settledUsd);
        this.#attempts.flush();
        this.#budgets.release(lease.id);
      })();
    } catch {
      // Not written (another process holds the write lock past the busy timeout, a full disk): the lease
      // stays in the ledger with its costs, and is ended again a second later. Never thrown: this runs
      // from a timer or after a call has answered.
      this.#open.add(lease);
      setTimeout(() => this.#end(lease), retryEndMs).unref();
      return;
    }
    lease.spentUsd = 0;
    lease.settledUsd = 0;
  }
}

/** How long a lease whose end could not be written waits before it is ended again. */
const retryEndMs = 1_000;

function available(lease: Lease): number {
  return lease.grantedUsd - lease.heldUsd - lease.spentUsd - lease.settledUsd;
}
