/**
 * What the rep does from the Activity tab: see every email and call with where it stands,
 * retry a failed one, and assign an unresolved email to a Contact or Lead they searched for.
 * Thin effects on the outbox and Activity rows; the runner does the logging.
 */
import type { ActivityRecord, CachedPerson, ExtensionDatabase, OutboxOwner } from '../db';
import { rememberAssignment } from './knowledge-store';
import { belongsTo } from './plan';

/** What the Activity tab shows. */
export interface ActivityView {
  rows: ActivityRecord[];
  /** Where records open in Salesforce (the connected instance), or null when not connected. */
  instanceUrl: string | null;
  failures: number;
  /** Why logging waits, when it does (offline, Salesforce unavailable, reconnect needed) and until when. */
  waiting: { kind: string; until: number | null } | null;
}

/** The rows the Activity tab shows, newest first. */
export async function listActivity(db: ExtensionDatabase, limit = 300): Promise<ActivityRecord[]> {
  return db.activities.orderBy('sentAt').reverse().limit(limit).toArray();
}

/** Failed rows: what the toolbar badge counts. */
export const countFailures = (db: ExtensionDatabase) => db.activities.where('state').equals('failed').count();

export type ActionProblem = 'notFound' | 'notRetryable' | 'notUnresolved' | 'notOtherOrg' | 'notConnected' | 'inDoubt';

/** Makes a failed entry due again; the runner then tries it as if new. */
export async function retryActivity(db: ExtensionDatabase, key: string, now: number): Promise<ActionProblem | null> {
  return db.transaction('rw', db.outbox, db.activities, async () => {
    const [entry, activity] = await Promise.all([db.outbox.get(key), db.activities.get(key)]);
    if (!entry || !activity) return 'notFound';
    if (activity.state !== 'failed' && activity.state !== 'queued') return 'notRetryable';
    await db.outbox.update(key, { nextAttemptAt: now, attempts: 0, solo: undefined });
    await db.activities.update(key, { state: 'queued', reason: undefined, detail: undefined, updatedAt: now });
    return null;
  });
}

/**
 * Logs an unresolved email to the records the rep chose. When one address was unmatched, it
 * is remembered as theirs, so the next email to it is logged without asking.
 */
export async function assignActivity(
  db: ExtensionDatabase,
  key: string,
  records: CachedPerson[],
  now: number,
): Promise<ActionProblem | null> {
  return db.transaction('rw', db.outbox, db.activities, db.addressCache, async () => {
    const [entry, activity] = await Promise.all([db.outbox.get(key), db.activities.get(key)]);
    if (!entry || !activity) return 'notFound';
    if (activity.state !== 'unresolved') return 'notUnresolved';
    const unmatched = activity.unmatched ?? [];
    const only = unmatched.length === 1 ? unmatched[0]! : null;
    const people = records.map((r) => (only && !r.email ? { ...r, email: only } : r));
    if (only) await rememberAssignment(db, only, people, now);
    await db.outbox.update(key, { assigned: people, nextAttemptAt: now, attempts: 0 });
    await db.activities.update(key, { state: 'queued', reason: undefined, detail: undefined, updatedAt: now });
    return null;
  });
}

/** What the rep may do with an entry captured for another org or user than the one connected. */
export type OtherOrgChoice = 'logHere' | 'discard';

/**
 * The rep's choice for an entry of another org: log it to the org connected now (only when no
 * write of it may be in its own org already), or not log it at all (its content is deleted).
 */
export async function chooseForOtherOrg(
  db: ExtensionDatabase,
  key: string,
  choice: OtherOrgChoice,
  owner: OutboxOwner | null,
  now: number,
): Promise<ActionProblem | null> {
  return db.transaction('rw', db.outbox, db.activities, async () => {
    const [entry, activity] = await Promise.all([db.outbox.get(key), db.activities.get(key)]);
    if (!entry || !activity) return 'notFound';
    if (!entry.owner || (owner && belongsTo(entry, owner))) return 'notOtherOrg';
    if (choice === 'discard') {
      await db.outbox.delete(key);
      await db.activities.update(key, { state: 'skipped', reason: 'discarded', detail: undefined, updatedAt: now });
      return null;
    }
    if (!owner) return 'notConnected';
    // A write that may have reached its own org is not repeated in another.
    if (entry.attempt || entry.compensate) return 'inDoubt';
    await db.outbox.update(key, { owner, nextAttemptAt: now, attempts: 0 });
    await db.activities.update(key, { state: 'queued', reason: undefined, detail: undefined, updatedAt: now });
    return null;
  });
}
