import type { Migration } from '../Migration.ts';

/**
 * Who holds each budget reservation: the core (ProcessOwner's token) whose call or lease made it.
 * A reservation of a process killed mid-call used to count against its budgets until it expired
 * (the call's deadline and a minute more, about 16 minutes): near a limit, every other process's
 * calls were refused meanwhile. The next process to reserve, or to show the budgets, now gives
 * back at once what an owner that is gone held (BudgetRepository). Rows written before have no
 * owner and lapse when they expire, as before.
 */
export const migration0014: Migration = {
  version: 14,
  name: 'budget-ledger-owner',
  up(db) {
    db.exec('ALTER TABLE budget_ledger ADD COLUMN owner TEXT');
  },
};
