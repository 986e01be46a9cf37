import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migratedTo } from '../../../support/migratedTo.ts';
import { processTimeZone } from '../../../../src-main/store/ZonedCalendar.ts';

describe('migration 0011-budget-time-zone', () => {
  const zoneOf = (db: Database.Database) => db.prepare("SELECT value FROM settings WHERE key = 'budgetTimeZone'").pluck().get();

  it('keeps the zone of the process that opens the data folder first, and the settings there were', () => {
    const db = migratedTo(10);
    db.prepare("INSERT INTO settings (key, value) VALUES ('theme', '\"dark\"')").run();
    migratedTo(11, db);
    expect(zoneOf(db)).toBe(JSON.stringify(processTimeZone()));
    expect(db.prepare("SELECT value FROM settings WHERE key = 'theme'").pluck().get()).toBe('"dark"');
  });

  it('never replaces a zone already kept', () => {
    const db = migratedTo(10);
    db.prepare("INSERT INTO settings (key, value) VALUES ('budgetTimeZone', '\"Asia/Tokyo\"')").run();
    migratedTo(11, db);
    expect(zoneOf(db)).toBe('"Asia/Tokyo"');
  });
});
