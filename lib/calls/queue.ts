/**
 * Logged calls go through the durable outbox (`db.outbox`, `kind: 'call'`), next to sent
 * emails, so a call logged offline, with an expired session or during an outage reaches
 * Salesforce later, and a retry never makes a second Task. The outbox runner
 * (lib/outbox/runner.ts, job lib/outbox/call-job.ts) sends them with the email: it records
 * how the Task can be found before each create and looks for it after a lost answer; a
 * failure Salesforce will repeat parks the entry (nextAttemptAt = PARKED) for the Activity
 * tab's retry. The Activity row (db.activities, same key) tells the rep where each call stands.
 */
import type { ActivityRecord, ExtensionDatabase, OutboxOwner } from '../db';
import { type CallInput, callSubject } from './model';

export interface OutboxCallPayload {
  call: CallInput;
}

/** nextAttemptAt of an entry that waits for the rep (Salesforce refused it as it is). */
export const PARKED = Number.MAX_SAFE_INTEGER;

export const callKey = (id: string) => `call:${id}`;

/** Queues a call and its Activity row in one transaction; answers once both are durable. */
export async function queueCall(
  db: ExtensionDatabase,
  call: CallInput,
  now: number,
  id: string = crypto.randomUUID(),
  /** The org and user connected now: the call is theirs to log. */
  owner?: OutboxOwner,
): Promise<ActivityRecord> {
  const key = callKey(id);
  const activity: ActivityRecord = {
    key,
    kind: 'call',
    subject: callSubject(call),
    recipients: call.who.email ? [{ email: call.who.email, name: call.who.name }] : [],
    sentAt: call.at,
    updatedAt: now,
    state: 'queued',
    loggedIds: [],
    matched: [{ id: call.who.id, type: call.who.type, name: call.who.name, ...(call.who.email ? { email: call.who.email } : {}) }],
  };
  const payload: OutboxCallPayload = { call };
  await db.transaction('rw', db.outbox, db.activities, async () => {
    await db.activities.add(activity);
    await db.outbox.add({ key, kind: 'call', createdAt: now, nextAttemptAt: now, attempts: 0, payload, ...(owner ? { owner } : {}) });
  });
  return activity;
}
