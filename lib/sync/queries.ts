/**
 * The SOQL task sync sends, built in one place from escaped literals. Pure.
 *
 * Changes are read with a keyset on (SystemModstamp, Id): resumable from the last record
 * applied, whatever the page size Salesforce chooses, and never stuck on many records that
 * share one timestamp.
 */
import { soqlDateTime, soqlId } from '../salesforce/soql';

export const PAGE_SIZE = 2000;

export interface Keyset {
  /** SystemModstamp as Salesforce returned it. */
  modstamp: string;
  /** '' before the first id. */
  id: string;
}

const FIELDS = 'Id, Subject, Description, ActivityDate, Priority, Status, IsClosed, WhoId, Who.Name, SystemModstamp, CreatedDate';

/**
 * The rep's own to-dos. Email and call Tasks are activity logs (the extension writes them too),
 * not things to do, and stay out of the command center.
 */
export function ownTasks(userId: string): string {
  return `OwnerId = ${soqlId(userId)} AND TaskSubtype NOT IN ('Email', 'ListEmail', 'Call')`;
}

function after(keyset: Keyset | null): string {
  if (!keyset) return '';
  const at = soqlDateTime(keyset.modstamp);
  return keyset.id === ''
    ? ` AND SystemModstamp >= ${at}`
    : ` AND (SystemModstamp > ${at} OR (SystemModstamp = ${at} AND Id > ${soqlId(keyset.id)}))`;
}

const recentlyTouched = (since: string) => {
  const at = soqlDateTime(since);
  return `(LastModifiedDate >= ${at} OR CreatedDate >= ${at})`;
};

/** The first sync: tasks created or updated since `since` (24 hours before it started). */
export function importQuery(userId: string, since: string, from: Keyset | null): string {
  return `SELECT ${FIELDS} FROM Task WHERE ${ownTasks(userId)} AND ${recentlyTouched(since)}${after(from)} ORDER BY SystemModstamp ASC, Id ASC LIMIT ${PAGE_SIZE}`;
}

export function importCountQuery(userId: string, since: string): string {
  return `SELECT COUNT() FROM Task WHERE ${ownTasks(userId)} AND ${recentlyTouched(since)}`;
}

/** Everything changed after the keyset. */
export function changesQuery(userId: string, from: Keyset): string {
  return `SELECT ${FIELDS} FROM Task WHERE ${ownTasks(userId)}${after(from)} ORDER BY SystemModstamp ASC, Id ASC LIMIT ${PAGE_SIZE}`;
}

/** Tasks the rep created since `since`: where a create whose answer was lost is found again. */
export function createdSinceQuery(userId: string, since: number): string {
  return `SELECT ${FIELDS} FROM Task WHERE ${ownTasks(userId)} AND CreatedById = ${soqlId(userId)} AND CreatedDate >= ${soqlDateTime(since)} ORDER BY CreatedDate ASC, Id ASC LIMIT ${PAGE_SIZE}`;
}

/** Ids of all the rep's tasks, in pages: the full reconciliation after a long gap. */
export function allIdsQuery(userId: string, afterId: string): string {
  return `SELECT Id FROM Task WHERE ${ownTasks(userId)}${afterId ? ` AND Id > ${soqlId(afterId)}` : ''} ORDER BY Id ASC LIMIT ${PAGE_SIZE}`;
}

/**
 * What became of linked tasks missing from the rep's list, through queryAll: deleted (or gone
 * from the recycle bin: not returned), archived (closed and a year old), or now someone else's.
 */
export function fateQuery(ids: readonly string[]): string {
  return `SELECT Id, IsDeleted, IsArchived, OwnerId FROM Task WHERE Id IN (${ids.map(soqlId).join(', ')})`;
}
/** Ids per fateQuery: short enough for any URL, five to a composite call. */
export const FATE_IDS_PER_QUERY = 200;

/** Salesforce's replication window for deletions (sobjects/Task/deleted). */
export const DELETED_HISTORY_MS = 15 * 24 * 60 * 60_000;
const MINUTE = 60_000;

/** The replication resources take whole minutes in ISO 8601 with an offset. */
export function replicationDate(ms: number): string {
  return new Date(Math.floor(ms / MINUTE) * MINUTE).toISOString().replace('.000Z', '+00:00');
}

/** Whole minutes a replication window spans at least: Salesforce wants more than one (docs/salesforce.md). */
export const MIN_WINDOW_MINUTES = 2;

/**
 * The deletions request for the window from `since` to `now` (both on Salesforce's clock), or
 * why there is none: too soon (Salesforce needs more than a minute between start and end, after
 * dropping seconds) or too late (older than its 15 days: reconcile instead).
 */
export function deletedRequest(since: string, now: number): { path: string } | 'tooSoon' | 'beyondHistory' {
  const start = Date.parse(since);
  // An hour's margin for a clock measured to the second.
  if (start < now - DELETED_HISTORY_MS + 60 * MINUTE) return 'beyondHistory';
  if (Math.floor(now / MINUTE) - Math.floor(start / MINUTE) < MIN_WINDOW_MINUTES) return 'tooSoon';
  return {
    path: `/sobjects/Task/deleted/?start=${encodeURIComponent(replicationDate(start))}&end=${encodeURIComponent(replicationDate(now))}`,
  };
}
