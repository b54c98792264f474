/**
 * The compose control's preview in the worker: how many records an email being written would
 * be logged to. Answered from the address cache, and from Salesforce for addresses it does not
 * know (then cached, so the send that follows needs no lookup). Not part of a runner pass.
 */
import { domainOf } from '../address';
import type { ExtensionDatabase } from '../db';
import type { Capabilities } from '../logging/capabilities';
import type { LoggingSettings } from '../logging/email-job';
import { isFresh, lookupQueries, lookupSubrequest, noNeeds, readLookups } from '../logging/lookups';
import { matchEmail, recipientsToMatch } from '../logging/matching';
import type { MailAddress } from '../mail/types';
import type { SubResult } from '../salesforce/composite';
import { bindCacheTo, type LoadedKnowledge, loadKnowledge, storeAnswers } from './knowledge-store';
import type { OrgCalls } from './org-calls';

/** What the compose control shows: how many records an email would be logged to. */
export interface PreviewMatches {
  contacts: number;
  leads: number;
  /** Leads that would be created for unmatched addresses. */
  newLeads: number;
  /** Addresses that match nothing and would not be logged to (or wait for the rep). */
  unresolved: number;
}

export interface MatchPreviewDeps {
  db: ExtensionDatabase;
  org: OrgCalls;
  settings: () => Promise<LoggingSettings>;
  now: () => number;
  rate?: PreviewRate;
}

/**
 * How often one tab may make the preview ask Salesforce: a burst, then one lookup per interval.
 * Previews answered from the cache are free. A page can build compose windows at will, so
 * without this one tab could spend the org's daily API allowance.
 */
export interface PreviewRate {
  burst: number;
  intervalMs: number;
}
export const PREVIEW_RATE: PreviewRate = { burst: 10, intervalMs: 15_000 };
/** Tabs whose allowance is remembered; the oldest is forgotten beyond this. */
const TABS_REMEMBERED = 200;

/** A token bucket per tab: whether this tab may make one more lookup now. */
export function createPreviewLimiter(rate: PreviewRate, now: () => number) {
  const buckets = new Map<number, { tokens: number; at: number }>();
  return (tab: number): boolean => {
    const t = now();
    const previous = buckets.get(tab) ?? { tokens: rate.burst, at: t };
    const tokens = Math.min(rate.burst, previous.tokens + (t - previous.at) / rate.intervalMs);
    buckets.delete(tab);
    if (buckets.size >= TABS_REMEMBERED) buckets.delete(buckets.keys().next().value!);
    if (tokens < 1) {
      buckets.set(tab, { tokens, at: t });
      return false;
    }
    buckets.set(tab, { tokens: tokens - 1, at: t });
    return true;
  };
}

export function createMatchPreview({ db, org, settings: readSettings, now, rate = PREVIEW_RATE }: MatchPreviewDeps) {
  /** Lookups in flight, by address set, so repeated previews of one compose share one. */
  const inFlight = new Map<string, Promise<void>>();
  const mayLookUp = createPreviewLimiter(rate, now);

  async function work(recipients: readonly MailAddress[], mailbox: string | null, tab: number | undefined): Promise<PreviewMatches | null> {
    const session = await org.currentSession();
    if (!session) return null;
    await bindCacheTo(db, session.orgId, session.userId);
    const settings = await readSettings();
    const list = recipientsToMatch(recipients, [], mailbox ?? '', settings.internalDomains);
    if (list.length === 0) return { contacts: 0, leads: 0, newLeads: 0, unresolved: 0 };
    const caps = await org.capabilities(session);
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
      let pending = inFlight.get(key);
      if (!pending) {
        // Over its allowance a tab gets no counts rather than a call to Salesforce.
        if (tab !== undefined && !mayLookUp(tab)) return null;
        pending = lookUpAddresses(stale, settings, caps.value, loaded).finally(() => inFlight.delete(key));
        inFlight.set(key, pending);
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

  /** Looks addresses up in calls of their own. */
  async function lookUpAddresses(emails: string[], settings: LoggingSettings, caps: Capabilities, loaded: LoadedKnowledge): Promise<void> {
    const needs = { ...noNeeds(), emails: new Set(emails) };
    const queries = lookupQueries(needs, settings, caps);
    const results: Array<SubResult | undefined> = [];
    for (let i = 0; i < queries.length; i += 5) {
      const part = queries.slice(i, i + 5);
      const answer = await org.call(
        part.map((q, j) => lookupSubrequest(q, i + j)),
        false,
        'match',
      );
      if (!answer.ok) return;
      results.push(...answer.value);
    }
    const answers = readLookups(queries, results, needs, now(), await org.morePages(results));
    await storeAnswers(db, loaded, answers, now());
  }

  return {
    /**
     * Who an email being written would be logged to. Null when it cannot be told within
     * `budgetMs`; the lookup still finishes and fills the cache.
     */
    async previewMatches(
      recipients: readonly MailAddress[],
      mailbox: string | null,
      options: { budgetMs?: number; tab?: number } = {},
    ): Promise<PreviewMatches | null> {
      const budgetMs = options.budgetMs ?? 2_500;
      const pending = work(recipients, mailbox, options.tab);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), budgetMs);
      });
      try {
        return await Promise.race([pending, late]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

export type MatchPreview = ReturnType<typeof createMatchPreview>;
