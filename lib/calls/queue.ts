/**
 * Logged calls go through the durable outbox (`db.outbox`, `kind: 'call'`), next to sent
 * emails, so a call logged offline, with an expired session or during an outage reaches
 * Salesforce later, and a retry never makes a second Task.
 *
 * Until the outbox has one generic runner, this module sends the call entries itself:
 * - `payload` is an OutboxCallPayload; the entry is deleted once the Task exists;
 * - `sentAt` is written before the create is sent: an entry that has it may already have made
 *   its Task, so the next attempt first looks for it (one query) and sends again only if none;
 * - a failure Salesforce will repeat (validation, no permission) marks the Activity row failed
 *   and parks the entry (nextAttemptAt = PARKED) for the Activity tab's "retry", which only has
 *   to set nextAttemptAt to now; other failures are retried with the client's back-off policy.
 * The Activity row (db.activities, same key) tells the rep where each call stands.
 */
import type { ActivityRecord, ExtensionDatabase, OutboxEntry } from '../db';
import type { SalesforceClient } from '../salesforce/client';
import { retryDelayMs, type SalesforceError } from '../salesforce/errors';
import { soqlDateTime, soqlId, soqlQuote } from '../salesforce/soql';
import { type CallInput, callSubject, callTaskRecord } from './model';

export interface OutboxCallPayload {
  call: CallInput;
  /** Set just before the create is sent (ms since epoch). */
  sentAt?: number;
}

/** nextAttemptAt of an entry that waits for the rep (Salesforce refused it as it is). */
export const PARKED = Number.MAX_SAFE_INTEGER;
/** How far before `sentAt` a Task made by a lost create may be dated (clocks differ). */
const FIND_MARGIN_MS = 10 * 60_000;

export const callKey = (id: string) => `call:${id}`;

/** Queues a call and its Activity row in one transaction; answers once both are durable. */
export async function queueCall(
  db: ExtensionDatabase,
  call: CallInput,
  now: number,
  id: string = crypto.randomUUID(),
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
    await db.outbox.add({ key, kind: 'call', createdAt: now, nextAttemptAt: now, attempts: 0, payload });
  });
  return activity;
}

export interface SendOptions {
  db: ExtensionDatabase;
  client: SalesforceClient;
  now?: () => number;
  random?: () => number;
}

/** Sends every call entry that is due; answers when the next one is due (or null when none waits). */
export async function sendDueCalls({ db, client, now = Date.now, random = Math.random }: SendOptions): Promise<number | null> {
  const due = await db.outbox
    .where('nextAttemptAt')
    .belowOrEqual(now())
    .filter((e) => e.kind === 'call')
    .toArray();
  for (const entry of due) {
    const stop = await sendOne(db, client, entry, now, random);
    // Not connected, or Salesforce is away: the other calls would fail the same way now.
    if (stop) break;
  }
  const next = await db.outbox
    .where('nextAttemptAt')
    .below(PARKED)
    .filter((e) => e.kind === 'call')
    .first();
  return next?.nextAttemptAt ?? null;
}

async function setActivity(db: ExtensionDatabase, key: string, change: Partial<ActivityRecord>, now: number): Promise<void> {
  await db.activities.update(key, { ...change, updatedAt: now });
}

/** Returns true when the failure applies to every call (so the run stops). */
async function sendOne(
  db: ExtensionDatabase,
  client: SalesforceClient,
  entry: OutboxEntry,
  now: () => number,
  random: () => number,
): Promise<boolean> {
  const payload = entry.payload as OutboxCallPayload;
  await setActivity(db, entry.key, { state: 'logging' }, now());

  let taskId: string | null = null;
  if (payload.sentAt !== undefined) {
    const found = await findLoggedCall(client, payload);
    if (!found.ok) return fail(db, entry, found.error, now(), random());
    taskId = found.value;
  }
  if (!taskId) {
    await db.outbox.update(entry.key, { payload: { ...payload, sentAt: now() } satisfies OutboxCallPayload });
    const created = await client.request<{ id: string }>(
      {
        method: 'POST',
        url: '/sobjects/Task',
        body: JSON.stringify(callTaskRecord(payload.call)),
        headers: { 'Content-Type': 'application/json' },
      },
      'log',
    );
    if (!created.ok) return fail(db, entry, created.error, now(), random());
    taskId = created.value.id;
  }
  await db.transaction('rw', db.outbox, db.activities, async () => {
    await db.outbox.delete(entry.key);
    const activity = await db.activities.get(entry.key);
    if (!activity) return;
    const logged: ActivityRecord = { ...activity, state: 'logged', loggedIds: [taskId as string], updatedAt: now() };
    delete logged.reason;
    await db.activities.put(logged);
  });
  return false;
}

/** A Task that an earlier, unanswered create of this call made, if there is one. */
async function findLoggedCall(client: SalesforceClient, payload: OutboxCallPayload) {
  const session = await client.currentSession();
  if (!session) return { ok: false as const, error: { kind: 'notConnected' as const, message: 'not connected to Salesforce' } };
  const { call, sentAt = 0 } = payload;
  const soql =
    `SELECT Id FROM Task WHERE CreatedById = ${soqlId(session.userId)} AND TaskSubtype = 'Call'` +
    ` AND WhoId = ${soqlId(call.who.id)} AND Subject = ${soqlQuote(callSubject(call))}` +
    ` AND CallDurationInSeconds = ${call.durationSeconds} AND CreatedDate >= ${soqlDateTime(sentAt - FIND_MARGIN_MS)} LIMIT 1`;
  const page = await client.query<{ Id: string }>(soql, 'log');
  if (!page.ok) return page;
  return { ok: true as const, value: page.value.records[0]?.Id ?? null };
}

async function fail(db: ExtensionDatabase, entry: OutboxEntry, error: SalesforceError, now: number, random: number): Promise<boolean> {
  const attempts = entry.attempts + 1;
  const delay = retryDelayMs(error, attempts, now, random);
  const waitsForRep = error.kind === 'notConnected' || error.kind === 'reconnectNeeded' || error.kind === 'noApiAccess';
  // Waiting for the rep to connect: looked at again every so often, and at once after "Sync now" or a new call.
  const nextAttemptAt = delay !== null ? now + delay : waitsForRep ? now + 15 * 60_000 : PARKED;
  await db.outbox.update(entry.key, { attempts, nextAttemptAt });
  await setActivity(db, entry.key, { state: nextAttemptAt === PARKED ? 'failed' : 'queued', reason: error.kind }, now);
  return delay !== null || waitsForRep;
}
