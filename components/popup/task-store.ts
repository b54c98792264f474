/**
 * The command center's state. Tasks are read straight from the database (an indexed, live
 * query: changes the sync makes show up while the popup is open); every write goes to the
 * worker, which owns the database writes, reminders and sync.
 */
import { liveQuery, type Subscription } from 'dexie';
import { create } from 'zustand';
import { database, type LocalTask } from '@/lib/db';
import { type ExtensionError, extensionErrorOf } from '@/lib/messages';
import { type Agenda, loadAgenda, OVERDUE_PAGE } from '@/lib/tasks/agenda';
import { localDate, type TaskInput } from '@/lib/tasks/model';
import { askWorker } from '../worker';

export type Editing = { kind: 'new' } | { kind: 'task'; task: LocalTask } | null;

export interface TaskStore {
  agenda: Agenda | null;
  overdueLimit: number;
  editing: Editing;
  /** The last deletion, while it can be undone. */
  undo: { id: string; subject: string; until: number } | null;
  error: ExtensionError | null;
  /** Keeps the agenda live from the database; returns the stop function. */
  follow(today?: string): () => void;
  showMoreOverdue(): void;
  edit(editing: Editing): void;
  /** Opens the task a reminder was about (popup.html#task=<id>). */
  openTask(id: string): Promise<void>;
  create(input: TaskInput): Promise<boolean>;
  update(id: string, changes: Partial<TaskInput>): Promise<boolean>;
  setDone(task: LocalTask, done: boolean): Promise<void>;
  remove(task: LocalTask): Promise<void>;
  undoDelete(): Promise<void>;
  dismissError(): void;
}

export const useTaskStore = create<TaskStore>()((set, get) => {
  let subscription: Subscription | null = null;
  let day = '';
  let undoTimer: ReturnType<typeof setTimeout> | undefined;

  const subscribe = () => {
    subscription?.unsubscribe();
    const limit = get().overdueLimit;
    subscription = liveQuery(() => loadAgenda(database(), day, limit)).subscribe({
      next: (agenda) => set({ agenda }),
      error: (error) => set({ error: extensionErrorOf(error) }),
    });
  };

  async function run<T>(work: () => Promise<T>): Promise<T | null> {
    try {
      const value = await work();
      set({ error: null });
      return value;
    } catch (error) {
      set({ error: extensionErrorOf(error) });
      return null;
    }
  }

  return {
    agenda: null,
    overdueLimit: OVERDUE_PAGE,
    editing: null,
    undo: null,
    error: null,
    follow(today = localDate(Date.now())) {
      day = today;
      subscribe();
      return () => {
        subscription?.unsubscribe();
        subscription = null;
        clearTimeout(undoTimer);
      };
    },
    showMoreOverdue() {
      set({ overdueLimit: get().overdueLimit + OVERDUE_PAGE });
      subscribe();
    },
    edit: (editing) => set({ editing, error: null }),
    async openTask(id) {
      const task = await database().tasks.get(id);
      if (task && task.deleted === 0) set({ editing: { kind: 'task', task } });
    },
    async create(task) {
      const created = await run(() => askWorker('tasks/create', { task }));
      if (created) set({ editing: null });
      return !!created;
    },
    async update(id, changes) {
      const updated = await run(() => askWorker('tasks/update', { id, changes }));
      if (updated) set({ editing: null });
      return !!updated;
    },
    async setDone(task, done) {
      await run(() => askWorker('tasks/setDone', { id: task.id, done }));
    },
    async remove(task) {
      const answer = await run(() => askWorker('tasks/delete', { id: task.id }));
      if (!answer) return;
      clearTimeout(undoTimer);
      set({ undo: { id: task.id, subject: task.subject, until: answer.undoUntil }, editing: null });
      undoTimer = setTimeout(() => set({ undo: null }), Math.max(0, answer.undoUntil - Date.now() - 1000));
    },
    async undoDelete() {
      const undo = get().undo;
      if (!undo) return;
      clearTimeout(undoTimer);
      set({ undo: null });
      await run(() => askWorker('tasks/undoDelete', { id: undo.id }));
    },
    dismissError: () => set({ error: null }),
  };
});
