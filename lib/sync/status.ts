/**
 * What task sync remembers between runs (its cursors) and what it tells the rep (its status),
 * both in `db.values`, so a worker killed at any point starts again from what was committed.
 * The popup and options page read the status straight from the database (Dexie liveQuery).
 */
import type { ExtensionDatabase } from '../db';
import type { SalesforceErrorKind } from '../salesforce/errors';
import type { Conflict } from './merge';
import type { Keyset } from './queries';

export const STATE_KEY = 'taskSync.state';
export const STATUS_KEY = 'taskSync.status';

export interface TaskSyncState {
  /** The Salesforce user these cursors are for; another user starts over. */
  userId: string;
  /** The first two-way sync's import: from when (24 hours before it began), and how far it got. */
  importSince: string | null;
  importFrom: Keyset | null;
  importStartedAt: number;
  imported: boolean;
  importTotal: number | null;
  importDone: number;
  /** The last Salesforce change applied here. */
  cursor: Keyset | null;
  /** When the cursor last moved (our clock): the next read re-reads a little, for late commits. */
  cursorMovedAt: number;
  /** Start of the next sobjects/Task/deleted window. */
  deletedSince: string | null;
  /** Set when the deletion history cannot cover the gap: the next run compares every id. */
  reconcile: boolean;
  /** Salesforce's clock minus this browser's, as last measured (for a run's first request). */
  clockOffsetMs?: number;
}

export function freshState(userId: string): TaskSyncState {
  return {
    userId,
    importSince: null,
    importFrom: null,
    importStartedAt: 0,
    imported: false,
    importTotal: null,
    importDone: 0,
    cursor: null,
    cursorMovedAt: 0,
    deletedSince: null,
    reconcile: false,
  };
}

/** A change that lost to the rule, as the rep sees it. */
export interface ConflictNote extends Conflict {
  taskId: string;
  subject: string;
  at: number;
}

export interface TaskSyncRun {
  at: number;
  ok: boolean;
  error?: { kind: SalesforceErrorKind; message: string };
  /** Salesforce tasks brought here (new or changed), tasks written to Salesforce, tasks removed here. */
  pulled: number;
  pushed: number;
  removed: number;
  apiCalls: number;
}

export interface TaskSyncStatus {
  /** Set while a run is going; `heartbeat` tells a live run from one whose worker died. */
  running: boolean;
  heartbeat: number;
  /** While the first sync imports: how many of how many. */
  importProgress: { done: number; total: number | null } | null;
  last: TaskSyncRun | null;
  /** When the last run that succeeded ended. */
  lastSuccessAt: number | null;
  /** The latest overruled changes, newest first. */
  conflicts: ConflictNote[];
}

export const IDLE_STATUS: TaskSyncStatus = {
  running: false,
  heartbeat: 0,
  importProgress: null,
  last: null,
  lastSuccessAt: null,
  conflicts: [],
};

/** A run whose heartbeat is older than this died with its worker. */
export const HEARTBEAT_STALE_MS = 90_000;
const KEPT_CONFLICTS = 20;

export async function readState(db: ExtensionDatabase): Promise<TaskSyncState | null> {
  return ((await db.values.get(STATE_KEY))?.value as TaskSyncState | undefined) ?? null;
}

export async function writeState(db: ExtensionDatabase, state: TaskSyncState): Promise<void> {
  await db.values.put({ key: STATE_KEY, value: state });
}

export async function readStatus(db: ExtensionDatabase): Promise<TaskSyncStatus> {
  return ((await db.values.get(STATUS_KEY))?.value as TaskSyncStatus | undefined) ?? IDLE_STATUS;
}

export async function updateStatus(db: ExtensionDatabase, change: (status: TaskSyncStatus) => TaskSyncStatus): Promise<TaskSyncStatus> {
  return db.transaction('rw', db.values, async () => {
    const next = change(await readStatus(db));
    await db.values.put({ key: STATUS_KEY, value: next });
    return next;
  });
}

export function withConflicts(status: TaskSyncStatus, notes: ConflictNote[]): TaskSyncStatus {
  if (notes.length === 0) return status;
  return { ...status, conflicts: [...notes.reverse(), ...status.conflicts].slice(0, KEPT_CONFLICTS) };
}

/** Whether the status shows a run in progress (and not one that died with its worker). */
export const isRunning = (status: TaskSyncStatus, now: number) => status.running && now - status.heartbeat < HEARTBEAT_STALE_MS;
