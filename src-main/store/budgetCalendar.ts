import type { Database, Statement } from 'better-sqlite3';
import { cacheRowsUntilChange } from './cacheUntilChange.ts';
import { isTimeZone } from '../../src-shared/domain/timeZone.ts';
import { processTimeZone, ZonedCalendar } from './ZonedCalendar.ts';

/** The settings key of the time zone budgets count days and months in (stored by migration 0011). */
export const budgetTimeZoneKey = 'budgetTimeZone';

const calendars = new WeakMap<Database, () => ZonedCalendar>();

/**
 * The calendar budgets and spending totals count by in this data folder: its stored time zone
 * (`settings.budgetTimeZone`, the zone of the process that first opened the folder, changeable
 * with `service-creator budget zone <zone>` or the budgets.timeZone channel), so every process, whatever its own `TZ`, puts a
 * call in the same day and month. Read again only when the configuration changes. A row missing
 * or holding a zone this runtime does not know counts in this process's zone.
 */
export function budgetCalendar(db: Database): ZonedCalendar {
  let read = calendars.get(db);
  if (read === undefined) {
    let current: ZonedCalendar | undefined;
    let select: Statement | undefined;
    read = cacheRowsUntilChange(
      db,
      () => (select ??= db.prepare('SELECT value FROM settings WHERE key = ?').raw()).all(budgetTimeZoneKey) as unknown[][],
      (rows) => {
        const stored = storedZone(rows[0]?.[0]);
        const zone = stored !== undefined && isTimeZone(stored) ? stored : processTimeZone();
        if (current?.zone !== zone) current = new ZonedCalendar(zone);
        return current;
      },
    );
    calendars.set(db, read);
  }
  return read();
}

function storedZone(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'string' ? parsed : undefined;
  } catch {
    return undefined;
  }
}
