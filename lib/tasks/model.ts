/**
 * What a task is made of when the rep writes one, checked field by field, and the calendar
 * arithmetic of the command center. Pure: the popup and the worker both use it.
 */
import type { LocalTask, TaskPriority } from '../db';
import type { LocalFields } from '../sync/fields';

/** What the popup sends to create a task, or (partly) to change one. */
export interface TaskInput {
  subject: string;
  details: string;
  /** YYYY-MM-DD, or '' for no due date. */
  dueDate: string;
  /** When to remind (ms since epoch), or null for no reminder. */
  remindAt: number | null;
  priority: TaskPriority;
  /** Contact (003) or Lead (00Q) id, or ''. */
  whoId: string;
  whoName: string;
}

export type TaskProblem = 'required' | 'tooLong' | 'badDate' | 'badTime' | 'notAChoice' | 'badRecord' | 'wrongType';

export type TaskCheck<T> = { ok: true; value: T } | { ok: false; field: keyof TaskInput | 'task'; problem: TaskProblem };

/** Salesforce's limits for Subject and Description (Comments). */
export const SUBJECT_MAX = 255;
export const DETAILS_MAX = 32_000;
const WHO_NAME_MAX = 255;
const PRIORITIES: readonly TaskPriority[] = ['High', 'Normal', 'Low'];
const RECORD_ID = /^(003|00Q)[a-zA-Z0-9]{12}(?:[a-zA-Z0-9]{3})?$/;

/** A real calendar date in YYYY-MM-DD (2026-02-30 is not). */
export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

type FieldCheck = (value: unknown) => TaskProblem | null;

const CHECKS: Record<keyof TaskInput, FieldCheck> = {
  subject: (v) => (typeof v !== 'string' ? 'wrongType' : v.trim() === '' ? 'required' : v.length > SUBJECT_MAX ? 'tooLong' : null),
  details: (v) => (typeof v !== 'string' ? 'wrongType' : v.length > DETAILS_MAX ? 'tooLong' : null),
  dueDate: (v) => (typeof v !== 'string' ? 'wrongType' : v !== '' && !isCalendarDate(v) ? 'badDate' : null),
  remindAt: (v) => (v === null ? null : typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 ? 'badTime' : null),
  priority: (v) => (typeof v !== 'string' ? 'wrongType' : (PRIORITIES as readonly string[]).includes(v) ? null : 'notAChoice'),
  whoId: (v) => (typeof v !== 'string' ? 'wrongType' : v !== '' && !RECORD_ID.test(v) ? 'badRecord' : null),
  whoName: (v) => (typeof v !== 'string' ? 'wrongType' : v.length > WHO_NAME_MAX ? 'tooLong' : null),
};

export const TASK_INPUT_FIELDS = Object.keys(CHECKS) as (keyof TaskInput)[];

function clean(field: keyof TaskInput, value: unknown): unknown {
  if (field === 'subject' && typeof value === 'string') return value.trim().replace(/[\r\n]+/g, ' ');
  return value;
}

/** Checks some or all fields of a task; unknown fields are refused, so nothing else reaches the database. */
export function checkTaskChanges(raw: unknown): TaskCheck<Partial<TaskInput>> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, field: 'task', problem: 'wrongType' };
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!Object.hasOwn(CHECKS, key)) return { ok: false, field: 'task', problem: 'wrongType' };
    const field = key as keyof TaskInput;
    const cleaned = clean(field, value);
    const problem = CHECKS[field](cleaned);
    if (problem) return { ok: false, field, problem };
    out[field] = cleaned;
  }
  // A Contact/Lead without a name would show as an id; a name without an id means nothing.
  if ('whoId' in out && out.whoId === '') out.whoName = '';
  return { ok: true, value: out as Partial<TaskInput> };
}

/** Checks a whole new task: every field present and valid. */
export function checkNewTask(raw: unknown): TaskCheck<TaskInput> {
  const checked = checkTaskChanges(raw);
  if (!checked.ok) return checked;
  const missing = TASK_INPUT_FIELDS.find((f) => !(f in checked.value));
  if (missing && missing !== 'whoName') return { ok: false, field: missing, problem: 'required' };
  return { ok: true, value: { whoName: '', ...checked.value } as TaskInput };
}

/** The fields task sync compares, from a local task. */
export function syncedFieldsOf(task: LocalTask): LocalFields {
  return {
    subject: task.subject,
    details: task.details,
    dueDate: task.dueDate,
    priority: task.priority,
    done: task.done === 1,
    whoId: task.whoId ?? '',
  };
}

// ---------------------------------------------------------------------------------------------
// Calendar

const pad = (n: number) => String(n).padStart(2, '0');

/** The rep's local calendar date at `ms`. */
export function localDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** A calendar date `days` later, computed on dates alone so no time zone or DST can shift it. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const next = new Date(Date.UTC(y, m - 1, d + days));
  return `${next.getUTCFullYear()}-${pad(next.getUTCMonth() + 1)}-${pad(next.getUTCDate())}`;
}

/** The local moment a date and "HH:MM" mean for the rep (for reminders). */
export function localMoment(date: string, time: string): number | null {
  const dm = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const tm = /^(\d{2}):(\d{2})$/.exec(time);
  if (!dm || !tm || !isCalendarDate(date)) return null;
  const [h, min] = [Number(tm[1]), Number(tm[2])];
  if (h > 23 || min > 59) return null;
  return new Date(Number(dm[1]), Number(dm[2]) - 1, Number(dm[3]), h, min).getTime();
}

/** "HH:MM" of a local moment. */
export function localTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Where a task stands with Salesforce, as the command center labels it. */
export type TaskLink = 'fromSalesforce' | 'inSalesforce' | 'toSalesforce' | 'onlyHere' | 'refused';

export function taskLink(task: LocalTask): TaskLink {
  if (task.syncError) return 'refused';
  if (task.sfId) return task.source === 'salesforce' ? 'fromSalesforce' : 'inSalesforce';
  return task.scope === 'sync' ? 'toSalesforce' : 'onlyHere';
}
