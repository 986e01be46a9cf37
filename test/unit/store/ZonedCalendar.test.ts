import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { budgetCalendar } from '../../../src-main/store/budgetCalendar.ts';
import { processTimeZone, ZonedCalendar } from '../../../src-main/store/ZonedCalendar.ts';
import { isTimeZone } from '../../../src-shared/domain/timeZone.ts';

const iso = (ms: number) => new Date(ms).toISOString();
const at = Date.parse('2026-12-03T14:20:00.000Z');

describe('ZonedCalendar', () => {
  it('finds midnight and the first of the month in the zone, whatever the process runs in', () => {
    const cases: [string, string, string, string][] = [
      ['UTC', '2026-12-03T00:00:00.000Z', '2026-12-04T00:00:00.000Z', '2026-12-01T00:00:00.000Z'],
      ['Europe/Berlin', '2026-12-02T23:00:00.000Z', '2026-12-03T23:00:00.000Z', '2026-11-30T23:00:00.000Z'],
      ['Pacific/Kiritimati', '2026-12-03T10:00:00.000Z', '2026-12-04T10:00:00.000Z', '2026-11-30T10:00:00.000Z'],
      ['Pacific/Pago_Pago', '2026-12-03T11:00:00.000Z', '2026-12-04T11:00:00.000Z', '2026-12-01T11:00:00.000Z'],
      ['Asia/Kathmandu', '2026-12-02T18:15:00.000Z', '2026-12-03T18:15:00.000Z', '2026-11-30T18:15:00.000Z'],
    ];
    for (const [zone, day, next, month] of cases) {
      const calendar = new ZonedCalendar(zone);
      expect([iso(calendar.dayStart(at)), iso(calendar.nextDayStart(at)), iso(calendar.monthStart(at))], zone).toEqual([day, next, month]);
    }
  });

  it('a day whose midnight the zone skips for summer time starts at its first instant; days around a change are 23 and 25 hours', () => {
    // Havana went from 00:00 to 01:00 on 2024-03-10.
    expect(iso(new ZonedCalendar('America/Havana').dayStart(Date.parse('2024-03-10T12:00:00Z')))).toBe('2024-03-10T05:00:00.000Z');
    const berlin = new ZonedCalendar('Europe/Berlin');
    const spring = Date.parse('2026-03-29T12:00:00Z');
    const autumn = Date.parse('2026-10-25T12:00:00Z');
    expect(berlin.nextDayStart(spring) - berlin.dayStart(spring)).toBe(23 * 3_600_000);
    expect(berlin.nextDayStart(autumn) - berlin.dayStart(autumn)).toBe(25 * 3_600_000);
  });

  it('the edges of a day and month belong to the right one, also after the last ones found are kept', () => {
    const calendar = new ZonedCalendar('Europe/Berlin');
    const start = calendar.dayStart(at);
    expect(calendar.dayStart(start)).toBe(start);
    expect(calendar.dayStart(start - 1)).toBe(start - 24 * 3_600_000);
    expect(calendar.dayStart(start + 24 * 3_600_000 - 1)).toBe(start);
    expect(calendar.dayStart(start + 24 * 3_600_000)).toBe(start + 24 * 3_600_000);
    const month = calendar.monthStart(at);
    expect(iso(calendar.monthStart(month - 1))).toBe('2026-10-31T23:00:00.000Z');
    expect(calendar.monthStart(month)).toBe(month);
    // December to January crosses the year.
    expect(iso(calendar.monthStart(Date.parse('2027-01-01T00:30:00Z')))).toBe('2026-12-31T23:00:00.000Z');
  });

  it('knows the zones the runtime knows, and refuses others', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    for (const zone of ['Mars/Olympus_Mons', '', ' ', 'Europe/Berlin\n']) expect(isTimeZone(zone), JSON.stringify(zone)).toBe(false);
    expect(() => new ZonedCalendar('Mars/Olympus_Mons')).toThrow(RangeError);
  });
});

describe('processTimeZone', () => {
  it('is always a zone a calendar counts in: with TZ set but empty the runtime says "Etc/Unknown", and it is UTC', () => {
    const before = process.env.TZ;
    try {
      // Node applies a change of TZ at once (Intl included).
      process.env.TZ = '';
      expect(Intl.DateTimeFormat().resolvedOptions().timeZone).toBe('Etc/Unknown');
      expect(processTimeZone()).toBe('UTC');
      expect(() => new ZonedCalendar(processTimeZone())).not.toThrow();
      process.env.TZ = 'Asia/Tokyo';
      expect(processTimeZone()).toBe('Asia/Tokyo');
    } finally {
      if (before === undefined) delete process.env.TZ;
      else process.env.TZ = before;
    }
  });
});

describe('budgetCalendar', () => {
  it('counts in the zone the data folder keeps, seen by a connection once another one changes it; an unknown zone counts in this process’s', () => {
    const db = new Database(':memory:');
    db.exec("CREATE TABLE settings (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL); CREATE TABLE config_generation (id INTEGER PRIMARY KEY, n INTEGER NOT NULL); INSERT INTO config_generation VALUES (1, 0);");
    expect(budgetCalendar(db).zone).toBe(processTimeZone());
    const set = (zone: string) => {
      db.prepare("INSERT INTO settings (key, value) VALUES ('budgetTimeZone', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(JSON.stringify(zone));
      db.prepare('UPDATE config_generation SET n = n + 1').run();
    };
    set('Pacific/Kiritimati');
    expect(budgetCalendar(db).zone).toBe('Pacific/Kiritimati');
    expect(iso(budgetCalendar(db).dayStart(at))).toBe('2026-12-03T10:00:00.000Z');
    set('Mars/Olympus_Mons');
    expect(budgetCalendar(db).zone).toBe(processTimeZone());
  });
});
