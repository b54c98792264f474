/**
 * SOQL date literals (TODAY, LAST_N_DAYS:n, THIS_MONTH, ...) as [start, end) ranges in UTC
 * milliseconds. Salesforce evaluates them in the running user's time zone; the emulator's
 * users all live in UTC for these ranges, which keeps tests independent of the machine's zone.
 */

const DAY = 86_400_000;

function startOfDay(ms: number): number {
  return Math.floor(ms / DAY) * DAY;
}

function monthStart(year: number, month: number): number {
  return Date.UTC(year, month, 1);
}

export interface Range {
  start: number;
  end: number;
}

/** The range a date literal covers at `now`, or undefined when the literal is unknown. */
export function dateLiteralRange(literal: string, now: number): Range | undefined {
  const today = startOfDay(now);
  const d = new Date(today);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth();
  const weekStart = today - d.getUTCDay() * DAY; // weeks start on Sunday, as in the en_US locale
  const quarter = Math.floor(month / 3) * 3;
  const [name, nText] = literal.toUpperCase().split(':') as [string, string | undefined];
  const n = nText === undefined ? 0 : Number(nText);
  switch (name) {
    case 'YESTERDAY':
      return { start: today - DAY, end: today };
    case 'TODAY':
      return { start: today, end: today + DAY };
    case 'TOMORROW':
      return { start: today + DAY, end: today + 2 * DAY };
    case 'LAST_WEEK':
      return { start: weekStart - 7 * DAY, end: weekStart };
    case 'THIS_WEEK':
      return { start: weekStart, end: weekStart + 7 * DAY };
    case 'NEXT_WEEK':
      return { start: weekStart + 7 * DAY, end: weekStart + 14 * DAY };
    case 'LAST_MONTH':
      return { start: monthStart(year, month - 1), end: monthStart(year, month) };
    case 'THIS_MONTH':
      return { start: monthStart(year, month), end: monthStart(year, month + 1) };
    case 'NEXT_MONTH':
      return { start: monthStart(year, month + 1), end: monthStart(year, month + 2) };
    case 'LAST_90_DAYS':
      return { start: today - 90 * DAY, end: today + DAY };
    case 'NEXT_90_DAYS':
      return { start: today + DAY, end: today + 91 * DAY };
    case 'THIS_QUARTER':
      return { start: monthStart(year, quarter), end: monthStart(year, quarter + 3) };
    case 'LAST_QUARTER':
      return { start: monthStart(year, quarter - 3), end: monthStart(year, quarter) };
    case 'NEXT_QUARTER':
      return { start: monthStart(year, quarter + 3), end: monthStart(year, quarter + 6) };
    case 'THIS_YEAR':
      return { start: Date.UTC(year, 0, 1), end: Date.UTC(year + 1, 0, 1) };
    case 'LAST_YEAR':
      return { start: Date.UTC(year - 1, 0, 1), end: Date.UTC(year, 0, 1) };
    case 'NEXT_YEAR':
      return { start: Date.UTC(year + 1, 0, 1), end: Date.UTC(year + 2, 0, 1) };
    // "LAST_N_DAYS:n starts with the current day and continues for the past n days."
    case 'LAST_N_DAYS':
      return { start: today - n * DAY, end: today + DAY };
    case 'NEXT_N_DAYS':
      return { start: today + DAY, end: today + (n + 1) * DAY };
    case 'N_DAYS_AGO':
      return { start: today - n * DAY, end: today - (n - 1) * DAY };
    case 'LAST_N_WEEKS':
      return { start: weekStart - n * 7 * DAY, end: weekStart };
    case 'NEXT_N_WEEKS':
      return { start: weekStart + 7 * DAY, end: weekStart + (n + 1) * 7 * DAY };
    case 'LAST_N_MONTHS':
      return { start: monthStart(year, month - n), end: monthStart(year, month) };
    case 'NEXT_N_MONTHS':
      return { start: monthStart(year, month + 1), end: monthStart(year, month + 1 + n) };
    case 'LAST_N_YEARS':
      return { start: Date.UTC(year - n, 0, 1), end: Date.UTC(year, 0, 1) };
    case 'NEXT_N_YEARS':
      return { start: Date.UTC(year + 1, 0, 1), end: Date.UTC(year + 1 + n, 0, 1) };
    default:
      return undefined;
  }
}

/** A stored date ('2024-05-01') or datetime ('2024-05-01T09:30:00.000+0000') as UTC milliseconds. */
export function toMillis(value: string): number {
  return Date.parse(value);
}

/** Today's date in the emulator's clock, as Salesforce writes dates. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
