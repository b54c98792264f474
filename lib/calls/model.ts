/**
 * A call the rep logs from the popup, checked field by field, and the Salesforce Task it
 * becomes (README, "Log a call" under "Task sync"): TaskSubtype Call, completed, dated the
 * day of the call.
 * Pure: the popup checks with it before sending, the worker checks again before queueing.
 */
import { localDate } from '../tasks/model';

export const CALL_TYPES = ['Outbound', 'Inbound'] as const;
export type CallType = (typeof CALL_TYPES)[number];

export interface CallPerson {
  id: string;
  type: 'Contact' | 'Lead';
  name: string;
  email?: string;
}

export interface CallInput {
  who: CallPerson;
  callType: CallType;
  /** Whole seconds, at most a day. */
  durationSeconds: number;
  /** The call's result (CallDisposition): "Left voicemail", "Connected", ... */
  outcome: string;
  /** What the call was about; it names the Task ("Call: <reason>"). */
  reason: string;
  notes: string;
  /** When the call took place (ms since epoch). */
  at: number;
}

export type CallProblem = 'required' | 'tooLong' | 'outOfRange' | 'notAChoice' | 'badRecord' | 'wrongType';
export type CallCheck = { ok: true; value: CallInput } | { ok: false; field: keyof CallInput | 'call'; problem: CallProblem };

const MAX_DURATION = 24 * 60 * 60;
const OUTCOME_MAX = 255;
const REASON_MAX = 200;
const NOTES_MAX = 32_000;
const ID_BY_TYPE = { Contact: /^003[a-zA-Z0-9]{12}(?:[a-zA-Z0-9]{3})?$/, Lead: /^00Q[a-zA-Z0-9]{12}(?:[a-zA-Z0-9]{3})?$/ } as const;
const FIELDS = ['who', 'callType', 'durationSeconds', 'outcome', 'reason', 'notes', 'at'] as const;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function checkPerson(raw: unknown): CallPerson | CallProblem {
  if (!isObject(raw)) return 'required';
  const { id, type, name, email } = raw;
  if (type !== 'Contact' && type !== 'Lead') return 'badRecord';
  if (typeof id !== 'string' || !ID_BY_TYPE[type].test(id)) return 'badRecord';
  if (typeof name !== 'string' || name.length > 255) return 'badRecord';
  if (email !== undefined && (typeof email !== 'string' || email.length > 254)) return 'badRecord';
  if (Object.keys(raw).some((k) => !['id', 'type', 'name', 'email'].includes(k))) return 'badRecord';
  return { id, type, name, ...(typeof email === 'string' && email ? { email } : {}) };
}

/** Checks a call; nothing but its known fields is kept. */
export function checkCall(raw: unknown, now = Date.now()): CallCheck {
  if (!isObject(raw) || Object.keys(raw).some((k) => !(FIELDS as readonly string[]).includes(k))) {
    return { ok: false, field: 'call', problem: 'wrongType' };
  }
  const who = checkPerson(raw.who);
  if (typeof who === 'string') return { ok: false, field: 'who', problem: who };
  if (!(CALL_TYPES as readonly unknown[]).includes(raw.callType)) return { ok: false, field: 'callType', problem: 'notAChoice' };
  const duration = raw.durationSeconds;
  if (typeof duration !== 'number' || !Number.isInteger(duration)) return { ok: false, field: 'durationSeconds', problem: 'wrongType' };
  if (duration < 0 || duration > MAX_DURATION) return { ok: false, field: 'durationSeconds', problem: 'outOfRange' };
  const text = (field: 'outcome' | 'reason' | 'notes', max: number) => {
    const value = raw[field];
    if (typeof value !== 'string') return { ok: false as const, field, problem: 'wrongType' as const };
    return value.length > max ? { ok: false as const, field, problem: 'tooLong' as const } : null;
  };
  const bad = text('outcome', OUTCOME_MAX) ?? text('reason', REASON_MAX) ?? text('notes', NOTES_MAX);
  if (bad) return bad;
  const at = raw.at;
  // A call logged now happened in the past, not next week; a week's slack for clocks and late logging is plenty.
  if (typeof at !== 'number' || !Number.isFinite(at) || at < 946_684_800_000 || at > now + 7 * 86_400_000) {
    return { ok: false, field: 'at', problem: 'outOfRange' };
  }
  return {
    ok: true,
    value: {
      who,
      callType: raw.callType as CallType,
      durationSeconds: duration,
      outcome: (raw.outcome as string).trim(),
      reason: (raw.reason as string).replace(/[\r\n]+/g, ' ').trim(),
      notes: raw.notes as string,
      at,
    },
  };
}

/** The Task's subject: "Call: <reason>", or "Call" alone. */
export function callSubject(call: CallInput): string {
  return (call.reason ? `Call: ${call.reason}` : 'Call').slice(0, 255);
}

/** The Task a call is logged as. */
export function callTaskRecord(call: CallInput): Record<string, unknown> {
  return {
    Subject: callSubject(call),
    TaskSubtype: 'Call',
    Status: 'Completed',
    Priority: 'Normal',
    ActivityDate: localDate(call.at),
    WhoId: call.who.id,
    CallType: call.callType,
    CallDurationInSeconds: call.durationSeconds,
    ...(call.outcome ? { CallDisposition: call.outcome } : {}),
    ...(call.notes ? { Description: call.notes } : {}),
  };
}

/** "1:05" style minutes:seconds into whole seconds; null when it is not a duration. */
export function parseDuration(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return 0;
  const clock = /^(\d{1,3}):([0-5]\d)$/.exec(trimmed);
  if (clock) return Number(clock[1]) * 60 + Number(clock[2]);
  const minutes = /^\d{1,4}$/.exec(trimmed);
  return minutes ? Number(trimmed) * 60 : null;
}
