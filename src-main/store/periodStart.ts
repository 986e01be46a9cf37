import type { Budget } from '../../src-shared/domain/budget.ts';
import type { ZonedCalendar } from './ZonedCalendar.ts';

/** When a budget's current period began, in ms: midnight today, or the first of this month, in the calendar's zone (budgetCalendar). */
export function periodStart(period: Budget['period'], now: number, calendar: ZonedCalendar): number {
  return period === 'day' ? calendar.dayStart(now) : calendar.monthStart(now);
}
