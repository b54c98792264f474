/**
 * The diagnostic counts in `storage.local`, written by the worker alone: counts from every mail
 * tab arrive as messages, so two tabs never overwrite each other's, and a restarted worker
 * finds them all. The options page reads them under DIAGNOSTICS_KEY.
 */
import type { MailProvider } from '../mail/types';
import { storage } from '../storage';
import { type DiagnosticCounts, firstDayKept } from './counters';

export const DIAGNOSTICS_KEY = 'local:diagnostics';

const countsItem = storage.defineItem<DiagnosticCounts>(DIAGNOSTICS_KEY, { fallback: {} });

/** The stored counts plus a tab's, keeping only the last DIAGNOSTIC_DAYS days. */
export function addCounts(stored: DiagnosticCounts, provider: MailProvider, sent: DiagnosticCounts, now: number): DiagnosticCounts {
  const from = firstDayKept(now);
  const next: DiagnosticCounts = {};
  // Keys start with their day, so a key sorts before `from` exactly when its day does.
  for (const [key, n] of Object.entries(stored)) if (key >= from && Number.isInteger(n)) next[key] = n;
  for (const [key, n] of Object.entries(sent)) {
    const stamped = `${key.slice(0, 11)}${provider} ${key.slice(11)}`;
    if (stamped >= from) next[stamped] = (next[stamped] ?? 0) + n;
  }
  return next;
}

let queue: Promise<unknown> = Promise.resolve();

/** Adds a tab's counts; serialised, as tabs report at the same time. */
export function recordDiagnostics(provider: MailProvider, sent: DiagnosticCounts, now = Date.now()): Promise<null> {
  const next = queue.then(async () => {
    await countsItem.setValue(addCounts(await countsItem.getValue(), provider, sent, now));
    return null;
  });
  queue = next.catch(() => undefined);
  return next;
}
