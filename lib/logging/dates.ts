/**
 * Dates as the rep sees them: a Task's ActivityDate is the calendar day the email was sent in
 * the rep's own time zone (a date without time, never shifted by Salesforce), and the header
 * block shows the local time of sending.
 */

function parts(ms: number, timeZone: string): Record<string, string> {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return Object.fromEntries(format.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
}

/** YYYY-MM-DD of the instant in `timeZone` (an IANA name such as "Asia/Tokyo"). */
export function calendarDate(ms: number, timeZone: string): string {
  const p = parts(ms, timeZone);
  return `${p.year}-${p.month}-${p.day}`;
}

/** "2026-11-28 09:05 (Asia/Tokyo)": the header block's Date line. */
export function localDateTime(ms: number, timeZone: string): string {
  const p = parts(ms, timeZone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} (${timeZone})`;
}

/** The time zone of this browser, which is the rep's. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
