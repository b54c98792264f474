/**
 * The fields task sync keeps in step, in both shapes: the extension's (LocalFields) and
 * Salesforce's Task (RemoteFields), and the one mapping between them (README, "Task sync").
 * Pure: no Dexie, no network.
 */
import type { TaskPriority } from '../db';

/** What sync compares of a local task. */
export interface LocalFields {
  subject: string;
  details: string;
  /** A calendar date, YYYY-MM-DD, or '' for none. Never converted through a time zone. */
  dueDate: string;
  priority: TaskPriority;
  done: boolean;
  /** A Contact (003) or Lead (00Q) id, or ''. */
  whoId: string;
}

/** What sync compares of a Salesforce Task; null fields are read as ''. */
export interface RemoteFields {
  Subject: string;
  Description: string;
  ActivityDate: string;
  Priority: string;
  /** Verbatim: orgs add their own statuses, and an open one we did not change is never overwritten. */
  Status: string;
  /** Salesforce's own reading of Status (closed statuses are org-defined). */
  IsClosed: boolean;
  WhoId: string;
}

/** A Salesforce Task as the sync reads it: the compared fields plus identity and bookkeeping. */
export interface RemoteTask extends RemoteFields {
  Id: string;
  /** Who.Name, for display only. */
  whoName: string;
  SystemModstamp: string;
}

/** The values both sides had when they last agreed: each side is compared with its own shape. */
export interface SyncBase {
  local: LocalFields;
  remote: RemoteFields;
}

/** A Task write in Salesforce's field names; null clears a field. */
export interface RemotePatch {
  Subject?: string;
  Description?: string | null;
  ActivityDate?: string | null;
  Priority?: 'High' | 'Normal';
  Status?: string;
  WhoId?: string | null;
}

export const SYNCED_FIELDS = ['subject', 'details', 'dueDate', 'priority', 'done', 'whoId'] as const;
export type SyncedField = (typeof SYNCED_FIELDS)[number];

/** The Status the extension writes; any other status was set in Salesforce and is kept while nothing here changes. */
export const STATUS_OPEN = 'Not Started';
export const STATUS_DONE = 'Completed';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function priorityFromSalesforce(priority: string): TaskPriority {
  return priority === 'High' ? 'High' : priority === 'Low' ? 'Low' : 'Normal';
}

/** How a Salesforce Task reads locally. */
export function localFromRemote(remote: RemoteFields): LocalFields {
  return {
    subject: remote.Subject,
    details: remote.Description,
    dueDate: DATE.test(remote.ActivityDate) ? remote.ActivityDate : '',
    priority: priorityFromSalesforce(remote.Priority),
    done: remote.IsClosed,
    whoId: remote.WhoId,
  };
}

const orNull = (value: string) => (value === '' ? null : value);

/**
 * The Task write that carries one local field across, given what Salesforce has now;
 * empty when the field has no Salesforce value to write (Low priority stays local, and a
 * status that already reads the same is not rewritten).
 */
export function patchFor(field: SyncedField, local: LocalFields, remote: RemoteFields): RemotePatch {
  switch (field) {
    case 'subject':
      return { Subject: local.subject };
    case 'details':
      return { Description: orNull(local.details) };
    case 'dueDate':
      return { ActivityDate: orNull(local.dueDate) };
    case 'priority':
      return local.priority === 'Low' ? {} : { Priority: local.priority };
    case 'done':
      if (local.done === remote.IsClosed) return {};
      return { Status: local.done ? STATUS_DONE : STATUS_OPEN };
    case 'whoId':
      return { WhoId: orNull(local.whoId) };
  }
}

/** The whole Task to create for a task made here. Low is sent as Normal: Salesforce requires a priority. */
export function recordFor(local: LocalFields): Required<RemotePatch> {
  return {
    Subject: local.subject,
    Description: orNull(local.details),
    ActivityDate: orNull(local.dueDate),
    Priority: local.priority === 'High' ? 'High' : 'Normal',
    Status: local.done ? STATUS_DONE : STATUS_OPEN,
    WhoId: orNull(local.whoId),
  };
}

/** What Salesforce will hold after a write (IsClosed follows the statuses the extension writes). */
export function applyPatch(remote: RemoteFields, patch: RemotePatch): RemoteFields {
  const next = { ...remote };
  if (patch.Subject !== undefined) next.Subject = patch.Subject;
  if (patch.Description !== undefined) next.Description = patch.Description ?? '';
  if (patch.ActivityDate !== undefined) next.ActivityDate = patch.ActivityDate ?? '';
  if (patch.Priority !== undefined) next.Priority = patch.Priority;
  if (patch.WhoId !== undefined) next.WhoId = patch.WhoId ?? '';
  if (patch.Status !== undefined) {
    next.Status = patch.Status;
    next.IsClosed = patch.Status === STATUS_DONE;
  }
  return next;
}

/** The Salesforce fields one local field is compared with. */
export function remoteChanged(field: SyncedField, remote: RemoteFields, base: RemoteFields): boolean {
  switch (field) {
    case 'subject':
      return remote.Subject !== base.Subject;
    case 'details':
      return remote.Description !== base.Description;
    case 'dueDate':
      return remote.ActivityDate !== base.ActivityDate;
    case 'priority':
      return remote.Priority !== base.Priority;
    case 'done':
      return remote.Status !== base.Status || remote.IsClosed !== base.IsClosed;
    case 'whoId':
      return remote.WhoId !== base.WhoId;
  }
}

/** Copies one local field's Salesforce counterpart(s) from `from` onto `into`. */
export function withRemoteField(into: RemoteFields, field: SyncedField, from: RemoteFields): RemoteFields {
  switch (field) {
    case 'subject':
      return { ...into, Subject: from.Subject };
    case 'details':
      return { ...into, Description: from.Description };
    case 'dueDate':
      return { ...into, ActivityDate: from.ActivityDate };
    case 'priority':
      return { ...into, Priority: from.Priority };
    case 'done':
      return { ...into, Status: from.Status, IsClosed: from.IsClosed };
    case 'whoId':
      return { ...into, WhoId: from.WhoId };
  }
}

export const sameLocal = (a: LocalFields, b: LocalFields) => SYNCED_FIELDS.every((f) => a[f] === b[f]);

/** Reads a Task record as Salesforce's REST API returns it (nulls, Who relationship). */
export function readRemoteTask(record: Record<string, unknown>): RemoteTask {
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const who = record.Who as { Name?: unknown } | null | undefined;
  return {
    Id: text(record.Id),
    Subject: text(record.Subject),
    Description: text(record.Description),
    ActivityDate: text(record.ActivityDate),
    Priority: text(record.Priority),
    Status: text(record.Status),
    IsClosed: record.IsClosed === true,
    WhoId: text(record.WhoId),
    whoName: text(who?.Name),
    SystemModstamp: text(record.SystemModstamp),
  };
}

export function remoteFieldsOf(task: RemoteTask): RemoteFields {
  const { Subject, Description, ActivityDate, Priority, Status, IsClosed, WhoId } = task;
  return { Subject, Description, ActivityDate, Priority, Status, IsClosed, WhoId };
}
