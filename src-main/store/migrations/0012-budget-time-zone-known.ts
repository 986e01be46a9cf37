import type { Migration } from '../Migration.ts';
import { isTimeZone } from '../../../src-shared/domain/timeZone.ts';
import { budgetTimeZoneKey } from '../budgetCalendar.ts';
import { processTimeZone } from '../ZonedCalendar.ts';

/**
 * Migration 0011 kept the zone the runtime named, and a process started with `TZ` set but empty
 * names "Etc/Unknown", a zone no calendar counts in: every budget read then failed ("Invalid time
 * zone") in that process, and every other process fell back to its own zone, two totals for one
 * day again. A kept zone this runtime does not know (or a value that is not a zone at all) is
 * replaced by this process's zone, as 0011 would have kept it; a known zone stays.
 */
export const migration0012: Migration = {
  version: 12,
  name: 'budget-time-zone-known',
  up(db) {
    const value = db.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(budgetTimeZoneKey);
    if (typeof value === 'string' && isTimeZone(parsed(value))) return;
    db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(budgetTimeZoneKey, JSON.stringify(processTimeZone()));
  },
};

function parsed(value: string): string {
  try {
    const zone: unknown = JSON.parse(value);
    return typeof zone === 'string' ? zone : '';
  } catch {
    return '';
  }
}
