/**
 * The worker's writes to local tasks: create, edit, complete, reopen, delete and undo. Each is
 * one Dexie transaction that bumps the task's `rev` (so a sync running at the same time never
 * overwrites the edit) and marks work for the sync engine with `pendingSync`.
 */
import type { ExtensionDatabase, LocalTask } from '../db';
import type { TaskInput } from './model';

/** How long a deleted task can be brought back; the sync does not send a deletion younger than this. */
export const UNDO_WINDOW_MS = 10_000;

export class TaskNotFound extends Error {
  constructor(readonly id: string) {
    super(`no task ${id}`);
    this.name = 'TaskNotFound';
  }
}

export interface WriteContext {
  now: number;
  /** Whether task sync is on: a task made now goes to Salesforce only then. */
  syncOn: boolean;
  newId?: () => string;
}

function withInput(task: LocalTask, input: Partial<TaskInput>): LocalTask {
  const next: LocalTask = { ...task };
  for (const [key, value] of Object.entries(input)) {
    if (key === 'remindAt') {
      if (value === null) delete next.remindAt;
      else next.remindAt = value as number;
      // A new reminder time is a new reminder.
      delete next.notifiedAt;
    } else if (key === 'whoId' || key === 'whoName') {
      if (value === '') delete next[key];
      else next[key] = value as string;
    } else {
      (next as unknown as Record<string, unknown>)[key] = value;
    }
  }
  return next;
}

/** A local edit: counted, timestamped, and queued for sync when the task takes part in it. */
function edited(task: LocalTask, now: number): LocalTask {
  const next: LocalTask = { ...task, rev: (task.rev ?? 0) + 1, updatedAt: now, pendingSync: task.scope === 'sync' ? 1 : 0 };
  // The rep changed it: the next sync tries again with the new values.
  delete next.syncError;
  return next;
}

export async function createTask(db: ExtensionDatabase, input: TaskInput, context: WriteContext): Promise<LocalTask> {
  const task: LocalTask = withInput(
    {
      id: context.newId?.() ?? crypto.randomUUID(),
      subject: '',
      details: '',
      dueDate: '',
      priority: 'Normal',
      done: 0,
      createdAt: context.now,
      updatedAt: context.now,
      pendingSync: context.syncOn ? 1 : 0,
      deleted: 0,
      rev: 1,
      scope: context.syncOn ? 'sync' : 'local',
    },
    input,
  );
  await db.tasks.add(task);
  return task;
}

async function change(db: ExtensionDatabase, id: string, now: number, apply: (task: LocalTask) => LocalTask | null): Promise<LocalTask> {
  return db.transaction('rw', db.tasks, async () => {
    const task = await db.tasks.get(id);
    if (!task || task.deleted === 1) throw new TaskNotFound(id);
    const next = apply(task);
    if (!next) return task;
    const saved = edited(next, now);
    await db.tasks.put(saved);
    return saved;
  });
}

export function updateTask(db: ExtensionDatabase, id: string, input: Partial<TaskInput>, now: number): Promise<LocalTask> {
  return change(db, id, now, (task) => withInput(task, input));
}

export function setTaskDone(db: ExtensionDatabase, id: string, done: boolean, now: number): Promise<LocalTask> {
  return change(db, id, now, (task) => (task.done === (done ? 1 : 0) ? null : { ...task, done: done ? 1 : 0 }));
}

/**
 * Deletes a task, undoably: it is only marked deleted. The sync sends the deletion (or, for a
 * task Salesforce never had, `purgeDeletedTasks` drops it) once the undo window has passed.
 */
export function deleteTask(db: ExtensionDatabase, id: string, now: number): Promise<LocalTask> {
  return db.transaction('rw', db.tasks, async () => {
    const task = await db.tasks.get(id);
    if (!task || task.deleted === 1) throw new TaskNotFound(id);
    const next: LocalTask = { ...task, deleted: 1, deletedAt: now, rev: (task.rev ?? 0) + 1, updatedAt: now, pendingSync: 1 };
    await db.tasks.put(next);
    return next;
  });
}

/** Brings back a task deleted within the undo window (or whose deletion has not been sent yet). */
export function undoDelete(db: ExtensionDatabase, id: string, now: number): Promise<LocalTask> {
  return db.transaction('rw', db.tasks, async () => {
    const task = await db.tasks.get(id);
    if (task?.deleted !== 1) throw new TaskNotFound(id);
    const next: LocalTask = { ...task, deleted: 0 };
    delete next.deletedAt;
    const restored = edited(next, now);
    await db.tasks.put(restored);
    return restored;
  });
}

/**
 * Drops deleted tasks that Salesforce never had and never will, once their undo window passed.
 * Reads only tasks with work pending (an index), never the whole table.
 */
export async function purgeDeletedTasks(db: ExtensionDatabase, now: number): Promise<number> {
  return db.transaction('rw', db.tasks, async () => {
    const gone = await db.tasks
      .where('pendingSync')
      .equals(1)
      .filter((t) => t.deleted === 1 && (t.deletedAt ?? 0) + UNDO_WINDOW_MS <= now && !t.sfId && !t.createAttempt)
      .primaryKeys();
    await db.tasks.bulkDelete(gone);
    return gone.length;
  });
}
