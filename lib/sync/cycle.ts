/**
 * One task sync run (`taskSyncCycle`): read what changed in Salesforce, merge it task by task
 * with what changed here (lib/sync/merge.ts), and write the results to both sides.
 *
 * Frugal: an idle two-way run is ONE composite call (changes since the cursor, plus the
 * deletions window); writes go in sObject Collections of up to 200, five collections (1,000
 * records) per composite call. One-way runs read nothing and cost nothing when idle.
 *
 * Resumable at any instruction: every page read is applied together with the cursor that
 * covers it in one Dexie transaction; every Salesforce write is preceded by a durable intent
 * (`writeIntent` for updates, `createAttempt` for creates) and followed by the local commit.
 * A run killed in between finds the intent next time: an update is recognised in Salesforce
 * or sent again (PATCH is idempotent), a create is looked for among the rep's recent Tasks
 * before it is sent again, so it never lands twice.
 */
import type { ExtensionDatabase, LocalTask } from '../db';
import { deleteCollections, readSaveResults, type SaveResult, saveCollections, saveResultError } from '../salesforce/collections';
import { queryPath } from '../salesforce/composite';
import type { SalesforceError } from '../salesforce/errors';
import { syncedFieldsOf } from '../tasks/model';
import { purgeDeletedTasks, UNDO_WINDOW_MS } from '../tasks/store';
import {
  applyPatch,
  type LocalFields,
  type RemoteFields,
  type RemotePatch,
  type RemoteTask,
  readRemoteTask,
  recordFor,
  remoteFieldsOf,
  type SyncBase,
} from './fields';
import { type MergeDecision, mergeTask, type Side } from './merge';
import {
  allIdsQuery,
  changesQuery,
  createdSinceQuery,
  deletedRequest,
  FATE_IDS_PER_QUERY,
  fateQuery,
  importCountQuery,
  importQuery,
  type Keyset,
  PAGE_SIZE,
} from './queries';
import { COLLECTION_SIZE, MAX_HEAVY_SUBREQUESTS, type QueryPage, type SubResult, type Subrequest, type TaskSyncRemote } from './remote';
import {
  type ConflictNote,
  freshState,
  readState,
  type TaskSyncRun,
  type TaskSyncState,
  updateStatus,
  withConflicts,
  writeState,
} from './status';

export type TaskSyncMode = 'twoWay' | 'oneWay';

export interface CycleOptions {
  db: ExtensionDatabase;
  remote: TaskSyncRemote;
  mode: TaskSyncMode;
  now?: () => number;
}

export type CycleResult = TaskSyncRun & { conflicts: ConflictNote[] };

/** The first sync imports what changed in Salesforce in the day before it. */
export const IMPORT_WINDOW_MS = 24 * 60 * 60_000;
/** Re-read this much before the cursor for a while after it moved: Salesforce commits can land late. */
export const OVERLAP_MS = 2 * 60_000;
const SETTLE_MS = 10 * 60_000;
/** How far before a lost create to look for it (clocks differ). */
const RECOVERY_MARGIN_MS = 10 * 60_000;

class Stop extends Error {
  constructor(readonly error: SalesforceError) {
    super(error.message);
  }
}

type Write =
  | { kind: 'create'; taskId: string; rev: number; record: Required<RemotePatch>; base: SyncBase }
  | { kind: 'update'; taskId: string; rev: number; sfId: string; patch: RemotePatch; base: SyncBase }
  | { kind: 'delete'; taskId: string; sfId: string };

const iso = (ms: number) => new Date(ms).toISOString();
const keysetOf = (task: RemoteTask): Keyset => ({ modstamp: task.SystemModstamp, id: task.Id });

function laterKeyset(a: Keyset | null, b: Keyset | null): Keyset | null {
  if (!a || !b) return a ?? b;
  const [ta, tb] = [
    Date.parse(a.modstamp.replace(/([+-]\d\d)(\d\d)$/, '$1:$2')),
    Date.parse(b.modstamp.replace(/([+-]\d\d)(\d\d)$/, '$1:$2')),
  ];
  if (ta !== tb) return ta > tb ? a : b;
  return a.id >= b.id ? a : b;
}

/** Runs one sync. Never throws for Salesforce's reasons: those come back in the result (and the status). */
export async function taskSyncCycle(options: CycleOptions): Promise<CycleResult> {
  return new SyncRun(options).go();
}

class SyncRun {
  private readonly db: ExtensionDatabase;
  private readonly remote: TaskSyncRemote;
  private readonly now: () => number;
  private state!: TaskSyncState;
  private calls = 0;
  private pulled = 0;
  private pushed = 0;
  private removed = 0;
  private readonly notes: ConflictNote[] = [];
  private readonly writes: Write[] = [];
  /** Tasks already decided in this run. */
  private readonly decided = new Set<string>();

  constructor(private readonly options: CycleOptions) {
    this.db = options.db;
    this.remote = options.remote;
    this.now = options.now ?? Date.now;
  }

  async go(): Promise<CycleResult> {
    const startedAt = this.now();
    await updateStatus(this.db, (s) => ({ ...s, running: true, heartbeat: startedAt }));
    let error: SalesforceError | undefined;
    try {
      await this.prepare();
      if (this.options.mode === 'twoWay') await this.pull();
      else await this.recoverLostCreates(null);
      await this.stagePending();
      await this.sendWrites();
    } catch (thrown) {
      if (!(thrown instanceof Stop)) {
        await updateStatus(this.db, (s) => ({ ...s, running: false }));
        throw thrown;
      }
      error = thrown.error;
    }
    const run: TaskSyncRun = {
      at: this.now(),
      ok: !error,
      ...(error ? { error: { kind: error.kind, message: error.message } } : {}),
      pulled: this.pulled,
      pushed: this.pushed,
      removed: this.removed,
      apiCalls: this.calls,
    };
    await updateStatus(this.db, (s) =>
      withConflicts(
        { ...s, running: false, heartbeat: run.at, importProgress: null, last: run, lastSuccessAt: run.ok ? run.at : s.lastSuccessAt },
        [...this.notes],
      ),
    );
    return { ...run, conflicts: this.notes };
  }

  // -------------------------------------------------------------------------------------------
  // Calls

  private async composite(subrequests: Subrequest[]): Promise<SubResult[]> {
    this.calls++;
    const answer = await this.remote.composite(subrequests);
    this.measureClock();
    if (!answer.ok) throw new Stop(answer.error);
    return answer.value;
  }

  private async query(soql: string): Promise<QueryPage> {
    this.calls++;
    const answer = await this.remote.query(soql);
    this.measureClock();
    if (!answer.ok) throw new Stop(answer.error);
    return answer.value;
  }

  private async saveState(): Promise<void> {
    if (this.clockOffset !== null) this.state.clockOffsetMs = this.clockOffset;
    await writeState(this.db, this.state);
  }

  /** Salesforce's clock minus ours, measured after this run's last call (null: none yet). */
  private clockOffset: number | null = null;

  private measureClock(): void {
    const date = this.remote.serverDate();
    if (date !== null) this.clockOffset = date - this.now();
  }

  /**
   * Salesforce's time at the local instant `local`: every cursor and replication window is on
   * its clock (SystemModstamp, CreatedDate, latestDateCovered), which this browser's may be
   * minutes away from. Each answer's Date header says how far; before this run's first, the
   * last run's measure.
   */
  private serverTime(local: number): number {
    return local + (this.clockOffset ?? this.state?.clockOffsetMs ?? 0);
  }

  private async heartbeat(importProgress?: { done: number; total: number | null }): Promise<void> {
    const at = this.now();
    await updateStatus(this.db, (s) => ({ ...s, running: true, heartbeat: at, ...(importProgress ? { importProgress } : {}) }));
  }

  // -------------------------------------------------------------------------------------------
  // Start

  private async prepare(): Promise<void> {
    const user = await this.remote.userId();
    if (!user.ok) throw new Stop(user.error);
    const state = await readState(this.db);
    if (state && state.userId === user.value) {
      this.state = state;
      return;
    }
    // Another Salesforce user (or org): links to the old one's records mean nothing here. The
    // tasks stay, as this browser's own, and sync starts over for the new user.
    if (state) {
      await this.db.transaction('rw', this.db.tasks, async () => {
        await this.db.tasks
          .where('sfId')
          .above('')
          .modify((task) => {
            for (const key of ['sfId', 'syncBase', 'writeIntent', 'sfStatus', 'syncError'] as const) delete task[key];
            task.scope = 'local';
            task.pendingSync = task.deleted;
          });
        await this.db.tasks
          .where('pendingSync')
          .equals(1)
          .modify((task) => {
            delete task.createAttempt;
          });
      });
    }
    this.state = freshState(user.value);
    await this.saveState();
  }

  // -------------------------------------------------------------------------------------------
  // Reading Salesforce

  private async pull(): Promise<void> {
    if (!this.state.imported) await this.importRecent();
    else await this.pullChanges();
  }

  /** The first two-way sync: the rep's tasks created or updated in the 24 hours before it. */
  private async importRecent(): Promise<void> {
    const user = this.state.userId;
    const startingAt = this.now();
    const starting = !this.state.importSince;
    if (starting) {
      Object.assign(this.state, {
        importSince: iso(this.serverTime(startingAt) - IMPORT_WINDOW_MS),
        importStartedAt: this.serverTime(startingAt),
        importFrom: null,
        importDone: 0,
        importTotal: null,
      });
      await this.saveState();
    }
    const since = this.state.importSince as string;
    const subrequests: Subrequest[] = [
      { method: 'GET', path: queryPath(importQuery(user, since, this.state.importFrom)), referenceId: 'changes' },
    ];
    if (this.state.importTotal === null)
      subrequests.push({ method: 'GET', path: queryPath(importCountQuery(user, since)), referenceId: 'total' });
    const recovery = await this.recoverySubrequest();
    if (recovery) subrequests.push(recovery);
    const results = await this.composite(subrequests);
    // Now Salesforce's clock is known: where the import started, on it.
    if (starting) this.state.importStartedAt = this.serverTime(startingAt);
    const byRef = new Map(subrequests.map((s, i) => [s.referenceId, results[i] as SubResult]));
    let page = this.pageOf(byRef.get('changes'));
    const total = byRef.get('total');
    if (total?.ok) this.state.importTotal = (total.body as QueryPage).totalSize;
    if (byRef.has('created')) await this.recoverLostCreates(this.pageOf(byRef.get('created')));
    for (;;) {
      const records = page.records.map(readRemoteTask);
      await this.applyChanges(records, () => {
        this.state.importFrom = laterKeyset(
          this.state.importFrom,
          records.length ? keysetOf(records[records.length - 1] as RemoteTask) : null,
        );
        this.state.importDone += records.length;
      });
      await this.heartbeat({ done: this.state.importDone, total: this.state.importTotal });
      if (records.length < PAGE_SIZE && page.done) break;
      // The count said how many there were: a full last page needs no empty one after it.
      if (this.state.importTotal !== null && this.state.importDone >= this.state.importTotal) break;
      page = await this.query(importQuery(user, since, this.state.importFrom));
    }
    const startedAt = this.state.importStartedAt;
    const settled: Keyset = { modstamp: iso(startedAt - OVERLAP_MS), id: '' };
    Object.assign(this.state, {
      imported: true,
      importFrom: null,
      cursor: laterKeyset(this.state.importFrom, settled),
      cursorMovedAt: this.now(),
      deletedSince: iso(startedAt - OVERLAP_MS),
    });
    await this.saveState();
  }

  /** Every later two-way run: changes after the cursor, and deletions since the last window. */
  private async pullChanges(): Promise<void> {
    const user = this.state.userId;
    const now = this.now();
    const serverNow = this.serverTime(now);
    const cursor = this.state.cursor ?? { modstamp: iso(serverNow - OVERLAP_MS), id: '' };
    const from: Keyset =
      now - this.state.cursorMovedAt < SETTLE_MS
        ? { modstamp: iso(Date.parse(cursor.modstamp.replace(/([+-]\d\d)(\d\d)$/, '$1:$2')) - OVERLAP_MS), id: '' }
        : cursor;

    const subrequests: Subrequest[] = [{ method: 'GET', path: queryPath(changesQuery(user, from)), referenceId: 'changes' }];
    let deletedFrom: string | null = null;
    if (!this.state.reconcile) {
      deletedFrom = this.state.deletedSince ?? iso(serverNow - OVERLAP_MS);
      const request = deletedRequest(deletedFrom, serverNow);
      if (request === 'beyondHistory') {
        this.state.reconcile = true;
        await this.saveState();
      } else if (request !== 'tooSoon') subrequests.push({ method: 'GET', path: request.path, referenceId: 'deleted' });
    }
    const recovery = await this.recoverySubrequest();
    if (recovery) subrequests.push(recovery);

    const results = await this.composite(subrequests);
    const byRef = new Map(subrequests.map((s, i) => [s.referenceId, results[i] as SubResult]));
    const changes = this.pageOf(byRef.get('changes'));
    // Lost creates first: their Tasks are among the changes, and must not come in as new tasks.
    if (byRef.has('created')) await this.recoverLostCreates(this.pageOf(byRef.get('created')));
    const deleted = byRef.get('deleted');
    if (deleted) await this.applyDeletedWindow(deleted, deletedFrom as string);

    let page = changes;
    for (;;) {
      const records = page.records.map(readRemoteTask);
      await this.applyChanges(records, () => {
        const last = records.length ? keysetOf(records[records.length - 1] as RemoteTask) : null;
        const next = laterKeyset(this.state.cursor, last);
        if (next !== this.state.cursor) {
          this.state.cursor = next;
          this.state.cursorMovedAt = this.now();
        }
      });
      if (records.length < PAGE_SIZE && page.done) break;
      await this.heartbeat();
      const last = records[records.length - 1];
      page = await this.query(changesQuery(user, last ? keysetOf(last) : from));
    }
    if (this.state.reconcile) await this.reconcile();
  }

  private pageOf(result: SubResult | undefined): QueryPage {
    if (!result) throw new Stop({ kind: 'salesforceDown', message: 'Salesforce left a request unanswered' });
    if (!result.ok) throw new Stop(result.error);
    return result.body as QueryPage;
  }

  private async applyDeletedWindow(result: SubResult, from: string): Promise<void> {
    if (!result.ok) {
      // The window did not suit Salesforce's clock (too short, or its start too old by it): asked
      // again next run. Only earliestDateAvailable says the history is gone (below).
      if (result.error.errorCode === 'INVALID_REPLICATION_DATE') return;
      throw new Stop(result.error);
    }
    const body = result.body as { deletedRecords: Array<{ id: string }>; earliestDateAvailable: string; latestDateCovered: string };
    const parse = (s: string) => Date.parse(s.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
    if (parse(body.earliestDateAvailable) > Math.floor(Date.parse(from) / 60_000) * 60_000) {
      this.state.reconcile = true;
      await this.saveState();
      return;
    }
    const ids = body.deletedRecords.map((r) => r.id);
    await this.db.transaction('rw', this.db.tasks, this.db.values, async () => {
      for (const task of await this.tasksBySalesforceId(ids)) this.decide(task, { state: 'deleted' }, null);
      await this.flushDecided();
      if (parse(body.latestDateCovered) > parse(from)) this.state.deletedSince = iso(parse(body.latestDateCovered));
      await this.saveState();
    });
  }

  /**
   * After a gap longer than Salesforce's 15 days of deletion history: reads every id of the
   * rep's tasks and treats a linked task that is no longer among them as deleted there. Safe to
   * interrupt: it starts over, and nothing is decided before every id was read.
   */
  private async reconcile(): Promise<void> {
    const startedAt = this.serverTime(this.now());
    const ids = new Set<string>();
    let afterId = '';
    for (;;) {
      const page = await this.query(allIdsQuery(this.state.userId, afterId));
      for (const record of page.records) ids.add(String(record.Id));
      await this.heartbeat();
      const last = page.records[page.records.length - 1];
      if ((page.records.length < PAGE_SIZE && page.done) || !last) break;
      afterId = String(last.Id);
    }
    const missing = (await this.db.tasks.where('sfId').above('').toArray()).filter(
      (task) => !ids.has(task.sfId as string) && !this.decided.has(task.id),
    );
    const fates = await this.fatesOf(missing.map((t) => t.sfId as string));
    await this.db.transaction('rw', this.db.tasks, this.db.values, async () => {
      for (const stale of missing) {
        const task = await this.db.tasks.get(stale.id);
        if (!task?.sfId) continue;
        const fate = fates.get(task.sfId) ?? 'deleted';
        if (fate === 'deleted') this.decide(task, { state: 'absent' }, null);
        else this.release(task, fate);
      }
      await this.flushDecided();
      this.state.reconcile = false;
      this.state.deletedSince = iso(startedAt - OVERLAP_MS);
      await this.saveState();
    });
  }

  /**
   * Why each task is missing from the rep's list, by queryAll (which also returns deleted and
   * archived tasks): a task Salesforce archived or gave to another user still exists there and
   * is not deleted here.
   */
  private async fatesOf(sfIds: string[]): Promise<Map<string, 'deleted' | 'archived' | 'reassigned'>> {
    const fates = new Map<string, 'deleted' | 'archived' | 'reassigned'>();
    const queries: Subrequest[] = [];
    for (let i = 0; i < sfIds.length; i += FATE_IDS_PER_QUERY) {
      const soql = fateQuery(sfIds.slice(i, i + FATE_IDS_PER_QUERY));
      queries.push({ method: 'GET', path: `/queryAll?q=${encodeURIComponent(soql)}`, referenceId: `fate${queries.length}` });
    }
    for (let i = 0; i < queries.length; i += MAX_HEAVY_SUBREQUESTS) {
      const results = await this.composite(queries.slice(i, i + MAX_HEAVY_SUBREQUESTS));
      for (const result of results) {
        // One page is enough: at most 200 ids asked.
        for (const r of this.pageOf(result).records) {
          const fate =
            r.IsDeleted === true ? 'deleted' : r.IsArchived === true ? 'archived' : r.OwnerId !== this.state.userId ? 'reassigned' : null;
          if (fate) for (const id of [String(r.Id), String(r.Id).slice(0, 15)]) fates.set(id, fate);
        }
      }
    }
    return fates;
  }

  /** A task that left the rep's Salesforce list without being deleted: kept here, unlinked, and said. */
  private release(task: LocalTask, fate: 'archived' | 'reassigned'): void {
    this.decided.add(task.id);
    const next: LocalTask = { ...task, scope: 'local', pendingSync: 0 };
    for (const key of ['sfId', 'syncBase', 'writeIntent', 'sfStatus', 'syncError', 'createAttempt'] as const) delete next[key];
    this.pendingPuts.set(task.id, next);
    this.notes.push({
      field: 'task',
      kept: fate === 'archived' ? 'archivedInSalesforce' : 'reassignedInSalesforce',
      taskId: task.id,
      subject: task.subject,
      at: this.now(),
    });
  }

  private async tasksBySalesforceId(ids: string[]): Promise<LocalTask[]> {
    if (ids.length === 0) return [];
    // Salesforce answers 18-character ids; a task linked by a 15-character id is found by its prefix.
    const found = await this.db.tasks
      .where('sfId')
      .anyOf([...ids, ...ids.map((id) => id.slice(0, 15))])
      .toArray();
    return found;
  }

  /** Applies one page of changed Salesforce tasks, with `advance` (the cursor) in the same transaction. */
  private async applyChanges(records: RemoteTask[], advance: () => void): Promise<void> {
    await this.db.transaction('rw', this.db.tasks, this.db.values, async () => {
      const locals = new Map<string, LocalTask>();
      for (const task of await this.tasksBySalesforceId(records.map((r) => r.Id))) locals.set(task.sfId as string, task);
      for (const record of records) {
        const local = locals.get(record.Id) ?? locals.get(record.Id.slice(0, 15));
        if (local) {
          this.decide(local, { state: 'present', fields: remoteFieldsOf(record) }, record);
        } else {
          this.importTask(record);
        }
      }
      await this.flushDecided();
      advance();
      await this.saveState();
    });
  }

  // -------------------------------------------------------------------------------------------
  // Lost creates

  private async tasksWithCreateAttempts(): Promise<LocalTask[]> {
    return this.db.tasks
      .where('pendingSync')
      .equals(1)
      .filter((t) => !!t.createAttempt && !t.sfId)
      .toArray();
  }

  private async recoverySubrequest(): Promise<Subrequest | null> {
    const attempts = await this.tasksWithCreateAttempts();
    if (attempts.length === 0) return null;
    const since = Math.min(...attempts.map((t) => t.createAttempt?.at ?? 0)) - RECOVERY_MARGIN_MS;
    return { method: 'GET', path: queryPath(createdSinceQuery(this.state.userId, since)), referenceId: 'created' };
  }

  /**
   * Creates whose answer never came back: each is matched with a Task the rep created since
   * (same subject and due date, not linked to another task) and linked to it; a create with
   * no match never reached Salesforce and is sent again.
   */
  private async recoverLostCreates(page: QueryPage | null): Promise<void> {
    let found = page;
    if (!found) {
      const subrequest = await this.recoverySubrequest();
      if (!subrequest) return;
      found = this.pageOf((await this.composite([subrequest]))[0]);
    }
    const candidates = found.records.map((r) => ({
      task: readRemoteTask(r),
      createdAt: Date.parse(String(r.CreatedDate).replace(/([+-]\d\d)(\d\d)$/, '$1:$2')),
    }));
    await this.db.transaction('rw', this.db.tasks, async () => {
      const linked = new Set((await this.tasksBySalesforceId(candidates.map((c) => c.task.Id))).map((t) => t.sfId));
      const attempts = (await this.tasksWithCreateAttempts()).sort((a, b) => (a.createAttempt?.at ?? 0) - (b.createAttempt?.at ?? 0));
      for (const task of attempts) {
        const attempt = task.createAttempt as { at: number; fields: LocalFields };
        const sent = recordFor(attempt.fields);
        const match = candidates.find(
          ({ task: r, createdAt }) =>
            !linked.has(r.Id) &&
            createdAt >= attempt.at - RECOVERY_MARGIN_MS &&
            r.Subject === sent.Subject &&
            r.ActivityDate === (sent.ActivityDate ?? ''),
        );
        const next: LocalTask = { ...task };
        delete next.createAttempt;
        if (match) {
          linked.add(match.task.Id);
          next.sfId = match.task.Id;
          next.syncBase = { local: attempt.fields, remote: applyPatch(EMPTY_REMOTE, sent) };
          next.sfStatus = match.task.Status;
        }
        await this.db.tasks.put(next);
      }
    });
  }

  // -------------------------------------------------------------------------------------------
  // Deciding

  private readonly pendingPuts = new Map<string, LocalTask>();
  private readonly pendingDeletes = new Set<string>();

  /** Must run inside a transaction on db.tasks; writes are collected and flushed by flushDecided. */
  private decide(task: LocalTask, remote: Side<RemoteFields>, record: RemoteTask | null): void {
    const now = this.now();
    this.decided.add(task.id);
    const inUndoWindow = task.deleted === 1 && (task.deletedAt ?? 0) + UNDO_WINDOW_MS > now;
    // Within its undo window a deleted task still takes Salesforce's changes; its deletion waits.
    const local: Side<LocalFields> =
      task.deleted === 1 && !inUndoWindow ? { state: 'deleted' } : { state: 'present', fields: syncedFieldsOf(task) };
    if (!task.sfId && local.state === 'deleted') {
      this.pendingDeletes.add(task.id);
      return;
    }
    let decision: MergeDecision;
    try {
      decision = mergeTask({ base: task.syncBase ?? null, intent: task.writeIntent ?? null, local, remote });
    } catch {
      return;
    }
    this.note(task, decision);
    const next: LocalTask = { ...task };

    if (decision.local.kind === 'delete' && decision.remote.kind !== 'delete') {
      this.pendingDeletes.add(task.id);
      if (task.deleted !== 1) this.removed++;
      return;
    }
    if (decision.local.kind === 'update') {
      const fields = decision.local.fields;
      Object.assign(next, {
        subject: fields.subject,
        details: fields.details,
        dueDate: fields.dueDate,
        priority: fields.priority,
        done: fields.done ? 1 : 0,
      });
      if (fields.whoId !== (task.whoId ?? '')) {
        if (fields.whoId) {
          next.whoId = fields.whoId;
          if (record?.whoName) next.whoName = record.whoName;
          else delete next.whoName;
        } else {
          delete next.whoId;
          delete next.whoName;
        }
      }
      this.pulled++;
    }
    if (record) next.sfStatus = record.Status;

    switch (decision.remote.kind) {
      case 'create':
        // On Salesforce's clock: the lost-create check compares it with CreatedDate.
        next.createAttempt = { at: this.serverTime(now), fields: (decision.base as SyncBase).local };
        next.pendingSync = 1;
        this.writes.push({
          kind: 'create',
          taskId: task.id,
          rev: task.rev ?? 0,
          record: decision.remote.record,
          base: decision.base as SyncBase,
        });
        break;
      case 'update':
        next.writeIntent = { base: decision.base as SyncBase, pushed: decision.pushed };
        next.pendingSync = 1;
        this.writes.push({
          kind: 'update',
          taskId: task.id,
          rev: task.rev ?? 0,
          sfId: task.sfId as string,
          patch: decision.remote.patch,
          base: decision.base as SyncBase,
        });
        break;
      case 'delete':
        this.writes.push({ kind: 'delete', taskId: task.id, sfId: task.sfId as string });
        break;
      case 'unchanged':
        next.syncBase = decision.base as SyncBase;
        delete next.writeIntent;
        next.pendingSync = inUndoWindow ? 1 : 0;
        break;
    }
    this.pendingPuts.set(task.id, next);
  }

  private importTask(record: RemoteTask): void {
    const decision = mergeTask({ base: null, local: { state: 'absent' }, remote: { state: 'present', fields: remoteFieldsOf(record) } });
    if (decision.local.kind !== 'create' || !decision.base) return;
    const fields = decision.local.fields;
    const now = this.now();
    const task: LocalTask = {
      id: crypto.randomUUID(),
      subject: fields.subject,
      details: fields.details,
      dueDate: fields.dueDate,
      priority: fields.priority,
      done: fields.done ? 1 : 0,
      sfId: record.Id,
      sfStatus: record.Status,
      createdAt: now,
      updatedAt: now,
      pendingSync: 0,
      deleted: 0,
      rev: 0,
      scope: 'sync',
      source: 'salesforce',
      syncBase: decision.base,
    };
    if (fields.whoId) {
      task.whoId = fields.whoId;
      if (record.whoName) task.whoName = record.whoName;
    }
    this.decided.add(task.id);
    this.pendingPuts.set(task.id, task);
    this.pulled++;
  }

  private note(task: LocalTask, decision: MergeDecision): void {
    const at = this.now();
    for (const conflict of decision.conflicts) this.notes.push({ ...conflict, taskId: task.id, subject: task.subject, at });
  }

  private async flushDecided(): Promise<void> {
    if (this.pendingPuts.size > 0) await this.db.tasks.bulkPut([...this.pendingPuts.values()]);
    if (this.pendingDeletes.size > 0) await this.db.tasks.bulkDelete([...this.pendingDeletes]);
    this.pendingPuts.clear();
    this.pendingDeletes.clear();
  }

  /** Local changes Salesforce has not seen: creates, edits and deletions made here. */
  private async stagePending(): Promise<void> {
    await purgeDeletedTasks(this.db, this.now());
    const ids = await this.db.tasks.where('pendingSync').equals(1).primaryKeys();
    for (let i = 0; i < ids.length; i += 500) {
      await this.db.transaction('rw', this.db.tasks, async () => {
        for (const task of await this.db.tasks.bulkGet(ids.slice(i, i + 500))) {
          if (task?.pendingSync !== 1 || task.scope !== 'sync' || this.decided.has(task.id) || task.syncError || task.createAttempt)
            continue;
          // What Salesforce holds as far as this run knows: two-way runs have read every change since the cursor.
          const remote: Side<RemoteFields> =
            task.sfId && task.syncBase ? { state: 'present', fields: task.syncBase.remote } : { state: 'absent' };
          if (task.sfId && !task.syncBase) continue;
          this.decide(task, remote, null);
        }
        await this.flushDecided();
      });
    }
  }

  // -------------------------------------------------------------------------------------------
  // Writing to Salesforce

  private async sendWrites(): Promise<void> {
    if (this.writes.length === 0) return;
    type Batch = { subrequest: Subrequest; writes: Write[] };
    const batches: Batch[] = [];
    const chunk = <W extends Write>(kind: W['kind']) => {
      const of = this.writes.filter((w): w is W => w.kind === kind);
      const groups: Write[][] = [];
      for (let i = 0; i < of.length; i += COLLECTION_SIZE) groups.push(of.slice(i, i + COLLECTION_SIZE));
      const first = batches.length;
      const referenceId = (n: number) => `${kind}${first + n}`;
      const subrequests =
        kind === 'delete'
          ? deleteCollections(
              of.map((w) => (w as Extract<Write, { kind: 'delete' }>).sfId),
              { allOrNone: false, referenceId },
            )
          : saveCollections(
              kind === 'create' ? 'POST' : 'PATCH',
              of.map((w) =>
                w.kind === 'create'
                  ? { type: 'Task', fields: w.record }
                  : {
                      type: 'Task',
                      fields: { Id: (w as Extract<Write, { kind: 'update' }>).sfId, ...(w as Extract<Write, { kind: 'update' }>).patch },
                    },
              ),
              { allOrNone: false, referenceId },
            );
      for (const [n, subrequest] of subrequests.entries()) batches.push({ writes: groups[n]!, subrequest });
    };
    chunk('create');
    chunk('update');
    chunk('delete');

    // Every batch is an sObject Collection: five to a composite call, 1,000 records.
    for (let i = 0; i < batches.length; i += MAX_HEAVY_SUBREQUESTS) {
      const group = batches.slice(i, i + MAX_HEAVY_SUBREQUESTS);
      const results = await this.composite(group.map((b) => b.subrequest));
      let failure: SalesforceError | null = null;
      for (const [j, batch] of group.entries()) {
        const result = results[j];
        if (!result?.ok) {
          failure ??= result?.error ?? { kind: 'salesforceDown', message: 'Salesforce left a request unanswered' };
          continue;
        }
        await this.applyWriteResults(batch.writes, readSaveResults(result.body) ?? []);
      }
      if (failure) throw new Stop(failure);
    }
  }

  private async applyWriteResults(writes: Write[], results: SaveResult[]): Promise<void> {
    const now = this.now();
    await this.db.transaction('rw', this.db.tasks, async () => {
      for (const [i, write] of writes.entries()) {
        const result = results[i];
        const task = await this.db.tasks.get(write.taskId);
        const error = result ? (saveResultError(result)?.error ?? null) : null;
        if (!task) continue;
        if (write.kind === 'delete') {
          if (!error || error.kind === 'notFound') {
            await this.db.tasks.delete(task.id);
            this.pushed++;
          } else {
            // Salesforce refused the deletion: show the task again, with the reason, rather than hide a task that still exists.
            await this.db.tasks.put({ ...task, deleted: 0, syncError: { kind: error.kind, message: error.message, at: now } });
          }
          continue;
        }
        const next: LocalTask = { ...task };
        const unchangedSince = (task.rev ?? 0) === write.rev;
        if (!error && result) {
          if (write.kind === 'create') {
            next.sfId = result.id as string;
            delete next.createAttempt;
          } else delete next.writeIntent;
          next.syncBase = write.base;
          next.sfStatus = write.base.remote.Status;
          next.pendingSync = unchangedSince && task.deleted !== 1 ? 0 : 1;
          this.pushed++;
        } else if (error?.kind === 'notFound' && write.kind === 'update') {
          // Deleted in Salesforce since this run read it.
          if (this.options.mode === 'twoWay') {
            await this.db.tasks.delete(task.id);
            if (task.deleted !== 1) this.removed++;
            this.notes.push({ field: 'task', kept: 'deletionInSalesforce', taskId: task.id, subject: task.subject, at: now });
            continue;
          }
          // One-way: Salesforce's copy is gone and nothing comes back from there; the task stays here, unlinked.
          for (const key of ['sfId', 'syncBase', 'writeIntent', 'sfStatus'] as const) delete next[key];
          next.scope = 'local';
          next.pendingSync = 0;
        } else {
          if (write.kind === 'create') delete next.createAttempt;
          else delete next.writeIntent;
          const reason = error ?? { kind: 'rejected' as const, message: 'no answer for this record' };
          next.syncError = { kind: reason.kind, message: reason.message, at: now };
        }
        await this.db.tasks.put(next);
      }
    });
  }
}

const EMPTY_REMOTE: RemoteFields = { Subject: '', Description: '', ActivityDate: '', Priority: '', Status: '', IsClosed: false, WhoId: '' };
