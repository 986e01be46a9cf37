import { localDateText } from '../../../src-shared/domain/usage.ts';

/** The ranges the Usage page offers: the last 7 or 30 days (today included), or this month. */
export const usageRanges = [
  { id: 'week', label: 'Last 7 days' },
  { id: 'days30', label: 'Last 30 days' },
  { id: 'month', label: 'This month' },
] as const;
export type UsageRange = (typeof usageRanges)[number]['id'];

/** The first day of a range (local date, YYYY-MM-DD). */
export function rangeStart(range: UsageRange, now: Date = new Date()): string {
  const start =
    range === 'month' ? new Date(now.getFullYear(), now.getMonth(), 1) : new Date(now.getFullYear(), now.getMonth(), now.getDate() - (range === 'week' ? 6 : 29));
  return localDateText(start);
}

/** Every local day from `since` (YYYY-MM-DD) to today, so the day charts show days without calls too. */
export function daysFrom(since: string, now: Date = new Date()): string[] {
  const [year, month, day] = since.split('-').map(Number);
  const days: string[] = [];
  const today = localDateText(now);
  for (let date = new Date(year ?? 1970, (month ?? 1) - 1, day ?? 1); days.length < 400; date.setDate(date.getDate() + 1)) {
    const text = localDateText(date);
    days.push(text);
    if (text >= today) break;
  }
  return days;
}
