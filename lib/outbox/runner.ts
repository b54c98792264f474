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
import { type Capabilities, loggingMode } from '../logging/capabilities';
import { browserTimeZone } from '../logging/dates';
import { emailOf, type Knowledge, type LoggingSettings, participantsOf } from '../logging/email-job';
import { hasNeeds, lookupQueries, lookupSubrequest, mergeNeeds, noNeeds, queryRows, readLookups } from '../logging/lookups';
import {
  addressAfterProbe,
  duplicateProbe,
  isOrgRuleRefusal,
  type Lesson,
  lessonFrom,
  ORG_RULE_RETRY_MS,
  orgRuleDetail,
} from '../logging/refusals';
import type { MailAddress } from '../mail/types';
import { COLLECTION_SIZE, deleteCollections, readSaveResults, saveResultError } from '../salesforce/collections';
import { COMPOSITE_LIMITS, isHeavy, type SubResult, type Subrequest } from '../salesforce/composite';
import { RETRY_POLICY, retryDelayMs, type SalesforceError } from '../salesforce/errors';
import type { StoredSession } from '../salesforce/tokens';
import {
  bindCacheTo,
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
import { createMatchPreview, type PreviewMatches } from './match-preview';
import { createOrgCalls, type OutboxClient } from './org-calls';
import {
  afterCheck,
  afterCompensation,
  attemptFor,
  belongsTo,
  checkQueries,
  afterCallFailure as decideAfterCallFailure,
  excludedNow,
  HELD,
  nextDueAt,
  type OutboxTiming,
  ownerOf,
  planEntry,
  type WriteSettings,
  workOf,
} from './plan';
import { buildWriteBatch, packUnits, readWriteBatch, type WriteBatch } from './write-batch';
import type { WriteUnit } from './write-unit';

export type { PreviewMatches };
export type RunnerTiming = OutboxTiming;

/**
 * Salesforce ends any transaction after 10 minutes (its Apex governor limit, which a REST
 * write's triggers and flows run under); a minute more for the browser's timers.
 */
export const SALESFORCE_COMMIT_WINDOW_MS = 11 * 60_000;
export const PRODUCT_TIMING: RunnerTiming = {
  settleMs: 5_000,
  rideAlongMs: 120_000,
  verifyDelayMs: 60_000,
  commitWindowMs: SALESFORCE_COMMIT_WINDOW_MS,
};
/** For the end-to-end build: the same behaviour, quicker (the emulator commits at once or not at all). */
export const QUICK_TIMING: RunnerTiming = { settleMs: 300, rideAlongMs: 1_500, verifyDelayMs: 1_000, commitWindowMs: 10_000 };

/** At most this many entries per pass: a large backlog is worked through pass after pass. */
const MAX_ENTRIES_PER_PASS = 400;
const NEVER = Number.POSITIVE_INFINITY;

const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};
const BACKOFF_KEY = 'outbox:backoff';

interface Backoff {
  until: number;
  attempts: number;
  kind: SalesforceError['kind'];
  message: string;
}

export interface RunnerDeps {
  db: ExtensionDatabase;
  client: OutboxClient;
  /** The settings as they apply now (rep's choice and admin policy merged); read again before each write. */
  settings: () => Promise<LoggingSettings & WriteSettings>;
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

const errorSummary = (e: SalesforceError) => ({
  kind: e.kind,
  message: e.message,
  ...(e.errorCode ? { errorCode: e.errorCode } : {}),
  ...(e.field ? { field: e.field } : {}),
});

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

  const changed = () => deps.onChange?.();
  /** The session of the pass in progress (or the last one): whose entries are worked on. */
  let connectedAs: StoredSession | null = null;

  function wake(when: number | null) {
    wakeAt = when;
    deps.schedule?.(when);
  }

  async function setActivity(key: string, patch: Partial<ActivityRecord>) {
    await db.activities.update(key, { ...patch, updatedAt: now() });
  }

  const org = createOrgCalls(db, client, now);
  const { call, morePages, capabilities } = org;
  const preview = createMatchPreview({ db, org, settings: deps.settings, now });

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

  /** Applies what the check found for each entry (plan.ts decides); false when a check failed. */
  async function applyVerification(v: Verification, results: SubResult[]): Promise<boolean> {
    const rows: Array<Record<string, unknown>> = [];
    for (const r of results) {
      const page = queryRows(r);
      if (!page) return false;
      rows.push(...page.rows);
    }
    for (const entry of v.entries) {
      const outcome = afterCheck(entry, rows, now(), timing);
      if (outcome.kind === 'logged') {
        // Leads the write made exist now: the cache must stop saying "no match" for their addresses.
        await forgetAddresses(db, outcome.forget);
        await finishLogged(entry, outcome.ids, outcome.matched);
        continue;
      }
      if (outcome.kind === 'checkAgain') {
        await db.outbox.update(entry.key, { attempt: { ...entry.attempt!, checkAfter: outcome.at } });
        continue;
      }
      await forgetAddresses(db, outcome.forget);
      if (outcome.kind === 'failed') await finishFailed(entry, outcome.error);
      else
        await db.outbox.update(entry.key, {
          attempt: undefined,
          nextAttemptAt: now(),
          ...(outcome.countAttempt ? { attempts: entry.attempts + 1 } : {}),
        });
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
        const attempt = attemptFor(r.unit, r.matched, at);
        r.entry.attempt = attempt;
        await db.outbox.update(r.entry.key, { attempt });
        await setActivity(r.entry.key, { state: 'logging', reason: undefined, detail: undefined });
      }
    });
  }

  /**
   * The batch without the emails the settings exclude now (read again just before the write):
   * those are not logged, and their rows say why.
   */
  async function withoutExcluded(ready: readonly Ready[], batch: WriteBatch): Promise<WriteBatch | null> {
    const settings = await deps.settings();
    const keep: WriteUnit[] = [];
    for (const unit of batch.units) {
      const r = ready.find((x) => x.unit.key === unit.key)!;
      const reason = excludedNow(r.entry, settings);
      if (reason) await finishSkipped(r.entry, reason);
      else keep.push(unit);
    }
    if (keep.length === batch.units.length) return batch;
    return keep.length > 0 ? buildWriteBatch(keep, { allowDuplicateLeads: settings.duplicateLeads === 'createAnyway' }) : null;
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
      let leadIndex = 0;
      const matched = r.matched.map((m) => (m.id === '' ? { ...m, id: ids.leads[leadIndex++] ?? '' } : m));
      if (outcome.duplicates.has(r.entry.key)) {
        // Another tool logged this email before us: ours goes, theirs stays, and so do the leads
        // made for it. Activities first: deleting a lead would take its activities along.
        const compensate = [...ids.activities, ...ids.leads].filter((id) => id !== '');
        await forgetAddresses(
          db,
          newLeads.map((l) => l.email),
        );
        await db.transaction('rw', db.outbox, db.activities, async () => {
          await db.outbox.update(r.entry.key, { attempt: undefined, compensate, nextAttemptAt: now() });
          await setActivity(r.entry.key, { matched });
        });
        continue;
      }
      await rememberNewLeads(
        db,
        newLeads.filter((l) => l.record.id !== ''),
        now(),
      );
      await finishLogged(r.entry, ids.activities, matched, {
        ...(notes.length > 0 ? { notes } : { notes: undefined }),
        ...(r.unmatched.length > 0 ? { unmatched: r.unmatched } : { unmatched: undefined }),
        duplicates: r.duplicates,
      });
      logged++;
    }
    return logged;
  }

  /**
   * Deletes the records of emails another tool had logged already, every one of them, and reads
   * what happened to each: an email is "not logged" only once nothing of ours stays.
   */
  async function compensate(entries: OutboxEntry[]): Promise<SalesforceError | null> {
    const ids = entries.flatMap((e) => e.compensate ?? []);
    const subrequests = deleteCollections(ids, { allOrNone: false, referenceId: (n) => `undo${n}` });
    const answers = new Map<string, SalesforceError | null>();
    const limit = COMPOSITE_LIMITS.queriesAndCollections;
    for (let i = 0; i < subrequests.length; i += limit) {
      const group = subrequests.slice(i, i + limit);
      const answer = await call(group, false, 'log');
      if (!answer.ok) return answer.error;
      group.forEach((_, j) => {
        const result = answer.value[j];
        const chunk = ids.slice((i + j) * COLLECTION_SIZE, (i + j + 1) * COLLECTION_SIZE);
        const saves = result?.ok ? readSaveResults(result.body) : null;
        chunk.forEach((id, k) => {
          const save = saves?.[k];
          if (save) answers.set(id, saveResultError(save)?.error ?? null);
          else if (result && !result.ok) answers.set(id, result.error);
        });
      });
    }
    for (const entry of entries) {
      const outcome = afterCompensation(entry, answers);
      if (outcome.kind === 'removed') {
        await finishSkipped(entry, 'alreadyInSalesforce');
        continue;
      }
      // Ours stays next to the other tool's: say so, with Salesforce's reason and links to it; Retry deletes again.
      await db.transaction('rw', db.outbox, db.activities, async () => {
        await db.outbox.update(entry.key, { compensate: outcome.ids, nextAttemptAt: HELD });
        await setActivity(entry.key, {
          state: 'failed',
          reason: 'duplicateNotRemoved',
          detail: outcome.error.errorCode ? `${outcome.error.errorCode}: ${outcome.error.message}` : outcome.error.message,
          loggedIds: outcome.ids,
        });
      });
    }
    return null;
  }

  async function pass(): Promise<{ again: boolean }> {
    const startedAt = now();
    const backoff = await readBackoff();
    if (backoff && backoff.until > startedAt) {
      wake(Number.isFinite(backoff.until) ? backoff.until : null);
      return { again: false };
    }
    const session = await client.currentSession();
    connectedAs = session;
    if (!session) {
      // Nothing is dropped: the entries wait for the rep to connect (the connection wakes the runner).
      wake(null);
      return { again: false };
    }
    await bindCacheTo(db, session.orgId, session.userId);
    const all = (await ownEntries(session)).sort((a, b) => a.createdAt - b.createdAt).slice(0, MAX_ENTRIES_PER_PASS);
    if (all.length === 0) {
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

    const toCompensate = workOf(all, startedAt, timing).compensate;
    if (toCompensate.length > 0) {
      const failure = await compensate(toCompensate);
      if (failure) return afterCallFailure(failure, []);
      changed();
    }

    const { check: verifyNow, plan: candidates } = workOf(all, startedAt, timing);

    // Everything the candidates' plans read, loaded in one go.
    const emails = new Set<string>();
    const domains = new Set<string>();
    for (const e of candidates) {
      const email = emailOf(e);
      if (!email) continue;
      for (const r of participantsOf(email, settings.internalDomains)) {
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
      const excluded = excludedNow(entry, settings);
      if (excluded) {
        await finishSkipped(entry, excluded);
        continue;
      }
      const plan = planEntry(entry, knowledge, caps.value);
      if (plan.kind === 'lookup') {
        mergeNeeds(needs, plan.needs);
        lookingUp.push(entry);
      } else if (plan.kind === 'write') {
        ready.push({ entry, unit: plan.unit, matched: plan.matched, unmatched: plan.unmatched, duplicates: plan.duplicates });
      } else if (plan.kind === 'unresolved') {
        await finishUnresolved(entry, plan.unmatched, plan.duplicates);
      } else if (plan.kind === 'failed') {
        await finishFailed(entry, plan.error);
      } else {
        await finishSkipped(entry, plan.reason);
      }
    }

    // One call in the usual case: lookups and checks first, then as many writes as fit.
    const queries = hasNeeds(needs) ? lookupQueries(needs, settings, caps.value) : [];
    const verification: Verification | null =
      verifyNow.length > 0 ? { entries: verifyNow, subrequests: checkQueries(verifyNow, session.userId) } : null;
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
      if (planned.batch) planned.batch = await withoutExcluded(ready, planned.batch);
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

  async function afterCallFailure(error: SalesforceError, written: OutboxEntry[]): Promise<{ again: boolean }> {
    if (written.length > 0) {
      const outcome = decideAfterCallFailure(error, written.length);
      if (outcome.kind === 'refused') {
        // Salesforce refused the whole call: try each email alone, and fail the one that is refused alone.
        await db.transaction('rw', db.outbox, async () => {
          for (const e of written) {
            const attempt: OutboxAttempt = {
              ...e.attempt!,
              answered: true,
              ...(outcome.error ? { error: errorSummary(outcome.error) } : {}),
            };
            await db.outbox.update(e.key, { attempt, ...(outcome.solo ? { solo: true } : {}) });
          }
        });
        if (error.kind === 'validation' && /INVALID_FIELD|INVALID_TYPE/.test(error.errorCode ?? '')) await forgetCapabilities(db);
        changed();
        return { again: true };
      }
      if (outcome.kind === 'notSent') {
        await db.transaction('rw', db.outbox, async () => {
          for (const e of written) await db.outbox.update(e.key, { attempt: undefined });
        });
      }
      // inDoubt: the attempts stay; the records are looked for before any new write.
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
    const entries = (await db.outbox.where('nextAttemptAt').below(HELD).toArray()).filter((e) => !connectedAs || belongsTo(e, connectedAs));
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
    const waiting = await db.outbox.where('nextAttemptAt').below(HELD).toArray();
    return nextDueAt(connectedAs ? waiting.filter((e) => belongsTo(e, connectedAs!)) : waiting, timing);
  }

  /**
   * The waiting entries this session may write. Entries captured while not connected become
   * its own; entries of another org or user are left alone, and their rows say so (the rep
   * chooses in the Activity tab), until that org is connected again.
   */
  async function ownEntries(session: StoredSession): Promise<OutboxEntry[]> {
    const waiting = await db.outbox.where('nextAttemptAt').below(HELD).toArray();
    const mine: OutboxEntry[] = [];
    let marked = false;
    await db.transaction('rw', db.outbox, db.activities, async () => {
      for (const entry of waiting) {
        if (!entry.owner) {
          entry.owner = ownerOf(session);
          await db.outbox.update(entry.key, { owner: entry.owner });
        }
        const activity = await db.activities.get(entry.key);
        if (belongsTo(entry, session)) {
          mine.push(entry);
          // Its org is connected again: it no longer waits for it.
          if (activity?.reason === 'otherOrg') await setActivity(entry.key, { reason: undefined, detail: undefined });
          continue;
        }
        if (activity && activity.reason !== 'otherOrg') {
          await setActivity(entry.key, { state: 'queued', reason: 'otherOrg', detail: hostOf(entry.owner.instanceUrl) });
          marked = true;
        }
      }
    });
    if (marked) changed();
    return mine;
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
    callCount: () => org.count(),
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

    /** Who an email being written would be logged to, for the compose control (match-preview.ts). */
    previewMatches: (recipients: readonly MailAddress[], mailbox: string | null, options?: { budgetMs?: number; tab?: number }) =>
      preview.previewMatches(recipients, mailbox, options),
  };
}

export type OutboxRunner = ReturnType<typeof createOutboxRunner>;
