import type { Migration } from '../Migration.ts';
import { budgetTimeZoneKey } from '../budgetCalendar.ts';
import { processTimeZone } from '../ZonedCalendar.ts';

/**
 * Budgets counted their days and months from midnight in each process's own zone, so the app and
 * a CLI run under another `TZ` kept two totals for one day (a daily budget could be spent once in
 * each). The data folder now has one zone, this process's (the one opening it first with this
 * version: the same as before for everyone who never set `TZ` apart), kept in settings.
 */
export const migration0011: Migration = {
  version: 11,
  name: 'budget-time-zone',
  up(db) {
    db.prepare('INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)').run(budgetTimeZoneKey, JSON.stringify(processTimeZone()));
  },
};
