/**
 * The outbox runner: takes what the mail capture queued (queue.ts) to Salesforce, once.
 *
 * A pass reads every waiting entry and sends ONE Composite call in the usual case: the lookups
 * for entries whose recipients are not known yet, the checks for entries whose last write went
 * unanswered, and the writes for entries that are ready. What one pass looked up is written by
 * the next, which waits a little (`rideAlongMs`) for other emails to share its call; a backlog
 * is written at once, in batches. Passes are started by new entries (after `settleMs`, so a
 * burst of sends shares a call) and by a timer or alarm for what is waiting.
 *
 * Exactly once: before a write, each entry durably records how its records can be found
 * (`attempt`). An entry with an attempt is never written again before Salesforce has been
 * asked whether those records exist, so a lost answer, a dropped connection or a killed
 * worker cannot double an email. Transient failures back off exponentially with jitter for
 * the whole outbox; refused records fail with Salesforce's reason and wait for the rep.
 */

import { domainOf } from '../address';
import type { ActivityRecord, CachedPerson, ExtensionDatabase, OutboxAttempt, OutboxEntry } from '../db';
import { type Capabilities, capabilitiesFrom, DESCRIBED_OBJECTS, type DescribeResult, loggingMode } from '../logging/capabilities';
import { browserTimeZone } from '../logging/dates';
import { type EmailPlan, emailOf, type Knowledge, type LoggingSettings, planEmail } from '../logging/email-job';
import {
  hasNeeds,
  isFresh,
  type LookupNeeds,
  lookupQueries,
  lookupSubrequest,
  mergeNeeds,
  noNeeds,
  queryRows,
  readLookups,
} from '../logging/lookups';
import { matchEmail, recipientsToMatch } from '../logging/matching';
import {
  addressAfterProbe,
  duplicateProbe,
  isOrgRuleRefusal,
  type Lesson,
  lessonFrom,
  ORG_RULE_RETRY_MS,
  orgRuleDetail,
} from '../logging/refusals';
import { emailMessagesByIdentifier, tasksBySubject } from '../logging/soql-lookups';
import type { MailAddress } from '../mail/types';
import type { SalesforceClient } from '../salesforce/client';
import { compositeCall, isHeavy, queryPath, type SubResult, type Subrequest } from '../salesforce/composite';
import { RETRY_POLICY, retryDelayMs, type SalesforceError, type SalesforceResult } from '../salesforce/errors';
import { soqlDateTime } from '../salesforce/soql';
import type { StoredSession } from '../salesforce/tokens';
import { planCall } from './call-job';
import {
  companyFromKnowledge,
  forgetAddresses,
  forgetCapabilities,
  type LoadedKnowledge,
  loadCapabilities,
  loadKnowledge,
  rememberNewLeads,
  storeAnswers,
  storeCapabilities,
} from './knowledge-store';
import { buildWriteBatch, packUnits, readWriteBatch, type WriteBatch } from './write-batch';
import type { WriteUnit } from './write-unit';

export interface RunnerTiming {
  /** After a new entry, wait this long so that sends in quick succession share one call. */
  settleMs: number;
  /** A freshly matched email waits up to this long (from when it was queued) for company. */
  rideAlongMs: number;
  /** After a write with no answer, let Salesforce finish before asking whether it committed. */
  verifyDelayMs: number;
  /**
   * A call with no answer by then counts as unanswered (offline). jsforce's browser transport
   * never settles a request whose fetch failed, so without a deadline one network error would
   * stall the outbox until the worker restarts.
   */
  callTimeoutMs: number;
}

export const PRODUCT_TIMING: RunnerTiming = { settleMs: 5_000, rideAlongMs: 120_000, verifyDelayMs: 60_000, callTimeoutMs: 120_000 };
/** For the end-to-end build: the same behaviour, quicker. */
export const QUICK_TIMING: RunnerTiming = { settleMs: 300, rideAlongMs: 1_500, verifyDelayMs: 1_000, callTimeoutMs: 8_000 };

/** At most this many entries per pass: a large backlog is worked through pass after pass. */
const MAX_ENTRIES_PER_PASS = 400;
/** A record gone between lookup and write is looked up again this many times before failing. */
const MAX_REMATCHES = 3;
/** nextAttemptAt of an entry that waits for the rep (failed, unresolved); the call queue uses the same. */
const HELD = Number.MAX_SAFE_INTEGER;
const NEVER = Number.POSITIVE_INFINITY;
const BACKOFF_KEY = 'outbox:backoff';

interface Backoff {
  until: number;
  attempts: number;
  kind: SalesforceError['kind'];
  message: string;
}

export interface RunnerDeps {
  db: ExtensionDatabase;
  client: Pick<SalesforceClient, 'request' | 'queryMore' | 'currentSession'>;
  settings: () => Promise<LoggingSettings>;
  now?: () => number;
  random?: () => number;
  timeZone?: () => string;
  /** "[…]" line appended where a body was cut, in the rep's language. */
  truncatedMarker?: () => string;
  timing?: Partial<RunnerTiming>;
  /** Asks to be woken at `when` (ms since epoch; null: nothing waits). The worker uses a timer and an alarm. */
  schedule?: (when: number | null) => void;
  /** Told after activity rows changed (badge, open Activity tab). */
  onChange?: () => void;
}

/** What the compose control shows: how many records an email would be logged to. */
export interface PreviewMatches {
  contacts: number;
  leads: number;
  /** Leads that would be created for unmatched addresses. */
  newLeads: number;
  /** Addresses that match nothing and would not be logged to (or wait for the rep). */
  unresolved: number;
}

const errorSummary = (e: SalesforceError) => ({
  kind: e.kind,
  message: e.message,
  ...(e.errorCode ? { errorCode: e.errorCode } : {}),
  ...(e.field ? { field: e.field } : {}),
});

/**
 * A refusal that a fresh lookup may cure: a record gone since it was cached, or a refusal
 * Salesforce did not explain (only that the rest was halted).
 */
const mayBeStale = (error: { kind: string; errorCode?: string }) => error.kind === 'notFound' || error.errorCode === 'PROCESSING_HALTED';

/**
 * Whether a write might have been carried out although no answer says so: no answer at all, or
 * one that is not Salesforce's own error (a proxy's page). Salesforce's own error answer, even
 * a 5xx, means it rolled the request back.
 */
function ambiguous(error: SalesforceError): boolean {
  if (error.kind === 'offline') return true;
  if (error.kind !== 'salesforceDown' && error.kind !== 'rejected') return false;
  return error.errorCode === undefined || error.errorCode.startsWith('ERROR_HTTP_') || error.errorCode === 'UNKNOWN';
}

export function createOutboxRunner(deps: RunnerDeps) {
  const { db, client } = deps;
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const timing: RunnerTiming = { ...PRODUCT_TIMING, ...deps.timing };
  const timeZone = deps.timeZone ?? browserTimeZone;
  const marker = deps.truncatedMarker ?? (() => '[…] (cut to fit Salesforce)');
  let running: Promise<void> | null = null;
  let again = false;
  let abandoned = false;
  let wakeAt: number | null = null;
  let calls = 0;

  const changed = () => deps.onChange?.();

  function wake(when: number | null) {
    wakeAt = when;
    deps.schedule?.(when);
  }

  async function setActivity(key: string, patch: Partial<ActivityRecord>) {
    await db.activities.update(key, { ...patch, updatedAt: now() });
  }

  // -------------------------------------------------------------------------------------------
  // Calls

  async function call(subrequests: Subrequest[], allOrNone: boolean, purpose: 'match' | 'log') {
    calls++;
    return withDeadline(compositeCall(client, purpose, subrequests, { allOrNone }));
  }

  /** The answer, or "unanswered" once the deadline passed (the call may still reach Salesforce). */
  function withDeadline<T>(pending: Promise<SalesforceResult<T>>): Promise<SalesforceResult<T>> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<SalesforceResult<T>>((resolve) => {
      timer = setTimeout(
        () =>
          resolve({ ok: false, error: { kind: 'offline', message: `no answer from Salesforce within ${timing.callTimeoutMs / 1000} s` } }),
        timing.callTimeoutMs,
      );
    });
    return Promise.race([pending, late]).finally(() => clearTimeout(timer));
  }

  async function readBackoff(): Promise<Backoff | null> {
    return ((await db.values.get(BACKOFF_KEY))?.value as Backoff | undefined) ?? null;
  }

  /** After a call failed: when to try again, for the whole outbox. Null: wait for the rep to reconnect. */
  async function backOff(error: SalesforceError): Promise<number | null> {
    const previous = await readBackoff();
    const attempts = (previous?.attempts ?? 0) + 1;
    let delay = retryDelayMs(error, attempts, now(), random());
    // A refreshed session that still fails is not retried at once again and again.
    if (delay === 0 && attempts > 1) delay = Math.min(5_000 * 2 ** (attempts - 2), 300_000);
    if (delay === null) {
      await db.values.put({
        key: BACKOFF_KEY,
        value: { until: NEVER, attempts, kind: error.kind, message: error.message } satisfies Backoff,
      });
      return null;
    }
    const until = now() + delay;
    await db.values.put({ key: BACKOFF_KEY, value: { until, attempts, kind: error.kind, message: error.message } satisfies Backoff });
    return until;
  }

  async function clearBackoff() {
    await db.values.delete(BACKOFF_KEY);
  }

  async function capabilities(session: StoredSession): Promise<{ ok: true; value: Capabilities } | { ok: false; error: SalesforceError }> {
    const known = await loadCapabilities(db, session.orgId, session.userId, now());
    if (known) return { ok: true, value: known };
    const answer = await call(
      DESCRIBED_OBJECTS.map((name) => ({ method: 'GET', path: `/sobjects/${name}/describe`, referenceId: `describe${name}` })),
      false,
      'log',
    );
    if (!answer.ok) return answer;
    const describes: Partial<Record<(typeof DESCRIBED_OBJECTS)[number], DescribeResult>> = {};
    DESCRIBED_OBJECTS.forEach((name, i) => {
      const result = answer.value[i];
      if (result?.ok) describes[name] = result.body as DescribeResult;
    });
    if (!describes.Task) {
      const failure = answer.value[0];
      return { ok: false, error: failure && !failure.ok ? failure.error : { kind: 'noPermission', message: 'Task cannot be described' } };
    }
    const value = capabilitiesFrom(describes);
    await storeCapabilities(db, session.orgId, session.userId, value, now());
    return { ok: true, value };
  }

  // -------------------------------------------------------------------------------------------
  // Outcomes

  async function finishLogged(entry: OutboxEntry, ids: string[], matched: ActivityRecord['matched'], extra: Partial<ActivityRecord> = {}) {
    await db.transaction('rw', db.outbox, db.activities, async () => {
      await db.outbox.delete(entry.key);
      await setActivity(entry.key, { state: 'logged', loggedIds: ids, matched, reason: undefined, detail: undefined, ...extra });
    });
  }

  async function finishFailed(entry: OutboxEntry, error: { kind: string; message: string; errorCode?: string; field?: string }) {
    // A rule of the org refused it: tried again now and then, so it logs once the admin changes the rule.
    const orgRule = isOrgRuleRefusal(error);
    await db.transaction('rw', db.outbox, db.activities, async () => {
      await db.outbox.update(entry.key, {
        nextAttemptAt: orgRule ? now() + ORG_RULE_RETRY_MS : HELD,
        attempt: undefined,
        attempts: entry.attempts + 1,
      });
      await setActivity(entry.key, {
        state: 'failed',
        reason: orgRule ? 'orgRule' : error.kind,
        detail: orgRule
          ? orgRuleDetail(error)
          : error.errorCode && !error.message.includes(error.errorCode)
            ? `${error.errorCode}: ${error.message}`
            : error.message,
      });
    });
  }

  async function finishUnresolved(entry: OutboxEntry, unmatched: string[], duplicates?: ActivityRecord['duplicates']) {
    await db.transaction('rw', db.outbox, db.activities, async () => {
      await db.outbox.update(entry.key, { nextAttemptAt: HELD });
      await setActivity(entry.key, { state: 'unresolved', unmatched, duplicates, reason: undefined, detail: undefined });
    });
  }

  async function finishSkipped(entry: OutboxEntry, reason: string) {
    await db.transaction('rw', db.outbox, db.activities, async () => {
      await db.outbox.delete(entry.key);
      await setActivity(entry.key, { state: 'skipped', reason, detail: undefined });
    });
  }

  // -------------------------------------------------------------------------------------------
  // Checking what an unanswered write left behind

  interface Verification {
    entries: OutboxEntry[];
    subrequests: Subrequest[];
  }

  function verificationFor(entries: OutboxEntry[], session: StoredSession): Verification {
    const subjects: string[] = [];
    const identifiers: string[] = [];
    let since = NEVER;
    for (const e of entries) {
      const proof = e.attempt!.proof;
      if (proof.type === 'Task') subjects.push(proof.subject);
      else identifiers.push(proof.identifier);
      since = Math.min(since, e.attempt!.at);
    }
    const soql = [
      // A day's margin: the org's clock and this browser's may disagree.
      ...(subjects.length > 0 ? tasksBySubject(subjects, session.userId, soqlDateTime(since - 86_400_000)) : []),
      ...(identifiers.length > 0 ? emailMessagesByIdentifier(identifiers, session.userId) : []),
    ];
    return { entries, subrequests: soql.map((q, i) => ({ method: 'GET', path: queryPath(q), referenceId: `verify${i}` })) };
  }

  async function applyVerification(v: Verification, results: SubResult[]): Promise<boolean> {
    const rows: Array<Record<string, unknown>> = [];
    for (const r of results) {
      const page = queryRows(r);
      if (!page) return false;
      rows.push(...page.rows);
    }
    for (const entry of v.entries) {
      const attempt = entry.attempt!;
      const proof = attempt.proof;
      const found = rows.filter((row) =>
        proof.type === 'Task'
          ? row.Subject === proof.subject &&
            (proof.marker !== undefined
              ? typeof row.Description === 'string' && row.Description.includes(proof.marker)
              : proof.whoId !== undefined && row.WhoId === proof.whoId)
          : row.MessageIdentifier === proof.identifier,
      );
      if (found.length > 0) {
        await finishLogged(
          entry,
          found.map((r) => String(r.Id)),
          attempt.matched.filter((m) => m.id !== ''),
        );
        continue;
      }
      // Nothing was written: apply the refusal Salesforce gave, or make the entry ready again.
      const error = attempt.error;
      if (attempt.learned && entry.attempts + 1 < MAX_REMATCHES) {
        // Written differently next time (a duplicate lead's record, no From relation).
        await db.outbox.update(entry.key, { attempt: undefined, attempts: entry.attempts + 1, nextAttemptAt: now() });
        continue;
      }
      if (attempt.leadEmails?.length) await forgetAddresses(db, attempt.leadEmails);
      if (error && mayBeStale(error) && entry.attempts + 1 < MAX_REMATCHES) {
        const email = emailOf(entry);
        if (email)
          await forgetAddresses(
            db,
            [...email.to, ...email.cc].map((a) => a.email),
          );
        await db.outbox.update(entry.key, { attempt: undefined, attempts: entry.attempts + 1, nextAttemptAt: now() });
      } else if (error && RETRY_POLICY[error.kind as SalesforceError['kind']]?.retry === 'never') {
        await finishFailed(entry, error);
      } else {
        await db.outbox.update(entry.key, { attempt: undefined, nextAttemptAt: now() });
      }
    }
    return true;
  }

  // -------------------------------------------------------------------------------------------
  // A pass

  interface Ready {
    entry: OutboxEntry;
    unit: WriteUnit;
    matched: ActivityRecord['matched'];
    unmatched: string[];
    duplicates?: ActivityRecord['duplicates'];
  }

  /** Stores what a refused record teaches (lib/logging/refusals.ts); false when nothing could be learned. */
  async function learn(lesson: Lesson, session: StoredSession): Promise<boolean> {
    if (lesson.kind === 'noFromRelation') {
      const known = await loadCapabilities(db, session.orgId, session.userId, now());
      if (!known) return false;
      await storeCapabilities(db, session.orgId, session.userId, { ...known, fromRelation: false }, now());
      return true;
    }
    const answer = await call([duplicateProbe(lesson.lead)], false, 'log');
    const result = answer.ok ? (answer.value[0] ?? null) : null;
    await db.addressCache.put(addressAfterProbe(lesson.email, lesson.lead, result, now()));
    return true;
  }

  async function markAttempts(ready: readonly Ready[], batch: WriteBatch) {
    const at = now();
    await db.transaction('rw', db.outbox, db.activities, async () => {
      for (const r of ready) {
        if (!batch.slots.has(r.entry.key)) continue;
        const attempt: OutboxAttempt = {
          at,
          proof: r.unit.proof,
          matched: r.matched,
          ...(r.unit.leads.length > 0 ? { leadEmails: r.unit.leads.map((l) => String(l.Email)) } : {}),
        };
        r.entry.attempt = attempt;
        await db.outbox.update(r.entry.key, { attempt });
        await setActivity(r.entry.key, { state: 'logging', reason: undefined, detail: undefined });
      }
    });
  }

  async function applyBatch(
    ready: readonly Ready[],
    batch: WriteBatch,
    results: SubResult[],
    offset: number,
    notes: string[],
    session: StoredSession,
  ) {
    const outcome = readWriteBatch(batch, results, offset);
    const inBatch = ready.filter((r) => batch.slots.has(r.entry.key));
    if (!outcome.committed) {
      const culprit = outcome.culprit;
      const unit = culprit && inBatch.find((r) => r.entry.key === culprit.key)?.unit;
      const lesson = culprit && unit ? lessonFrom(unit, culprit) : null;
      const learned = lesson ? await learn(lesson, session) : false;
      // Salesforce answered: nothing should have stayed, but that is checked before another try.
      await db.transaction('rw', db.outbox, async () => {
        for (const r of inBatch) {
          const attempt: OutboxAttempt = { ...r.entry.attempt!, answered: true };
          if (outcome.culprit?.key === r.entry.key) {
            attempt.error = errorSummary(outcome.culprit.error);
            if (learned) attempt.learned = true;
          } else if (!outcome.culprit && inBatch.length === 1) attempt.error = errorSummary(outcome.error);
          await db.outbox.update(r.entry.key, { attempt, ...(!outcome.culprit && inBatch.length > 1 ? { solo: true } : {}) });
        }
      });
      return 0;
    }
    let logged = 0;
    for (const r of inBatch) {
      const ids = outcome.ids.get(r.entry.key)!;
      const newLeads = r.unit.leads.map((fields, i) => ({
        email: String(fields.Email),
        record: {
          id: ids.leads[i] ?? '',
          type: 'Lead' as const,
          name: [fields.FirstName, fields.LastName].filter(Boolean).join(' '),
          email: String(fields.Email),
        } satisfies CachedPerson,
      }));
      await rememberNewLeads(
        db,
        newLeads.filter((l) => l.record.id !== ''),
        now(),
      );
      let leadIndex = 0;
      const matched = r.matched.map((m) => (m.id === '' ? { ...m, id: ids.leads[leadIndex++] ?? '' } : m));
      if (outcome.duplicates.has(r.entry.key)) {
        // Another tool logged this email before us: ours goes, theirs stays.
        await db.transaction('rw', db.outbox, db.activities, async () => {
          await db.outbox.update(r.entry.key, { attempt: undefined, compensate: ids.activities, nextAttemptAt: now() });
          await setActivity(r.entry.key, { matched });
        });
        continue;
      }
      await finishLogged(r.entry, ids.activities, matched, {
        ...(notes.length > 0 ? { notes } : { notes: undefined }),
        ...(r.unmatched.length > 0 ? { unmatched: r.unmatched } : { unmatched: undefined }),
        duplicates: r.duplicates,
      });
      logged++;
    }
    return logged;
  }

  /** Deletes the records of emails another tool had logged already. */
  async function compensate(entries: OutboxEntry[]): Promise<SalesforceError | null> {
    const ids = entries.flatMap((e) => e.compensate ?? []);
    if (ids.length > 0) {
      const answer = await call(
        [{ method: 'DELETE', path: `/composite/sobjects?ids=${ids.slice(0, 200).join(',')}&allOrNone=false`, referenceId: 'undo' }],
        false,
        'log',
      );
      if (!answer.ok) return answer.error;
    }
    for (const entry of entries) await finishSkipped(entry, 'alreadyInSalesforce');
    return null;
  }

  async function pass(): Promise<{ again: boolean }> {
    const startedAt = now();
    const backoff = await readBackoff();
    if (backoff && backoff.until > startedAt) {
      wake(Number.isFinite(backoff.until) ? backoff.until : null);
      return { again: false };
    }
    const all = (await db.outbox.where('nextAttemptAt').below(HELD).toArray())
      .sort((a, b) => a.createdAt - b.createdAt)
      .slice(0, MAX_ENTRIES_PER_PASS);
    if (all.length === 0) {
      wake(null);
      return { again: false };
    }
    const session = await client.currentSession();
    if (!session) {
      // Nothing is dropped: the entries wait for the rep to connect (the connection wakes the runner).
      wake(null);
      return { again: false };
    }
    const caps = await capabilities(session);
    if (abandoned) return { again: false };
    if (!caps.ok) {
      // A refused describe cannot be fixed by the rep here: wait as for an unavailable Salesforce.
      const error = RETRY_POLICY[caps.error.kind].retry === 'never' ? { ...caps.error, kind: 'salesforceDown' as const } : caps.error;
      return afterCallFailure(error, []);
    }
    const settings = await deps.settings();
    const mode = loggingMode(settings.logAs, caps.value);
    const notes = mode.notes.map(String);

    const toCompensate = all.filter((e) => e.compensate);
    if (toCompensate.length > 0) {
      const failure = await compensate(toCompensate);
      if (failure) return afterCallFailure(failure, []);
      changed();
    }

    const rest = all.filter((e) => !e.compensate);
    const verifyNow = rest.filter((e) => e.attempt && (e.attempt.answered || startedAt >= e.attempt.at + timing.verifyDelayMs));
    const candidates = rest.filter((e) => !e.attempt);

    // Everything the candidates' plans read, loaded in one go.
    const emails = new Set<string>();
    const domains = new Set<string>();
    for (const e of candidates) {
      const email = emailOf(e);
      if (!email) continue;
      for (const r of recipientsToMatch(email.to, email.cc, email.mailbox, settings.internalDomains)) {
        emails.add(r.email);
        domains.add(domainOf(r.email));
      }
      for (const a of e.assigned ?? []) if (a.email) emails.add(a.email);
    }
    const loaded = await loadKnowledge(db, emails, domains);
    const knowledge = knowledgeFor(loaded, settings, caps.value, mode, session, startedAt);

    const needs = noNeeds();
    const lookingUp: OutboxEntry[] = [];
    const ready: Ready[] = [];
    for (const entry of candidates) {
      if (entry.kind === 'call') {
        const plan = planCall(entry, caps.value);
        if (plan.kind === 'write') ready.push({ entry, unit: plan.unit, matched: plan.matched, unmatched: [] });
        else await finishFailed(entry, { kind: 'rejected', message: 'the queued call is malformed' });
        continue;
      }
      const email = emailOf(entry);
      if (!email) {
        await finishFailed(entry, { kind: 'rejected', message: 'the queued email is malformed' });
        continue;
      }
      const plan: EmailPlan = planEmail(entry, email, knowledge);
      if (plan.kind === 'lookup') {
        mergeNeeds(needs, plan.needs);
        lookingUp.push(entry);
      } else if (plan.kind === 'write') {
        ready.push({ entry, unit: plan.unit, matched: plan.matched, unmatched: plan.unmatched, duplicates: plan.duplicates });
      } else if (plan.kind === 'unresolved') {
        await finishUnresolved(entry, plan.unmatched, plan.duplicates);
      } else {
        await finishSkipped(entry, plan.reason);
      }
    }

    // One call in the usual case: lookups and checks first, then as many writes as fit.
    const queries = hasNeeds(needs) ? lookupQueries(needs, settings, caps.value) : [];
    const verification = verifyNow.length > 0 ? verificationFor(verifyNow, session) : null;
    const leading: Subrequest[] = [...queries.map(lookupSubrequest), ...(verification?.subrequests ?? [])];
    const firstCall = leading.slice(0, 5);
    const laterLeading = leading.slice(5);
    const solo = new Set(ready.filter((r) => r.entry.solo).map((r) => r.entry.key));
    const { batches, tooLarge } = packUnits(
      ready.map((r) => r.unit),
      { reservedFirst: firstCall.filter(isHeavy).length, solo },
    );
    for (const unit of tooLarge) {
      const r = ready.find((x) => x.unit.key === unit.key)!;
      await finishFailed(r.entry, { kind: 'validation', message: 'too many records for one email', errorCode: 'TOO_MANY_RECIPIENTS' });
    }
    const writeBatches = batches.map((units) =>
      buildWriteBatch(units, { allowDuplicateLeads: settings.duplicateLeads === 'createAnyway' }),
    );
    if (lookingUp.length > 0) {
      await db.transaction('rw', db.activities, async () => {
        for (const e of lookingUp) await setActivity(e.key, { state: 'matching', reason: undefined, detail: undefined });
      });
    }

    let logged = 0;
    const lookupResults: Array<SubResult | undefined> = [];
    const calls: Array<{ leading: Subrequest[]; batch: WriteBatch | null }> = [];
    calls.push({ leading: firstCall, batch: writeBatches[0] ?? null });
    for (let i = 0; i < laterLeading.length; i += 5) calls.push({ leading: laterLeading.slice(i, i + 5), batch: null });
    for (const batch of writeBatches.slice(1)) calls.push({ leading: [], batch });

    for (const planned of calls) {
      if (planned.leading.length === 0 && !planned.batch) continue;
      if (planned.batch) await markAttempts(ready, planned.batch);
      const subrequests = [...planned.leading, ...(planned.batch?.subrequests ?? [])];
      const answer = await call(subrequests, planned.batch !== null, planned.batch ? 'log' : 'match');
      if (abandoned) return { again: false };
      if (!answer.ok) {
        const inBatch = planned.batch ? ready.filter((r) => planned.batch!.slots.has(r.entry.key)) : [];
        return afterCallFailure(
          answer.error,
          inBatch.map((r) => r.entry),
        );
      }
      lookupResults.push(...answer.value.slice(0, planned.leading.length));
      if (planned.batch) logged += await applyBatch(ready, planned.batch, answer.value, planned.leading.length, notes, session);
    }
    await clearBackoff();

    // What the lookups and checks answered.
    const lookupAnswers = lookupResults.slice(0, queries.length);
    const verifyAnswers = lookupResults.slice(queries.length);
    if (queries.length > 0) {
      const extra = await morePages(lookupAnswers);
      const answers = readLookups(queries, lookupAnswers, needs, now(), extra);
      await storeAnswers(db, loaded, answers, now());
      const rideUntil = (e: OutboxEntry) => Math.max(now(), e.createdAt + timing.rideAlongMs);
      await db.transaction('rw', db.outbox, db.activities, async () => {
        for (const e of lookingUp) {
          await db.outbox.update(e.key, { nextAttemptAt: rideUntil(e) });
          await setActivity(e.key, { state: 'queued' });
        }
      });
    }
    if (verification) {
      const ok = await applyVerification(verification, verifyAnswers as SubResult[]);
      if (!ok) return afterCallFailure({ kind: 'salesforceDown', message: 'a check of an earlier write failed' }, []);
    }
    if (logged > 0 || lookingUp.length > 0 || verification || ready.length > 0) changed();

    // Another pass at once when something became ready that need not wait.
    const next = await nextDue();
    if (next !== null && next <= now()) return { again: true };
    wake(next);
    return { again: false };
  }

  /** Further pages of lookup answers (a query page holds up to 2,000 rows). */
  async function morePages(results: ReadonlyArray<SubResult | undefined>) {
    const extra = new Map<number, Array<Record<string, unknown>>>();
    for (const [index, result] of results.entries()) {
      let next = result ? queryRows(result)?.nextRecordsUrl : undefined;
      while (next) {
        calls++;
        const page = await withDeadline(client.queryMore(next, 'match'));
        if (!page.ok) break;
        extra.set(index, [...(extra.get(index) ?? []), ...(page.value.records as Array<Record<string, unknown>>)]);
        next = page.value.done ? undefined : page.value.nextRecordsUrl;
      }
    }
    return extra;
  }

  async function afterCallFailure(error: SalesforceError, written: OutboxEntry[]): Promise<{ again: boolean }> {
    if (written.length > 0) {
      if (ambiguous(error)) {
        // The attempts stay: the records may exist; they are looked for before any new write.
      } else if (RETRY_POLICY[error.kind].retry === 'never') {
        // Salesforce refused the whole call: try each email alone, and fail the one that is refused alone.
        await db.transaction('rw', db.outbox, async () => {
          for (const e of written) {
            const attempt: OutboxAttempt = {
              ...e.attempt!,
              answered: true,
              ...(written.length === 1 ? { error: errorSummary(error) } : {}),
            };
            await db.outbox.update(e.key, { attempt, ...(written.length > 1 ? { solo: true } : {}) });
          }
        });
        if (error.kind === 'validation' && /INVALID_FIELD|INVALID_TYPE/.test(error.errorCode ?? '')) await forgetCapabilities(db);
        changed();
        return { again: true };
      } else {
        // Refused before anything was done (session, limit, access): nothing to check.
        await db.transaction('rw', db.outbox, async () => {
          for (const e of written) await db.outbox.update(e.key, { attempt: undefined });
        });
      }
    }
    const until = await backOff(error);
    await showWaiting(error);
    changed();
    // Not before an unanswered write may be checked.
    const due = until === null ? null : await nextDue();
    wake(until === null ? null : Math.max(until, due ?? until));
    return { again: false };
  }

  /** Every email still waiting shows why (offline, Salesforce down, reconnect needed) until it goes. */
  async function showWaiting(error: SalesforceError) {
    const entries = await db.outbox.where('nextAttemptAt').below(HELD).toArray();
    await db.transaction('rw', db.activities, async () => {
      for (const entry of entries) {
        const activity = await db.activities.get(entry.key);
        if (!activity) continue;
        // "Logging" only while a write may have reached Salesforce; otherwise it waits.
        const state = activity.state === 'logging' && entry.attempt ? 'logging' : activity.state === 'skipped' ? 'skipped' : 'queued';
        await setActivity(entry.key, { state, reason: error.kind, detail: error.message });
      }
    });
  }

  async function nextDue(): Promise<number | null> {
    const first = await db.outbox.where('nextAttemptAt').below(HELD).first();
    if (!first) return null;
    const entries = await db.outbox.where('nextAttemptAt').below(HELD).toArray();
    let next = NEVER;
    for (const e of entries) {
      const at = e.attempt && !e.attempt.answered ? Math.max(e.nextAttemptAt, e.attempt.at + timing.verifyDelayMs) : e.nextAttemptAt;
      next = Math.min(next, at);
    }
    return Number.isFinite(next) ? next : null;
  }

  function knowledgeFor(
    loaded: LoadedKnowledge,
    settings: LoggingSettings,
    caps: Capabilities,
    mode: ReturnType<typeof loggingMode>,
    session: StoredSession,
    at: number,
  ): Knowledge {
    return {
      now: at,
      settings,
      capabilities: caps,
      mode,
      userId: session.userId,
      timeZone: timeZone(),
      truncatedMarker: marker(),
      address: (email) => loaded.addresses.get(email.toLowerCase()),
      company: (domain) => companyFromKnowledge(loaded, domain, at),
    };
  }

  const previewLookups = new Map<string, Promise<void>>();

  async function previewWork(recipients: readonly MailAddress[], mailbox: string | null): Promise<PreviewMatches | null> {
    const session = await client.currentSession();
    if (!session) return null;
    const settings = await deps.settings();
    const list = recipientsToMatch(recipients, [], mailbox ?? '', settings.internalDomains);
    if (list.length === 0) return { contacts: 0, leads: 0, newLeads: 0, unresolved: 0 };
    const caps = await capabilities(session);
    if (!caps.ok) return null;
    const at = now();
    const loaded = await loadKnowledge(
      db,
      list.map((r) => r.email),
      list.map((r) => domainOf(r.email)),
    );
    const stale = list.filter((r) => !isFresh(loaded.addresses.get(r.email), at)).map((r) => r.email);
    if (stale.length > 0) {
      const key = [...stale].sort().join(',');
      let pending = previewLookups.get(key);
      if (!pending) {
        pending = lookUpAddresses(stale, settings, caps.value, loaded).finally(() => previewLookups.delete(key));
        previewLookups.set(key, pending);
      }
      await pending;
      const again = await loadKnowledge(
        db,
        list.map((r) => r.email),
        [],
      );
      for (const [email, entry] of again.addresses) loaded.addresses.set(email, entry);
    }
    const match = matchEmail(list, (email) => loaded.addresses.get(email)?.records ?? [], settings);
    const people = match.kind === 'log' ? match.people : [];
    return {
      contacts: people.filter((p) => p.type === 'Contact').length,
      leads: people.filter((p) => p.type === 'Lead').length,
      newLeads: match.kind === 'log' ? match.newLeads.length : 0,
      unresolved: match.recipients.filter((r) => r.outcome.kind === 'unresolved' || r.outcome.kind === 'notLogged').length,
    };
  }

  /** Looks addresses up in calls of their own (the compose preview; not part of a pass). */
  async function lookUpAddresses(emails: string[], settings: LoggingSettings, caps: Capabilities, loaded: LoadedKnowledge): Promise<void> {
    const needs = { ...noNeeds(), emails: new Set(emails) };
    const queries = lookupQueries(needs, settings, caps);
    const results: Array<SubResult | undefined> = [];
    for (let i = 0; i < queries.length; i += 5) {
      const part = queries.slice(i, i + 5);
      const answer = await call(
        part.map((q, j) => lookupSubrequest(q, i + j)),
        false,
        'match',
      );
      if (!answer.ok) return;
      results.push(...answer.value);
    }
    const answers = readLookups(queries, results, needs, now(), await morePages(results));
    await storeAnswers(db, loaded, answers, now());
  }

  async function runPasses() {
    do {
      again = false;
      const result = await pass();
      if (abandoned) return;
      if (result.again) again = true;
    } while (again);
  }

  return {
    /** Runs passes until nothing is due now; concurrent calls share the run in progress. */
    run(): Promise<void> {
      if (abandoned) return Promise.resolve();
      if (running) {
        again = true;
        return running;
      }
      running = runPasses().finally(() => {
        running = null;
      });
      return running;
    },

    /** A new entry was queued: run after the settle time, unless a run is due sooner. */
    queued(): void {
      const at = now() + timing.settleMs;
      if (wakeAt === null || at < wakeAt) wake(at);
    },

    /** The rep asked (Retry), the network came back, or the connection changed: run at once. */
    async resume(): Promise<void> {
      await clearBackoff();
      await this.run();
    },

    /** When the runner wants to run next (ms since epoch), or null. */
    nextWakeAt: () => wakeAt,
    /** Composite and query calls made by this runner (for benchmarks). */
    callCount: () => calls,
    backoff: readBackoff,

    /** Reads what the org supports now (once a day otherwise): the describe call, ahead of any logging. */
    async prepare(): Promise<boolean> {
      const session = await client.currentSession();
      return session !== null && (await capabilities(session)).ok;
    },

    /** Stops using the database and waits for the call in flight: what a killed worker leaves behind. */
    async abandon(): Promise<void> {
      abandoned = true;
      await running?.catch(() => undefined);
    },

    /**
     * Who an email being written would be logged to, for the compose control: from the cache,
     * and from Salesforce for addresses it does not know (then cached for the send). Null when
     * it cannot be told in time; the lookup still finishes and fills the cache.
     */
    async previewMatches(recipients: readonly MailAddress[], mailbox: string | null, budgetMs = 2_500): Promise<PreviewMatches | null> {
      const work = previewWork(recipients, mailbox);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), budgetMs);
      });
      try {
        return await Promise.race([work, late]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

export type OutboxRunner = ReturnType<typeof createOutboxRunner>;
export type { LookupNeeds };
