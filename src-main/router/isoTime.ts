const dayMs = 86_400_000;
let dayStart = Number.NaN;
let dayPrefix = '';

/**
 * `new Date(ms).toISOString()`, made from the day's part (formatted once a day) and the time of
 * day in plain arithmetic: every attempt records when it started, and the Date round trip cost
 * more than a microsecond of each model call (bench/routerCpu.ts). Times before 1970 or past
 * year 9999 go through Date.
 */
export function isoTime(ms: number): string {
  if (!(ms >= dayStart && ms < dayStart + dayMs)) {
    if (!Number.isInteger(ms) || ms < 0 || ms >= 253_402_300_800_000) return new Date(ms).toISOString();
    dayStart = ms - (ms % dayMs);
    dayPrefix = new Date(dayStart).toISOString().slice(0, 11);
  }
  const ofDay = ms - dayStart;
  const hours = Math.floor(ofDay / 3_600_000);
  const minutes = Math.floor(ofDay / 60_000) % 60;
  const seconds = Math.floor(ofDay / 1_000) % 60;
  const millis = ofDay % 1_000;
  return `${dayPrefix}${hours < 10 ? '0' : ''}${hours}:${minutes < 10 ? '0' : ''}${minutes}:${seconds < 10 ? '0' : ''}${seconds}.${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
}
