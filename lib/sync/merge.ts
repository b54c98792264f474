/**
 * The merge decision of task sync: given the last agreed version (base), the local task and
 * the Salesforce Task, what each side becomes. Pure, so every case is tested directly.
 *
 * The rule (also in README, "Task sync"):
 * Each field (subject, details, due date, priority, open/completed, Contact/Lead) is compared
 * with the base on each side. A field changed on one side only takes that side's value. When
 * both sides changed the same field, Salesforce's value wins, except that a completion always
 * wins over a concurrent reopen or status change: a task completed on either side ends
 * completed. A deletion on either side wins over any change on the other side, completion
 * included, and is carried to the other side. Every time a change is overruled (an edit lost
 * to Salesforce's, a reopen lost to a completion, a change lost to a deletion), the decision
 * names it, and the sync result shows it to the rep.
 */
import {
  applyPatch,
  type LocalFields,
  localFromRemote,
  patchFor,
  type RemoteFields,
  type RemotePatch,
  recordFor,
  remoteChanged,
  SYNCED_FIELDS,
  type SyncBase,
  type SyncedField,
  withRemoteField,
} from './fields';

/** One side of a task at merge time: missing (never existed there), deleted, or its fields. */
export type Side<F> = { state: 'absent' } | { state: 'deleted' } | { state: 'present'; fields: F };

export type LocalOutcome =
  | { kind: 'unchanged' }
  | { kind: 'update'; fields: LocalFields }
  /** Import a Salesforce task that is not here yet. */
  | { kind: 'create'; fields: LocalFields }
  | { kind: 'delete' };

export type RemoteOutcome =
  | { kind: 'unchanged' }
  | { kind: 'update'; patch: RemotePatch }
  | { kind: 'create'; record: Required<RemotePatch> }
  | { kind: 'delete' };

/** A change that did not survive the merge, so the rep can be told. */
export interface Conflict {
  field: SyncedField | 'task';
  /** Which change was kept. */
  /**
   * Which change was kept; `archivedInSalesforce` / `reassignedInSalesforce`: the task left the
   * rep's list in Salesforce without being deleted, and stays here unlinked.
   */
  kept: 'salesforce' | 'completion' | 'deletionHere' | 'deletionInSalesforce' | 'archivedInSalesforce' | 'reassignedInSalesforce';
}

/**
 * Written durably before a Salesforce write and cleared with the local commit that follows it:
 * the base the sync will store, and the fields it sends.
 */
export interface WriteIntent {
  base: SyncBase;
  pushed: SyncedField[];
}

export interface MergeDecision {
  local: LocalOutcome;
  remote: RemoteOutcome;
  /** The base to store once both writes are done; null when the task is gone from both sides. */
  base: SyncBase | null;
  /** The fields sent to Salesforce by an update (for the write intent). */
  pushed: SyncedField[];
  conflicts: Conflict[];
}

export interface MergeInput {
  base: SyncBase | null;
  /** What an earlier sync meant to store when it was interrupted after it may have written to Salesforce. */
  intent?: WriteIntent | null;
  local: Side<LocalFields>;
  remote: Side<RemoteFields>;
}

const NOTHING: MergeDecision = { local: { kind: 'unchanged' }, remote: { kind: 'unchanged' }, base: null, pushed: [], conflicts: [] };

function localChanged(field: SyncedField, local: LocalFields, base: LocalFields): boolean {
  return local[field] !== base[field];
}

/** The decision for one task. Both sides present with no base is a caller error: link first, with a base. */
export function mergeTask({ base: stored, intent, local, remote }: MergeInput): MergeDecision {
  const resumed = stored && intent && remote.state === 'present' ? effectiveBase(stored, intent, remote.fields) : null;
  const base = resumed?.base ?? stored;
  const localGone = local.state !== 'present';
  const remoteGone = remote.state !== 'present';

  if (localGone && remoteGone) return { ...NOTHING, local: local.state === 'deleted' ? { kind: 'delete' } : { kind: 'unchanged' } };

  if (remote.state !== 'present') {
    if (local.state !== 'present') throw new Error('unreachable');
    // Never in Salesforce (or never linked): the task is created there.
    if (!base) {
      const record = recordFor(local.fields);
      return {
        local: { kind: 'unchanged' },
        remote: { kind: 'create', record },
        base: { local: local.fields, remote: applyPatch(EMPTY_REMOTE, record) },
        pushed: [],
        conflicts: [],
      };
    }
    // Deleted (or gone) in Salesforce: the deletion wins over any change here.
    const changedHere = SYNCED_FIELDS.some((f) => localChanged(f, local.fields, base.local));
    return {
      local: { kind: 'delete' },
      remote: { kind: 'unchanged' },
      base: null,
      pushed: [],
      conflicts: changedHere ? [{ field: 'task', kept: 'deletionInSalesforce' }] : [],
    };
  }

  if (local.state !== 'present') {
    if (!base) {
      // A Salesforce task this browser has never had: imported (a local deletion needs a base, so absent here).
      const fields = localFromRemote(remote.fields);
      return {
        local: { kind: 'create', fields },
        remote: { kind: 'unchanged' },
        base: { local: fields, remote: remote.fields },
        pushed: [],
        conflicts: [],
      };
    }
    // Deleted here: the deletion wins over any change in Salesforce.
    const changedThere = SYNCED_FIELDS.some((f) => remoteChanged(f, remote.fields, base.remote));
    return {
      local: { kind: 'delete' },
      remote: { kind: 'delete' },
      base: null,
      pushed: [],
      conflicts: changedThere ? [{ field: 'task', kept: 'deletionHere' }] : [],
    };
  }

  if (!base) throw new Error('mergeTask: a task present on both sides needs a base');
  const decision = mergeFields(base, local.fields, remote.fields);
  // Fields an interrupted write landed stay in the next intent: the stored base still predates them.
  const carried = (resumed?.landed ?? []).filter((f) => !decision.pushed.includes(f));
  return carried.length > 0 ? { ...decision, pushed: [...decision.pushed, ...carried] } : decision;
}

/**
 * The base to compare with after an interrupted sync. The sync writes its intent before it writes
 * to Salesforce; if it was stopped after that write but before its local commit, each field it
 * sent that Salesforce already holds as intended counts as synced (the write landed), and every
 * other field keeps the old base. Without this, a change made here after the interruption (say, undoing
 * an edit that had already reached Salesforce) would look unchanged here and lose to the echo.
 */
export function effectiveBase(base: SyncBase, intent: WriteIntent, remote: RemoteFields): { base: SyncBase; landed: SyncedField[] } {
  let local = { ...base.local };
  let remoteBase = { ...base.remote };
  const landed: SyncedField[] = [];
  for (const field of intent.pushed) {
    if (remoteChanged(field, remote, intent.base.remote)) continue;
    local = { ...local, [field]: intent.base.local[field] };
    remoteBase = withRemoteField(remoteBase, field, intent.base.remote);
    landed.push(field);
  }
  return { base: { local, remote: remoteBase }, landed };
}

function mergeFields(base: SyncBase, local: LocalFields, remote: RemoteFields): MergeDecision {
  const merged: LocalFields = { ...local };
  const fromRemote = localFromRemote(remote);
  let patch: RemotePatch = {};
  const pushed: SyncedField[] = [];
  const conflicts: Conflict[] = [];

  for (const field of SYNCED_FIELDS) {
    const here = localChanged(field, local, base.local);
    const there = remoteChanged(field, remote, base.remote);
    if (!here && !there) continue;
    if (here && !there) {
      patch = { ...patch, ...patchFor(field, local, remote) };
      pushed.push(field);
      continue;
    }
    if (!here && there) {
      (merged as Record<SyncedField, unknown>)[field] = fromRemote[field];
      continue;
    }
    // Changed on both sides.
    if (field === 'done') {
      if (local.done || fromRemote.done) {
        // A completion on either side wins.
        if (!fromRemote.done) {
          patch = { ...patch, ...patchFor('done', local, remote) };
          pushed.push(field);
        }
        if (!local.done || !fromRemote.done) conflicts.push({ field, kept: 'completion' });
        merged.done = true;
      } else {
        // Reopened here, and changed to another open status there: the same reading, Salesforce's status text kept.
        merged.done = false;
      }
      continue;
    }
    if (merged[field] !== fromRemote[field]) conflicts.push({ field, kept: 'salesforce' });
    (merged as Record<SyncedField, unknown>)[field] = fromRemote[field];
  }

  const hasPatch = Object.keys(patch).length > 0;
  const localDiffers = SYNCED_FIELDS.some((f) => merged[f] !== local[f]);
  return {
    local: localDiffers ? { kind: 'update', fields: merged } : { kind: 'unchanged' },
    remote: hasPatch ? { kind: 'update', patch } : { kind: 'unchanged' },
    base: { local: merged, remote: applyPatch(remote, patch) },
    pushed,
    conflicts,
  };
}

const EMPTY_REMOTE: RemoteFields = {
  Subject: '',
  Description: '',
  ActivityDate: '',
  Priority: '',
  Status: '',
  IsClosed: false,
  WhoId: '',
};
