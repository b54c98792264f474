/**
 * A logged call as an outbox job: the rep picked the person, so there is nothing to look up;
 * the Task (TaskSubtype Call) is written by the same runner, with the same check-before-retry,
 * as sent emails. The call's fields come from lib/calls/model.ts.
 */

import { callSubject, callTaskRecord } from '../calls/model';
import type { OutboxCallPayload } from '../calls/queue';
import type { ActivityRecord, OutboxEntry } from '../db';
import type { Capabilities } from '../logging/capabilities';
import type { Fields, FieldValue, WriteProof, WriteUnit } from './write-unit';

export type CallPlan = { kind: 'write'; unit: WriteUnit; matched: ActivityRecord['matched'] } | { kind: 'malformed' };

/** The line a call's Task carries in its Comments when the org hides CallObject: its proof then. */
export const callMarker = (key: string) => `Call-ID: ${key}`;

export function planCall(
  entry: OutboxEntry,
  capabilities: Pick<Capabilities, 'taskSubtype' | 'taskCallObject' | 'taskDescriptionLength'>,
): CallPlan {
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
  // Subject and person are not enough: two calls to one person share them (docs/exactly-once.md).
  let proof: WriteProof;
  if (capabilities.taskCallObject) {
    fields.CallObject = entry.key;
    proof = { type: 'Call', callObject: entry.key };
  } else {
    const marker = callMarker(entry.key);
    const notes = typeof fields.Description === 'string' ? fields.Description : '';
    const room = capabilities.taskDescriptionLength - marker.length - 2;
    fields.Description = notes ? `${notes.slice(0, Math.max(0, room))}\n\n${marker}` : marker;
    proof = { type: 'Task', subject, marker };
  }
  return {
    kind: 'write',
    unit: {
      key: entry.key,
      leads: [],
      activities: [{ type: 'Task', fields }],
      children: [],
      proof,
    },
    matched: [{ id: call.who.id, type: call.who.type, name: call.who.name, ...(call.who.email ? { email: call.who.email } : {}) }],
  };
}
