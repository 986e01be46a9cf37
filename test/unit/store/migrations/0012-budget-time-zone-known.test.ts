import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migratedTo } from '../../../support/migratedTo.ts';
import { processTimeZone } from '../../../../src-main/store/ZonedCalendar.ts';

describe('migration 0012-budget-time-zone-known', () => {
  const zoneOf = (db: Database.Database) => db.prepare("SELECT value FROM settings WHERE key = 'budgetTimeZone'").pluck().get();
  const keeping = (value: string) => {
    const db = migratedTo(11);
    db.prepare("UPDATE settings SET value = ? WHERE key = 'budgetTimeZone'").run(value);
    return migratedTo(12, db);
  };

  it('replaces a kept zone no calendar counts in (what a process with TZ set but empty kept) with this process’s zone', () => {
    expect(zoneOf(keeping('"Etc/Unknown"'))).toBe(JSON.stringify(processTimeZone()));
    expect(zoneOf(keeping('""'))).toBe(JSON.stringify(processTimeZone()));
    expect(zoneOf(keeping('42'))).toBe(JSON.stringify(processTimeZone()));
  });

  it('keeps a zone the runtime knows', () => {
    expect(zoneOf(keeping('"Asia/Tokyo"'))).toBe('"Asia/Tokyo"');
    expect(zoneOf(keeping('"UTC"'))).toBe('"UTC"');
  });

  it('keeps one when none was kept', () => {
    const db = migratedTo(11);
    db.prepare("DELETE FROM settings WHERE key = 'budgetTimeZone'").run();
    expect(zoneOf(migratedTo(12, db))).toBe(JSON.stringify(processTimeZone()));
  });
});
