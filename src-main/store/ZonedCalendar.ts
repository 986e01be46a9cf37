import { isTimeZone } from '../../src-shared/domain/timeZone.ts';

/**
 * Days and months as they run in one IANA time zone, whatever zone this process runs in: when the
 * day or month holding an instant began, and when the next day begins. Budgets count by it, so
 * the app and a CLI run under another `TZ` put a call in the same day. Midnight is found by a
 * search over the zone's own clock (a zone that skips midnight for summer time starts that day at
 * the first instant that has its date), and the last day and month found are kept.
 */
export class ZonedCalendar {
  readonly zone: string;
  readonly #format: Intl.DateTimeFormat;
  #day: { start: number; end: number } | undefined;
  #month: { start: number; end: number } | undefined;

  /** Throws a RangeError for a zone the runtime does not know (isTimeZone). */
  constructor(zone: string) {
    this.#format = new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: 'numeric', day: 'numeric' });
    this.zone = this.#format.resolvedOptions().timeZone;
  }

  /** When the day holding `ms` began. */
  dayStart(ms: number): number {
    return this.#dayOf(ms).start;
  }

  /** When the day after the one holding `ms` begins. */
  nextDayStart(ms: number): number {
    return this.#dayOf(ms).end;
  }

  /** When the month holding `ms` began. */
  monthStart(ms: number): number {
    const known = this.#month;
    if (known && ms >= known.start && ms < known.end) return known.start;
    const [year, month] = this.#date(ms);
    const start = this.#firstInstantOf(year, month, 1);
    this.#month = { start, end: this.#firstInstantOf(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) };
    return start;
  }

  #dayOf(ms: number): { start: number; end: number } {
    const known = this.#day;
    if (known && ms >= known.start && ms < known.end) return known;
    const [year, month, day] = this.#date(ms);
    const next = new Date(Date.UTC(year, month - 1, day + 1));
    const found = { start: this.#firstInstantOf(year, month, day), end: this.#firstInstantOf(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate()) };
    this.#day = found;
    return found;
  }

  /** The zone's calendar date at `ms`: [year, month 1-12, day]. */
  #date(ms: number): [number, number, number] {
    let year = 0;
    let month = 0;
    let day = 0;
    for (const part of this.#format.formatToParts(ms)) {
      if (part.type === 'year') year = Number(part.value);
      else if (part.type === 'month') month = Number(part.value);
      else if (part.type === 'day') day = Number(part.value);
    }
    return [year, month, day];
  }

  /** The first whole second whose date in the zone is on or after year-month-day. */
  #firstInstantOf(year: number, month: number, day: number): number {
    const wanted = year * 10_000 + month * 100 + day;
    const dateNumber = (ms: number) => {
      const [y, m, d] = this.#date(ms);
      return y * 10_000 + m * 100 + d;
    };
    // UTC offsets lie within -12 h and +14 h: midnight there is within these bounds of UTC midnight.
    const utcMidnight = Date.UTC(year, month - 1, day);
    let low = (utcMidnight - 15 * 3_600_000) / 1000;
    let high = (utcMidnight + 13 * 3_600_000) / 1000;
    while (low < high) {
      const middle = Math.floor((low + high) / 2);
      if (dateNumber(middle * 1000) >= wanted) high = middle;
      else low = middle + 1;
    }
    return low * 1000;
  }
}

/**
 * This process's own time zone, always one the runtime can count in. A runtime may name none, or
 * a zone it cannot use itself: with `TZ` set but empty (`TZ=` in a container or a CI job) ICU
 * says "Etc/Unknown", which every calendar refuses. UTC then, never an unusable value kept.
 */
export function processTimeZone(): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return zone && isTimeZone(zone) ? zone : 'UTC';
}
