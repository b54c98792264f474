/**
 * The extension's local database (IndexedDB through Dexie), opened by the service worker,
 * the popup and the options page. Every schema change is a new `db.version(n)` below,
 * with its upgrade function next to it: this file is the one place for migrations.
 *
 * IndexedDB cannot index booleans, so flags that are queried are stored as 0 / 1.
 */
import Dexie, { type EntityTable } from 'dexie';
import type { MailAddress, MailProvider } from './mail/types';
import type { WriteProof } from './outbox/write-unit';
import type { LocalFields, SyncBase } from './sync/fields';
import type { WriteIntent } from './sync/merge';

export type ActivityState = 'queued' | 'matching' | 'logging' | 'logged' | 'unresolved' | 'failed' | 'skipped';

/**
 * Work to do: one sent email or call to log. It holds the content needed to log it, and is
 * deleted once the activity is logged or skipped, so email bodies are not kept longer than needed.
 */
export interface OutboxEntry {
  /** Stable identity of the email (mailbox + provider message id), the de-duplication key. */
  key: string;
  kind: 'email' | 'call';
  createdAt: number;
  /** When the logger may next pick this entry up (ms since epoch). */
  nextAttemptAt: number;
  attempts: number;
  /** Provider-neutral content, as captured; shape owned by the logger. */
  payload: unknown;
  /**
   * Written before the logger sends this entry's records and cleared once the answer is known:
   * after a lost answer (or a killed worker) the logger first checks whether the records exist.
   */
  attempt?: OutboxAttempt;
  /** Records the rep picked for an unresolved email (search and assign); used instead of matching. */
  assigned?: CachedPerson[];
  /** Records this entry wrote that must be deleted: the email turned out to be in Salesforce already. */
  compensate?: string[];
  /** Write this entry alone: it failed in a batch without saying which record was at fault. */
  solo?: boolean;
  /**
   * The org and user it was captured for (the connection at the time). Another org never
   * receives it; the rep decides in the Activity tab. Missing: captured while not connected,
   * taken by the org the rep connects next.
   */
  owner?: OutboxOwner;
}

/** Who an outbox entry belongs to: a Salesforce org and user (a sandbox has its own org id). */
export interface OutboxOwner {
  orgId: string;
  userId: string;
  /** Where that org was, to name it to the rep. */
  instanceUrl: string;
}

export interface OutboxAttempt {
  at: number;
  /** How to find the records: a Task by subject and its Message-ID line, a call's Task by CallObject, an EmailMessage by MessageIdentifier. */
  proof: WriteProof;
  /** Salesforce answered (the write was refused or rolled back): check at once, no need to let it settle. */
  answered?: boolean;
  /** A check found nothing while the write could still commit: the next check is not before this. */
  checkAfter?: number;
  /** Why the write was refused, applied if the check finds nothing. */
  error?: { kind: string; message: string; errorCode?: string; field?: string };
  /** Addresses the write would have created leads for: looked up again before another try. */
  leadEmails?: string[];
  /** The refusal taught how to write it differently (lib/logging/refusals.ts): write again at once. */
  learned?: boolean;
  matched: ActivityRecord['matched'];
}

/** What the rep sees in the Activity tab: one row per email or call, without its body. */
export interface ActivityRecord {
  key: string;
  kind: 'email' | 'call';
  provider?: MailProvider;
  mailbox?: string;
  subject: string;
  recipients: MailAddress[];
  sentAt: number;
  updatedAt: number;
  state: ActivityState;
  /** For failed / skipped / unresolved: a reason kind the UI explains. */
  reason?: string;
  /** Salesforce ids of the records written (Task, EmailMessage) and matched (Contact, Lead, ...). */
  loggedIds: string[];
  matched: Array<{ id: string; type: string; name?: string; email?: string }>;
  /** Salesforce's own words for a failure (its message and errorCode), shown under the reason. */
  detail?: string;
  /** How the email was logged differently from the rep's choice (e.g. as a Task: Enhanced Email is off). */
  notes?: string[];
  /** Addresses that matched nothing (unresolved emails, or left out of a logged one). */
  unmatched?: string[];
  /**
   * Addresses whose new lead Salesforce refused as a duplicate: logged to the record it named
   * (`name`), or, without one, left out of the email.
   */
  duplicates?: Array<{ email: string; name?: string }>;
  /** 'inbound' for an email the rep received (its sender is `recipients[0]`); absent for sent email and calls. */
  direction?: 'inbound';
  /** Why a BCC-mode email goes through the API instead: its BCC copy did not go out (lib/outbox/queue.ts). */
  fallback?: 'bccMissing';
  /** A sent email's Account or Opportunity picked in the compose: its thread's replies follow it. */
  whatId?: string | undefined;
}

export type TaskPriority = 'High' | 'Normal' | 'Low';

/** A rep's task or reminder, kept locally and optionally synced with a Salesforce Task. */
export interface LocalTask {
  id: string;
  subject: string;
  details: string;
  /** A calendar date, YYYY-MM-DD, never shifted by time zones. */
  dueDate: string;
  /** Optional due time for the reminder, ms since epoch. */
  remindAt?: number;
  priority: TaskPriority;
  done: 0 | 1;
  whoId?: string;
  whoName?: string;
  /** Salesforce Task id once synced. */
  sfId?: string;
  /** Salesforce status text kept verbatim so that custom open statuses are never overwritten. */
  sfStatus?: string;
  createdAt: number;
  updatedAt: number;
  /** 1 while a local change waits to go to Salesforce. */
  pendingSync: 0 | 1;
  /** Soft delete: kept until the deletion reached Salesforce. */
  deleted: 0 | 1;
  /** Counts local edits, so a sync's write-back never overwrites an edit made while it ran. */
  rev?: number;
  /** 'sync' once the task takes part in task sync; tasks made while sync was off stay 'local'. */
  scope?: 'local' | 'sync';
  /** Imported from Salesforce rather than made here. */
  source?: 'salesforce';
  /** When the rep deleted it (the undo window runs from here). */
  deletedAt?: number;
  /** Both sides as they last agreed (lib/sync/merge.ts). */
  syncBase?: SyncBase;
  /** Written before a Salesforce update and cleared after, so an interrupted sync resumes exactly. */
  writeIntent?: WriteIntent;
  /** A create sent to Salesforce whose answer was not seen yet: the next sync looks for it before sending again. */
  createAttempt?: { at: number; fields: LocalFields };
  /** Why Salesforce refused this task's last write (a validation rule, no access); cleared by the next edit. */
  syncError?: { kind: string; message: string; at: number };
  /** When its reminder was shown, so a reminder is shown once even across restarts. */
  notifiedAt?: number;
}

/** Which Salesforce records an email address belongs to, so steady-state logging skips the lookup. */
export interface CachedAddress {
  email: string;
  records: CachedPerson[];
  checkedAt: number;
  /**
   * 'assigned': the rep chose these records for the address; kept until a record is gone.
   * 'duplicate': a new lead for the address was refused as a duplicate of these records (none:
   * of nothing the rep can log to), so the address is logged to them, or kept unresolved.
   */
  source?: 'match' | 'assigned' | 'duplicate';
}

/** A Contact or unconverted Lead with what logging needs of it. */
export interface CachedPerson {
  id: string;
  type: 'Contact' | 'Lead';
  name?: string;
  email?: string;
  accountId?: string | null;
  company?: string;
  createdDate?: string;
  /** LastActivityDate where the org has it, else LastModifiedDate. */
  lastActivity?: string;
  /** The account's most recently modified open opportunity (null: none), for contacts. */
  recentOpportunity?: string | null;
  recentOpportunityCheckedAt?: number;
  /** Open opportunities where this contact has a contact role. */
  opportunitiesWithRole?: string[];
  rolesCheckedAt?: number;
}

/** Small durable values: sync cursors, first-sync progress, counters. */
export interface StoredValue {
  key: string;
  value: unknown;
}

export type ExtensionDatabase = Dexie & {
  outbox: EntityTable<OutboxEntry, 'key'>;
  activities: EntityTable<ActivityRecord, 'key'>;
  tasks: EntityTable<LocalTask, 'id'>;
  addressCache: EntityTable<CachedAddress, 'email'>;
  values: EntityTable<StoredValue, 'key'>;
};

export const DATABASE_NAME = 'sales-activity-sync';

export function openDatabase(name = DATABASE_NAME): ExtensionDatabase {
  const db = new Dexie(name) as ExtensionDatabase;
  db.version(1).stores({
    outbox: '&key, nextAttemptAt',
    activities: '&key, state, sentAt, updatedAt',
    tasks: '&id, dueDate, [done+dueDate], sfId, pendingSync, updatedAt',
    addressCache: '&email, checkedAt',
    values: '&key',
  });
  // Reminders are re-armed at start from the tasks that have one, without reading every task.
  db.version(2).stores({
    tasks: '&id, dueDate, [done+dueDate], sfId, pendingSync, updatedAt, remindAt',
  });
  return db;
}

let shared: ExtensionDatabase | undefined;

/** The database every runtime of the extension shares. */
export function database(): ExtensionDatabase {
  shared ??= openDatabase();
  return shared;
}
