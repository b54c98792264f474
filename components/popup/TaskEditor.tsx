/**
 * Creating or editing one task: name, due date, reminder time, priority, the related Contact or
 * Lead, and details. Checked with the same rules the worker applies, before anything is sent.
 * Enter in a one-line field saves; Escape cancels.
 */
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { i18n } from '#i18n';
import type { PersonMatch } from '@/lib/calls/search';
import type { LocalTask, TaskPriority } from '@/lib/db';
import { checkNewTask, localMoment, localTime, type TaskInput, type TaskProblem } from '@/lib/tasks/model';
import { PersonPicker } from './PersonPicker';

interface Props {
  task: LocalTask | null;
  /** The date a new task starts with. */
  defaultDate: string;
  onSave: (input: TaskInput) => Promise<boolean>;
  onCancel: () => void;
}

type FieldProblems = Partial<Record<'subject' | 'details' | 'dueDate' | 'remindAt' | 'who', string>>;

function problemText(problem: TaskProblem | 'reminderNeedsDate'): string {
  switch (problem) {
    case 'required':
      return i18n.t('tasks.editor.problem.required');
    case 'tooLong':
      return i18n.t('tasks.editor.problem.tooLong');
    case 'badDate':
      return i18n.t('tasks.editor.problem.badDate');
    case 'badTime':
      return i18n.t('tasks.editor.problem.badTime');
    case 'reminderNeedsDate':
      return i18n.t('tasks.editor.problem.reminderNeedsDate');
    default:
      return i18n.t('tasks.editor.problem.invalid');
  }
}

export function TaskEditor({ task, defaultDate, onSave, onCancel }: Props) {
  const id = useId();
  const [subject, setSubject] = useState(task?.subject ?? '');
  const [dueDate, setDueDate] = useState(task?.dueDate ?? defaultDate);
  const [time, setTime] = useState(task?.remindAt !== undefined ? localTime(task.remindAt) : '');
  const [priority, setPriority] = useState<TaskPriority>(task?.priority ?? 'Normal');
  const [details, setDetails] = useState(task?.details ?? '');
  const [who, setWho] = useState<PersonMatch | null>(
    task?.whoId ? { id: task.whoId, type: task.whoId.startsWith('00Q') ? 'Lead' : 'Contact', name: task.whoName ?? task.whoId } : null,
  );
  const [problems, setProblems] = useState<FieldProblems>({});
  const [saving, setSaving] = useState(false);
  const first = useRef<HTMLInputElement>(null);

  useEffect(() => first.current?.focus(), []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: FieldProblems = {};
    let remindAt: number | null = null;
    if (time !== '') {
      if (dueDate === '') found.remindAt = problemText('reminderNeedsDate');
      else {
        remindAt = localMoment(dueDate, time);
        if (remindAt === null) found.remindAt = problemText('badTime');
      }
    }
    const input = { subject, details, dueDate, remindAt, priority, whoId: who?.id ?? '', whoName: who?.name ?? '' };
    const checked = checkNewTask(input);
    if (!checked.ok) {
      const field = checked.field === 'whoId' || checked.field === 'whoName' ? 'who' : checked.field;
      if (field !== 'task' && field !== 'priority') found[field] = problemText(checked.problem);
    }
    setProblems(found);
    if (Object.keys(found).length > 0 || !checked.ok) {
      const firstBad = document.querySelector<HTMLElement>(`[data-editor="${id}"] [aria-invalid="true"]`);
      firstBad?.focus();
      return;
    }
    setSaving(true);
    const saved = await onSave(checked.value);
    setSaving(false);
    if (!saved) first.current?.focus();
  };

  const describe = (field: keyof FieldProblems) => (problems[field] ? `${id}-${field}-problem` : undefined);
  const problem = (field: keyof FieldProblems) =>
    problems[field] ? (
      <p id={`${id}-${field}-problem`} className="field-error">
        {problems[field]}
      </p>
    ) : null;

  return (
    <form
      className="task-editor"
      data-editor={id}
      aria-labelledby={`${id}-heading`}
      onSubmit={(e) => void submit(e)}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          event.stopPropagation();
          onCancel();
        }
      }}
    >
      <h3 id={`${id}-heading`}>{task ? i18n.t('tasks.editor.editHeading') : i18n.t('tasks.editor.newHeading')}</h3>
      <div className="field">
        <label htmlFor={`${id}-subject`} className="field-label">
          {i18n.t('tasks.editor.subject')}
        </label>
        <input
          ref={first}
          id={`${id}-subject`}
          type="text"
          value={subject}
          maxLength={255}
          aria-invalid={problems.subject ? true : undefined}
          aria-describedby={describe('subject')}
          onChange={(e) => setSubject(e.target.value)}
        />
        {problem('subject')}
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-due`} className="field-label">
            {i18n.t('tasks.editor.dueDate')}
          </label>
          <input
            id={`${id}-due`}
            type="date"
            value={dueDate}
            aria-invalid={problems.dueDate ? true : undefined}
            aria-describedby={describe('dueDate')}
            onChange={(e) => setDueDate(e.target.value)}
          />
          {problem('dueDate')}
        </div>
        <div className="field">
          <label htmlFor={`${id}-time`} className="field-label">
            {i18n.t('tasks.editor.remindAt')}
          </label>
          <input
            id={`${id}-time`}
            type="time"
            value={time}
            aria-invalid={problems.remindAt ? true : undefined}
            aria-describedby={describe('remindAt')}
            onChange={(e) => setTime(e.target.value)}
          />
          {problem('remindAt')}
        </div>
        <div className="field">
          <label htmlFor={`${id}-priority`} className="field-label">
            {i18n.t('tasks.editor.priority')}
          </label>
          <select
            id={`${id}-priority`}
            value={priority}
            onChange={(e) => setPriority(e.target.value as TaskPriority)}
            aria-describedby={`${id}-priority-hint`}
          >
            <option value="High">{i18n.t('tasks.priority.High')}</option>
            <option value="Normal">{i18n.t('tasks.priority.Normal')}</option>
            <option value="Low">{i18n.t('tasks.priority.Low')}</option>
          </select>
        </div>
      </div>
      <p id={`${id}-priority-hint`} className="hint small">
        {i18n.t('tasks.editor.priorityLowHint')}
      </p>
      <PersonPicker label={i18n.t('tasks.editor.who')} value={who} onChange={setWho} invalid={problems.who} />
      <div className="field">
        <label htmlFor={`${id}-details`} className="field-label">
          {i18n.t('tasks.editor.details')}
        </label>
        <textarea
          id={`${id}-details`}
          rows={3}
          value={details}
          aria-invalid={problems.details ? true : undefined}
          aria-describedby={describe('details')}
          onChange={(e) => setDetails(e.target.value)}
        />
        {problem('details')}
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={saving}>
          {i18n.t('tasks.editor.save')}
        </button>
        <button type="button" onClick={onCancel}>
          {i18n.t('tasks.editor.cancel')}
        </button>
      </div>
    </form>
  );
}
