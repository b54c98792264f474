/**
 * The exactly-once rule of the outbox, as pure decisions: given the outbox's entries and what
 * Salesforce answered, what to write, what to check, and what each entry becomes. The runner
 * (runner.ts) is the thin shell that reads the database, makes the calls and applies these.
 * docs/exactly-once.md explains the rule and the facts about Salesforce it relies on.
 *
 * The contract, in short:
 * - An entry with an `attempt` may have records in Salesforce. It is never written again
 *   before a check (`checkQueries`, `afterCheck`) has found nothing.
 * - An entry without one is planned (`planEntry`): look something up, write a unit, or finish.
 * - New kinds of entry (an inbound reply, say) plug in at `planEntry` with a `WriteUnit` whose
 *   proof identifies its one record; everything after that is shared.
 */
import type { ActivityRecord, OutboxAttempt, OutboxEntry, OutboxOwner } from '../db';
import type { Capabilities } from '../logging/capabilities';
import { emailOf, type Knowledge, planEmail } from '../logging/email-job';
import type { LookupNeeds } from '../logging/lookups';
import { emailMessagesByIdentifier, splitInList, tasksBySubject } from '../logging/soql-lookups';
import { type ExclusionReason, type ExclusionSettings, shouldLog } from '../mail/exclusions';
import { queryPath, type Subrequest } from '../salesforce/composite';
import { RETRY_POLICY, type SalesforceError } from '../salesforce/errors';
import { soqlDateTime, soqlId, soqlQuote } from '../salesforce/soql';
import type { StoredSession } from '../salesforce/tokens';
import { planCall } from './call-job';
import type { OutboxEmailPayload } from './queue';
import type { WriteProof, WriteUnit } from './write-unit';

export interface OutboxTiming {
  /** After a new entry, wait this long so that sends in quick succession share one call. */
  settleMs: number;
  /** A freshly matched email waits up to this long (from when it was queued) for company. */
  rideAlongMs: number;
  /** After a write with no answer, let Salesforce finish before asking whether it committed. */
  verifyDelayMs: number;
  /**
   * The longest a write may still commit after it was sent: Salesforce carries a request out
   * although its caller gave up (and aborted it), up to its own limit on a transaction. A check
   * that finds nothing before then is repeated once this has passed, never followed by a write.
   * At least `verifyDelayMs`, and beyond the client's call deadline.
   */
  commitWindowMs: number;
}

/** nextAttemptAt of an entry that waits for the rep (failed, unresolved); the call queue uses the same. */
export const HELD = Number.MAX_SAFE_INTEGER;
/** A record gone between lookup and write is looked up again this many times before failing. */
export const MAX_REMATCHES = 3;

// ---------------------------------------------------------------------------------------------
// Whose entries: the org and user they were captured for

/** The owner an entry captured under this session belongs to. */
export const ownerOf = (session: Pick<StoredSession, 'orgId' | 'userId' | 'instanceUrl'>): OutboxOwner => ({
  orgId: session.orgId,
  userId: session.userId,
  instanceUrl: session.instanceUrl,
});

/** Whether this session may write the entry: its own org and user (ids compared as 15 characters). */
export function belongsTo(entry: Pick<OutboxEntry, 'owner'>, session: Pick<StoredSession, 'orgId' | 'userId'>): boolean {
  if (!entry.owner) return true;
  const same = (a: string, b: string) => a.slice(0, 15) === b.slice(0, 15);
  return same(entry.owner.orgId, session.orgId) && same(entry.owner.userId, session.userId);
}

// ---------------------------------------------------------------------------------------------
// Which entries a pass works on

/** When an attempt may be checked: at once when Salesforce answered, else once it had time to commit. */
export function checkDueAt(attempt: OutboxAttempt, timing: OutboxTiming): number {
  if (attempt.answered) return attempt.at;
  return attempt.checkAfter ?? attempt.at + timing.verifyDelayMs;
}

/** When an entry may next be worked on: an unanswered attempt waits to be checked. */
export function dueAt(entry: OutboxEntry, timing: OutboxTiming): number {
  const attempt = entry.attempt;
  return attempt && !attempt.answered ? Math.max(entry.nextAttemptAt, checkDueAt(attempt, timing)) : entry.nextAttemptAt;
}

/** The earliest time any of these entries may be worked on, or null when none waits. */
export function nextDueAt(entries: readonly OutboxEntry[], timing: OutboxTiming): number | null {
  let next = Number.POSITIVE_INFINITY;
  for (const e of entries) if (e.nextAttemptAt < HELD) next = Math.min(next, dueAt(e, timing));
  return Number.isFinite(next) ? next : null;
}

export interface PassWork {
  /** Entries whose records must be deleted (the email was in Salesforce already). */
  compensate: OutboxEntry[];
  /** Entries whose earlier write must be looked for before anything else happens to them. */
  check: OutboxEntry[];
  /** Entries with nothing in Salesforce yet: planned this pass. */
  plan: OutboxEntry[];
}

/** Sorts a pass's entries (due or not) into what it does with each; an attempt not yet due is left alone. */
export function workOf(entries: readonly OutboxEntry[], now: number, timing: OutboxTiming): PassWork {
  const compensate = entries.filter((e) => e.compensate);
  const rest = entries.filter((e) => !e.compensate);
  return {
    compensate,
    check: rest.filter((e) => e.attempt && now >= checkDueAt(e.attempt, timing)),
    plan: rest.filter((e) => !e.attempt),
  };
}

// ---------------------------------------------------------------------------------------------
// Planning an entry with nothing in Salesforce

export type EntryPlan =
  | { kind: 'lookup'; needs: LookupNeeds }
  | { kind: 'write'; unit: WriteUnit; matched: ActivityRecord['matched']; unmatched: string[]; duplicates?: ActivityRecord['duplicates'] }
  | { kind: 'unresolved'; unmatched: string[]; duplicates?: ActivityRecord['duplicates'] }
  | { kind: 'skip'; reason: string }
  | { kind: 'failed'; error: { kind: string; message: string; errorCode?: string } };

/** What one entry without an attempt becomes now, from what is known locally. */
export function planEntry(entry: OutboxEntry, knowledge: Knowledge, capabilities: Capabilities): EntryPlan {
  if (entry.kind === 'call') {
    const plan = planCall(entry, capabilities);
    return plan.kind === 'write'
      ? { kind: 'write', unit: plan.unit, matched: plan.matched, unmatched: [] }
      : { kind: 'failed', error: { kind: 'rejected', message: 'the queued call is malformed' } };
  }
  const email = emailOf(entry);
  if (!email) return { kind: 'failed', error: { kind: 'rejected', message: 'the queued email is malformed' } };
  return planEmail(entry, email, knowledge);
}

/** The settings that decide whether an email may be logged at all (the capture's rules). */
export type WriteSettings = ExclusionSettings & { bccAddress: string };

/**
 * Why an email queued earlier must not be written now, or null: the rep switched logging off,
 * put a recipient on the never-log list, stopped logging this mailbox, or an admin locked one of
 * those. Read again just before each write, so a change made while it waited wins. Calls are
 * logged by the rep's own hand and are not held back here.
 */
export function excludedNow(entry: OutboxEntry, settings: WriteSettings): ExclusionReason | null {
  if (entry.kind !== 'email') return null;
  const payload = entry.payload as Partial<OutboxEmailPayload> | null;
  // A received email's sender is one of its people (lib/logging/inbound.ts).
  const sender = payload?.direction === 'inbound' && payload.from ? [payload.from] : [];
  const recipients = [...sender, ...(payload?.to ?? []), ...(payload?.cc ?? []), ...(payload?.bcc ?? [])];
  const bcc = settings.bccAddress.toLowerCase();
  const decision = shouldLog(recipients, payload?.mailbox ?? null, settings, bcc ? [bcc] : []);
  // Mail to colleagues only is found by matching as "no recipients"; only the rep's changes stop it here.
  return decision.log || decision.reason === 'internalOnly' ? null : decision.reason;
}

/** What is stored before a unit is sent: how to find its records, and what to do if none exist. */
export function attemptFor(unit: WriteUnit, matched: ActivityRecord['matched'], at: number): OutboxAttempt {
  return {
    at,
    proof: unit.proof,
    matched,
    ...(unit.leads.length > 0 ? { leadEmails: unit.leads.map((l) => String(l.Email)) } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Checking what an unanswered write left behind

/** The queries that find the records of these entries' attempts. */
export function checkQueries(entries: readonly OutboxEntry[], userId: string): Subrequest[] {
  const subjects: string[] = [];
  const identifiers: string[] = [];
  const callObjects: string[] = [];
  let since = Number.POSITIVE_INFINITY;
  for (const e of entries) {
    const proof = e.attempt!.proof;
    if (proof.type === 'Task') subjects.push(proof.subject);
    else if (proof.type === 'Call') callObjects.push(proof.callObject);
    else identifiers.push(proof.identifier);
    since = Math.min(since, e.attempt!.at);
  }
  const soql = [
    // A day's margin: the org's clock and this browser's may disagree.
    ...(subjects.length > 0 ? tasksBySubject(subjects, userId, soqlDateTime(since - 86_400_000)) : []),
    ...(identifiers.length > 0 ? emailMessagesByIdentifier(identifiers, userId) : []),
    ...(callObjects.length > 0 ? tasksByCallObject(callObjects, userId) : []),
  ];
  return soql.map((q, i) => ({ method: 'GET', path: queryPath(q), referenceId: `verify${i}` }));
}

/** The rep's Tasks carrying one of these CallObject values (a logged call's own id). */
export function tasksByCallObject(callObjects: readonly string[], createdBy: string): string[] {
  return splitInList(
    'SELECT Id, CallObject FROM Task WHERE CallObject IN (',
    [...new Set(callObjects)].map((c) => soqlQuote(c)),
    `) AND CreatedById = ${soqlId(createdBy)}`,
  );
}

/** Whether a row the check read is a record of this proof's write. */
export function provesWrite(proof: WriteProof, row: Record<string, unknown>): boolean {
  if (proof.type === 'EmailMessage') return row.MessageIdentifier === proof.identifier;
  if (proof.type === 'Call') return row.CallObject === proof.callObject;
  if (row.Subject !== proof.subject) return false;
  return proof.marker !== undefined
    ? typeof row.Description === 'string' && row.Description.includes(proof.marker)
    : proof.whoId !== undefined && row.WhoId === proof.whoId;
}

export type CheckOutcome =
  /** The write committed: these are its records; the addresses it made leads for are looked up again. */
  | { kind: 'logged'; ids: string[]; matched: ActivityRecord['matched']; forget: string[] }
  /** Nothing found yet, but the write may still commit: look again at `at`, write nothing before. */
  | { kind: 'checkAgain'; at: number }
  /** Nothing was written: ready to be planned again, after forgetting what may be stale. */
  | { kind: 'writeAgain'; forget: string[]; countAttempt: boolean }
  /** Nothing was written, and Salesforce's refusal will not change by itself. */
  | { kind: 'failed'; forget: string[]; error: { kind: string; message: string; errorCode?: string } };

/**
 * A refusal that a fresh lookup may cure: a record gone since it was cached, or a refusal
 * Salesforce did not explain (only that the rest was halted).
 */
export const mayBeStale = (error: { kind: string; errorCode?: string }) =>
  error.kind === 'notFound' || error.errorCode === 'PROCESSING_HALTED';

/** What an entry with an attempt becomes, given every row the check read at `now`. */
export function afterCheck(
  entry: OutboxEntry,
  rows: ReadonlyArray<Record<string, unknown>>,
  now: number,
  timing: OutboxTiming,
): CheckOutcome {
  const attempt = entry.attempt!;
  const found = rows.filter((row) => provesWrite(attempt.proof, row));
  if (found.length > 0) {
    return {
      kind: 'logged',
      ids: found.map((r) => String(r.Id)),
      matched: attempt.matched.filter((m) => m.id !== ''),
      forget: [...(attempt.leadEmails ?? [])],
    };
  }
  // Unanswered, so Salesforce may still be carrying it out: only a check after the window is final.
  const windowEnds = attempt.at + Math.max(timing.commitWindowMs, timing.verifyDelayMs);
  if (!attempt.answered && now < windowEnds) return { kind: 'checkAgain', at: windowEnds };
  // The refusal taught how to write it differently (lib/logging/refusals.ts): the leads'
  // addresses now name what Salesforce said, so they are not forgotten.
  if (attempt.learned && entry.attempts + 1 < MAX_REMATCHES) return { kind: 'writeAgain', forget: [], countAttempt: true };
  const forget = [...(attempt.leadEmails ?? [])];
  const error = attempt.error;
  if (error && mayBeStale(error) && entry.attempts + 1 < MAX_REMATCHES) {
    const email = emailOf(entry);
    if (email) forget.push(...[...email.to, ...email.cc].map((a) => a.email));
    return { kind: 'writeAgain', forget, countAttempt: true };
  }
  if (error && RETRY_POLICY[error.kind as SalesforceError['kind']]?.retry === 'never') return { kind: 'failed', forget, error };
  return { kind: 'writeAgain', forget, countAttempt: false };
}

// ---------------------------------------------------------------------------------------------
// Taking back what was written for an email another tool had logged already

export type CompensationOutcome =
  /** Every record it wrote is gone (deleted now, or already): the entry is done, as not logged. */
  | { kind: 'removed' }
  /** Salesforce kept some: they stay listed on the entry, and the rep is told, with its reason. */
  | { kind: 'stays'; ids: string[]; error: SalesforceError };

/**
 * What compensation did for one entry, from the per-record answers: null for a record deleted,
 * an error for one Salesforce refused to delete. A record already gone counts as deleted.
 */
export function afterCompensation(entry: OutboxEntry, answers: ReadonlyMap<string, SalesforceError | null>): CompensationOutcome {
  const stays: string[] = [];
  let error: SalesforceError | null = null;
  for (const id of entry.compensate ?? []) {
    const answer = answers.get(id);
    if (answer === null || answer?.kind === 'notFound') continue;
    stays.push(id);
    error ??= answer ?? { kind: 'salesforceDown', message: 'Salesforce did not answer for this record' };
  }
  return error ? { kind: 'stays', ids: stays, error } : { kind: 'removed' };
}

// ---------------------------------------------------------------------------------------------
// A call that carried writes and failed as a whole

/**
 * Whether a write might have been carried out although no answer says so: no answer at all, or
 * one that is not Salesforce's own error (a proxy's page). Salesforce's own error answer, even
 * a 5xx, means it rolled the request back.
 */
export function ambiguous(error: SalesforceError): boolean {
  if (error.kind === 'offline') return true;
  if (error.kind !== 'salesforceDown' && error.kind !== 'rejected') return false;
  return error.errorCode === undefined || error.errorCode.startsWith('ERROR_HTTP_') || error.errorCode === 'UNKNOWN';
}

export type CallFailureOutcome =
  /** The records may exist: the attempts stay, to be checked before any new write. */
  | { kind: 'inDoubt' }
  /** Salesforce refused the whole call: check at once; several entries are then tried alone. */
  | { kind: 'refused'; solo: boolean; error: SalesforceError | null }
  /** Refused before anything was done (session, limit, access): nothing to check. */
  | { kind: 'notSent' };

export function afterCallFailure(error: SalesforceError, entriesInCall: number): CallFailureOutcome {
  if (ambiguous(error)) return { kind: 'inDoubt' };
  if (RETRY_POLICY[error.kind].retry === 'never') {
    return { kind: 'refused', solo: entriesInCall > 1, error: entriesInCall === 1 ? error : null };
  }
  return { kind: 'notSent' };
}
