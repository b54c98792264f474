/**
 * The command center: open overdue tasks first, then today's and tomorrow's, each with its due
 * date, priority, related Contact/Lead and where it stands with Salesforce. Create, edit,
 * complete, reopen and delete (with undo), all from the keyboard too:
 *   N new task · ↑/↓ move between tasks · Space complete/reopen · E or Enter edit ·
 *   Delete remove · Ctrl/⌘+Z undo the last deletion.
 */
import { type KeyboardEvent, useEffect, useLayoutEffect, useRef } from 'react';
import { i18n } from '#i18n';
import type { LocalTask } from '@/lib/db';
import { addDays, type TaskInput, taskLink } from '@/lib/tasks/model';
import { askWorker } from '../worker';
import { errorText, formatDate, formatTime } from './explain';
import { TaskEditor } from './TaskEditor';
import { useTaskStore } from './task-store';

function changesBetween(task: LocalTask, input: TaskInput): Partial<TaskInput> {
  const before: TaskInput = {
    subject: task.subject,
    details: task.details,
    dueDate: task.dueDate,
    remindAt: task.remindAt ?? null,
    priority: task.priority,
    whoId: task.whoId ?? '',
    whoName: task.whoName ?? '',
  };
  return Object.fromEntries(Object.entries(input).filter(([key, value]) => before[key as keyof TaskInput] !== value)) as Partial<TaskInput>;
}

function TaskRow({ task, showDate }: { task: LocalTask; showDate: boolean }) {
  const { setDone, remove, edit } = useTaskStore.getState();
  const link = taskLink(task);
  const subject = task.subject || i18n.t('tasks.noSubject');
  const checkboxId = `task-${task.id}`;
  return (
    <li className={`task${task.done ? ' done' : ''}`} data-task-id={task.id}>
      <input
        id={checkboxId}
        type="checkbox"
        className="task-check"
        checked={task.done === 1}
        onChange={(e) => void setDone(task, e.target.checked)}
      />
      <div className="task-body">
        <label htmlFor={checkboxId} className="task-subject">
          {subject}
        </label>
        <p className="task-meta">
          {showDate && task.dueDate && <span className="overdue-date">{i18n.t('tasks.due', [formatDate(task.dueDate)])}</span>}
          {task.remindAt !== undefined && task.done === 0 && <span>{i18n.t('tasks.remindAt', [formatTime(task.remindAt)])}</span>}
          {task.priority !== 'Normal' && (
            <span className={`priority ${task.priority.toLowerCase()}`}>{i18n.t(`tasks.priority.${task.priority}`)}</span>
          )}
          {task.whoName && <span>{task.whoName}</span>}
          <span className={`link ${link}`} title={link === 'refused' ? task.syncError?.message : undefined}>
            {i18n.t(`tasks.link.${link}`)}
          </span>
        </p>
      </div>
      <div className="task-actions">
        <button
          type="button"
          className="icon-button"
          aria-label={i18n.t('tasks.editLabel', [subject])}
          onClick={() => edit({ kind: 'task', task })}
        >
          {i18n.t('tasks.edit')}
        </button>
        <button type="button" className="icon-button" aria-label={i18n.t('tasks.deleteLabel', [subject])} onClick={() => void remove(task)}>
          {i18n.t('tasks.delete')}
        </button>
      </div>
    </li>
  );
}

function Section({
  id,
  title,
  tasks,
  showDate,
  empty,
}: {
  id: string;
  title: string;
  tasks: LocalTask[];
  showDate: boolean;
  empty?: string;
}) {
  if (tasks.length === 0 && !empty) return null;
  return (
    <section aria-labelledby={id} className="task-section">
      <h3 id={id}>
        {title} <span className="count">{tasks.length > 0 ? `(${tasks.length})` : ''}</span>
      </h3>
      {tasks.length === 0 ? (
        <p className="hint">{empty}</p>
      ) : (
        <ul className="task-list">
          {tasks.map((task) => (
            <TaskRow key={task.id} task={task} showDate={showDate} />
          ))}
        </ul>
      )}
    </section>
  );
}

export function CommandCenter() {
  const agenda = useTaskStore((s) => s.agenda);
  const editing = useTaskStore((s) => s.editing);
  const undo = useTaskStore((s) => s.undo);
  const error = useTaskStore((s) => s.error);
  const store = useTaskStore.getState();
  const root = useRef<HTMLElement>(null);

  // N and Ctrl/⌘+Z work anywhere in the popup, not only inside the list.
  useEffect(() => {
    const onDocumentKey = (event: globalThis.KeyboardEvent) => {
      if (event.defaultPrevented || root.current?.contains(event.target as Node)) return;
      const target = event.target as HTMLElement;
      if (target.closest('input, textarea, select, [role="combobox"], form')) return;
      const state = useTaskStore.getState();
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'z' && state.undo) {
        event.preventDefault();
        void state.undoDelete();
      } else if (!event.ctrlKey && !event.metaKey && !event.altKey && event.key.toLowerCase() === 'n' && !state.editing) {
        event.preventDefault();
        state.edit({ kind: 'new' });
      }
    };
    document.addEventListener('keydown', onDocumentKey);
    return () => document.removeEventListener('keydown', onDocumentKey);
  }, []);

  useEffect(() => {
    const stop = useTaskStore.getState().follow();
    // Opening the command center syncs tasks now; the list follows the database as the sync lands.
    void askWorker('taskSync/opened', {}).catch(() => undefined);
    // A reminder's notification opens popup.html#task=<id>.
    const match = /^#task=(.+)$/.exec(location.hash);
    if (match?.[1]) void useTaskStore.getState().openTask(decodeURIComponent(match[1]));
    return stop;
  }, []);

  // When the first task list is in the document: what the popup-open benchmark times.
  const ready = !!agenda;
  useLayoutEffect(() => {
    if (ready && performance.getEntriesByName('tasks-ready').length === 0) performance.mark('tasks-ready');
  }, [ready]);

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    const target = event.target as HTMLElement;
    const typing = target.matches('input[type="text"], input[type="date"], input[type="time"], textarea, select, [role="combobox"]');
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'z' && undo && !typing) {
      event.preventDefault();
      void store.undoDelete();
      return;
    }
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key.toLowerCase() === 'n' && !editing) {
      event.preventDefault();
      store.edit({ kind: 'new' });
      return;
    }
    const row = target.closest<HTMLElement>('li.task');
    if (!row) return;
    const task = [...(agenda?.overdue ?? []), ...(agenda?.dueToday ?? []), ...(agenda?.dueTomorrow ?? [])].find(
      (t) => t.id === row.dataset.taskId,
    );
    if (!task) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const checks = [...(root.current?.querySelectorAll<HTMLInputElement>('li.task .task-check') ?? [])];
      const at = checks.findIndex((c) => row.contains(c));
      checks[Math.max(0, Math.min(checks.length - 1, at + (event.key === 'ArrowDown' ? 1 : -1)))]?.focus();
    } else if (event.key === 'Delete' || event.key === 'Backspace') {
      event.preventDefault();
      const checks = [...(root.current?.querySelectorAll<HTMLInputElement>('li.task .task-check') ?? [])];
      const at = checks.findIndex((c) => row.contains(c));
      void store.remove(task).then(() => (checks[at + 1] ?? checks[at - 1])?.focus());
    } else if ((event.key === 'e' || event.key === 'Enter') && target.matches('.task-check')) {
      event.preventDefault();
      store.edit({ kind: 'task', task });
    }
  };

  const today = agenda?.today ?? '';
  const editor =
    editing &&
    (editing.kind === 'new' ? (
      <TaskEditor task={null} defaultDate={today} onSave={(input) => store.create(input)} onCancel={() => store.edit(null)} />
    ) : (
      <TaskEditor
        key={editing.task.id}
        task={editing.task}
        defaultDate={today}
        onSave={async (input) => {
          const changes = changesBetween(editing.task, input);
          if (Object.keys(changes).length === 0) {
            store.edit(null);
            return true;
          }
          return store.update(editing.task.id, changes);
        }}
        onCancel={() => store.edit(null)}
      />
    ));

  const nothing = agenda && agenda.overdue.length + agenda.dueToday.length + agenda.dueTomorrow.length === 0;
  return (
    <section ref={root} aria-labelledby="tasks-heading" className="command-center" onKeyDown={onKeyDown}>
      <div className="section-header">
        <h2 id="tasks-heading">{i18n.t('popup.tasksHeading')}</h2>
        <button type="button" aria-keyshortcuts="N" onClick={() => store.edit({ kind: 'new' })} disabled={editing?.kind === 'new'}>
          {i18n.t('tasks.new')}
        </button>
      </div>
      {error && (
        <p role="alert" className="field-error">
          {errorText(error)}{' '}
          <button type="button" className="link-button" onClick={() => store.dismissError()}>
            {i18n.t('tasks.dismiss')}
          </button>
        </p>
      )}
      {editor}
      {undo && (
        <p role="status" className="undo-bar">
          {i18n.t('tasks.deleted', [undo.subject || i18n.t('tasks.noSubject')])}{' '}
          <button type="button" aria-keyshortcuts="Control+Z" onClick={() => void store.undoDelete()}>
            {i18n.t('tasks.undo')}
          </button>
        </p>
      )}
      {!agenda ? (
        <p className="hint" aria-busy="true">
          {i18n.t('tasks.loading')}
        </p>
      ) : (
        <div className="agenda" data-ready="true">
          {nothing && <p className="hint">{i18n.t('popup.tasksEmpty')}</p>}
          <Section id="tasks-overdue" title={i18n.t('tasks.overdue')} tasks={agenda.overdue} showDate />
          {agenda.moreOverdue && (
            <button type="button" className="link-button" onClick={() => store.showMoreOverdue()}>
              {i18n.t('tasks.showMore')}
            </button>
          )}
          {!nothing && (
            <>
              <Section
                id="tasks-today"
                title={i18n.t('tasks.today')}
                tasks={agenda.dueToday}
                showDate={false}
                empty={i18n.t('tasks.emptyDay')}
              />
              <Section
                id="tasks-tomorrow"
                title={i18n.t('tasks.tomorrow', [formatDate(addDays(agenda.today, 1))])}
                tasks={agenda.dueTomorrow}
                showDate={false}
                empty={i18n.t('tasks.emptyDay')}
              />
            </>
          )}
          <p className="hint small">{i18n.t('tasks.shortcuts')}</p>
        </div>
      )}
    </section>
  );
}
