/**
 * Diagnostic counters: how often, per day and mail provider, something happened that can mean a
 * sent email escaped logging. Counts only, never email content or addresses (docs/diagnostics.md).
 *
 * A count travels from the content script to the worker under a key "<day> <counter>"; the worker
 * stores it as "<day> <provider> <counter>", the provider taken from the sender's page, not from
 * what the page says. Days are the browser's local dates (YYYY-MM-DD), as the rep reads them.
 */

export const DIAGNOSTIC_COUNTERS = [
  /** A send seen on the network that no tracked compose accounts for: the rep's on/off was not known. */
  'sendNoCompose',
  /** A compose that closed (sent or not) without the control ever shown in it. */
  'controlNotPlaced',
  /** The Email-to-Salesforce address added to a send request by the page world, the compose's BCC having failed. */
  'bccInRequest',
  /** A send report the worker did not take at the first attempt (it was retried). */
  'reportRetried',
  /** A send report given up: the tab's mailbox was not known. */
  'droppedNoMailbox',
  /** A send report given up: the worker refused it. */
  'droppedRefused',
  /** A send report given up: the worker did not take it in about an hour of attempts. */
  'droppedUnreachable',
] as const;

export type DiagnosticCounter = (typeof DIAGNOSTIC_COUNTERS)[number];

/** Counts by "<day> <counter>" (as sent) or "<day> <provider> <counter>" (as stored). */
export type DiagnosticCounts = Record<string, number>;

/** How many days of counts are kept and shown, today included. */
export const DIAGNOSTIC_DAYS = 30;

const DAY_MS = 86_400_000;

/** The local date of a time, as YYYY-MM-DD (sorts as text). */
export const dayOf = (time: number) => new Date(time - new Date(time).getTimezoneOffset() * 60_000).toISOString().slice(0, 10);

/** The first day still kept at `now`. */
export const firstDayKept = (now: number) => dayOf(now - (DIAGNOSTIC_DAYS - 1) * DAY_MS);

const DAY = /^\d{4}-\d\d-\d\d$/;
const NAMES: readonly string[] = DIAGNOSTIC_COUNTERS;

/** Counts as a content script sends them: at most 500 keys "<day> <counter>", each a whole number from 1 to 100,000. */
export function areSentCounts(counts: Record<string, unknown>): boolean {
  const entries = Object.entries(counts);
  return (
    entries.length <= 500 &&
    entries.every(
      ([key, n]) =>
        key[10] === ' ' &&
        DAY.test(key.slice(0, 10)) &&
        NAMES.includes(key.slice(11)) &&
        Number.isInteger(n) &&
        (n as number) > 0 &&
        (n as number) <= 1e5,
    )
  );
}
