/**
 * A logged call as an outbox job: the rep picked the person, so there is nothing to look up;
 * the Task (TaskSubtype Call) is written by the same runner, with the same check-before-retry,
 * as sent emails. The call's fields come from lib/calls/model.ts.
 */

import { callSubject, callTaskRecord } from '../calls/model';
import type { OutboxCallPayload } from '../calls/queue';
import type { ActivityRecord, OutboxEntry } from '../db';
import type { Capabilities } from '../logging/capabilities';
import type { Fields, FieldValue, WriteUnit } from './write-unit';

export type CallPlan = { kind: 'write'; unit: WriteUnit; matched: ActivityRecord['matched'] } | { kind: 'malformed' };

export function planCall(entry: OutboxEntry, capabilities: Pick<Capabilities, 'taskSubtype'>): CallPlan {
  const call = (entry.payload as Partial<OutboxCallPayload> | null)?.call;
  if (!call || typeof call !== 'object' || !call.who?.id) return { kind: 'malformed' };
  const fields: Fields = {};
  for (const [name, value] of Object.entries(callTaskRecord(call))) fields[name] = value as FieldValue;
  if (!capabilities.taskSubtype.call) {
    // An org without the Call subtype still sees a call: Type is the older marker.
    delete fields.TaskSubtype;
    fields.Type = 'Call';
  }
  const subject = callSubject(call);
  return {
    kind: 'write',
    unit: {
      key: entry.key,
      leads: [],
      activities: [{ type: 'Task', fields }],
      children: [],
      proof: { type: 'Task', subject, whoId: call.who.id },
    },
    matched: [{ id: call.who.id, type: call.who.type, name: call.who.name, ...(call.who.email ? { email: call.who.email } : {}) }],
  };
}
