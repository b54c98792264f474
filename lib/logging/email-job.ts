/**
 * The decision for one queued email, from what is known locally: look something up first,
 * or write these records, or stop here (unresolved, nothing to log). Pure: the runner passes
 * the address cache and settings in and carries the decision out.
 */
import { domainOf } from '../address';
import type { ActivityRecord, CachedAddress, CachedPerson, OutboxEntry } from '../db';
import type { OutboxEmailPayload } from '../outbox/queue';
import type { WriteUnit } from '../outbox/write-unit';
import type { Settings } from '../settings';
import type { Capabilities, LoggingMode } from './capabilities';
import { type EmailToLog, emailWrite, type RecordContext } from './email-records';
import { hasNeeds, isFresh, type LookupNeeds, noNeeds, opportunitiesFresh } from './lookups';
import { type EmailMatch, isPersonalMailDomain, matchEmail, type Recipient, recipientsToMatch } from './matching';
import type { OpportunityInfo } from './related';

export type LoggingSettings = Pick<
  Settings,
  | 'logAs'
  | 'logToContacts'
  | 'logToLeads'
  | 'relatedRecords'
  | 'multipleMatches'
  | 'noMatch'
  | 'duplicateLeads'
  | 'logBody'
  | 'subjectTemplate'
  | 'internalDomains'
>;

/** What the runner knows locally when it plans. */
export interface Knowledge {
  now: number;
  settings: LoggingSettings;
  capabilities: Capabilities;
  mode: LoggingMode;
  userId: string;
  timeZone: string;
  truncatedMarker: string;
  address(email: string): CachedAddress | undefined;
  /** Company name found for a domain (null: none), or undefined when not looked up lately. */
  company(domain: string): string | null | undefined;
}

export type EmailPlan =
  | { kind: 'lookup'; needs: LookupNeeds }
  | { kind: 'write'; unit: WriteUnit; matched: ActivityRecord['matched']; unmatched: string[]; duplicates?: ActivityRecord['duplicates'] }
  | { kind: 'unresolved'; unmatched: string[]; duplicates?: ActivityRecord['duplicates'] }
  | { kind: 'skip'; reason: 'noMatch' | 'noRecipients' };

/** The payload as queued, checked: a malformed one is a bug, reported as a failure, not a crash. */
export function emailOf(entry: OutboxEntry): EmailToLog | null {
  const p = entry.payload as Partial<OutboxEmailPayload> | null;
  if (!p || typeof p !== 'object' || typeof p.mailbox !== 'string' || typeof p.sentAt !== 'number') return null;
  if (!Array.isArray(p.to) || !Array.isArray(p.cc) || p.provider === undefined) return null;
  return {
    key: entry.key,
    provider: p.provider,
    mailbox: p.mailbox,
    ...(p.from ? { from: p.from } : {}),
    to: p.to,
    cc: p.cc,
    subject: typeof p.subject === 'string' ? p.subject : '',
    bodyHtml: typeof p.bodyHtml === 'string' ? p.bodyHtml : '',
    sentAt: p.sentAt,
    ...(p.rfcMessageId ? { rfcMessageId: p.rfcMessageId } : {}),
    ...(p.direction === 'inbound' ? { direction: 'inbound' as const } : {}),
    ...(typeof p.whatId === 'string' && p.whatId ? { whatId: p.whatId } : {}),
  };
}

/**
 * Who an email is matched on: its To and Cc when the rep sent it; when the rep received it, its
 * sender first and the others it went to (the rep and colleagues left out as always).
 */
export function participantsOf(email: EmailToLog, internalDomains: readonly string[]): Recipient[] {
  const first = email.direction === 'inbound' && email.from ? [email.from, ...email.to] : email.to;
  return recipientsToMatch(first, email.cc, email.mailbox, internalDomains);
}

/** A received email never creates a lead nor waits for the rep to assign it: it goes to people already in Salesforce. */
const inboundSettings = (settings: LoggingSettings): LoggingSettings => ({ ...settings, noMatch: 'skip' });

/** `allFromMatched` logs only email whose sender is a matched record (lib/logging/inbound.ts). */
const senderRequired = (entry: OutboxEntry) => (entry.payload as Partial<OutboxEmailPayload> | null)?.inbound === 'fromMatched';

const needsOpportunities = (settings: LoggingSettings) =>
  settings.relatedRecords === 'recentOpportunity' || settings.relatedRecords === 'allOpportunitiesWithRole';

function opportunityNeeds(people: readonly CachedPerson[], settings: LoggingSettings, now: number): LookupNeeds {
  const needs = noNeeds();
  if (!needsOpportunities(settings)) return needs;
  for (const person of people) {
    if (person.type !== 'Contact') continue;
    if (settings.relatedRecords === 'recentOpportunity' && person.accountId && !opportunitiesFresh(person, 'recent', now)) {
      needs.accounts.add(person.accountId);
    }
    if (settings.relatedRecords === 'allOpportunitiesWithRole' && !opportunitiesFresh(person, 'roles', now)) needs.contacts.add(person.id);
  }
  return needs;
}

function opportunityInfo(people: readonly CachedPerson[]): OpportunityInfo {
  const recentByAccount = new Map<string, string | null>();
  const withRoleByContact = new Map<string, string[]>();
  for (const p of people) {
    if (p.accountId && p.recentOpportunity !== undefined) recentByAccount.set(p.accountId, p.recentOpportunity);
    if (p.opportunitiesWithRole) withRoleByContact.set(p.id, p.opportunitiesWithRole);
  }
  return { recentByAccount, withRoleByContact };
}

/** Domains worth asking Salesforce for a company name: a business domain of an address that may become a lead. */
const companyDomain = (email: string) => {
  const domain = domainOf(email);
  return domain && !isPersonalMailDomain(domain) ? domain : null;
};

/** The email's recipients matched against the cache (with the rep's assignment when there is one). */
export function matchFromKnowledge(
  recipients: readonly Recipient[],
  entry: Pick<OutboxEntry, 'assigned'>,
  knowledge: Knowledge,
): EmailMatch {
  if (entry.assigned && entry.assigned.length > 0) {
    // The cached copy, when there is one, carries what was looked up since (open opportunities).
    const people = entry.assigned.map((p) => (p.email ? knowledge.address(p.email)?.records.find((r) => r.id === p.id) : undefined) ?? p);
    // Each assigned record goes with the recipient of its address, the others with the first recipient.
    const byAddress = (email: string) => people.filter((p) => p.email === email);
    const unattached = people.filter((p) => !recipients.some((r) => r.email === p.email));
    const resolved = recipients.map((r, i) => {
      const records = [...byAddress(r.email), ...(i === 0 ? unattached : [])];
      return { ...r, outcome: records.length > 0 ? { kind: 'matched' as const, records } : { kind: 'unresolved' as const } };
    });
    return { kind: 'log', recipients: resolved, people, newLeads: [], unresolved: [] };
  }
  const companies = new Map<string, string>();
  for (const r of recipients) {
    const domain = domainOf(r.email);
    const name = knowledge.company(domain);
    if (name) companies.set(domain, name);
  }
  return matchEmail(
    recipients,
    (address) => knowledge.address(address)?.records ?? [],
    knowledge.settings,
    companies,
    (address) => knowledge.address(address)?.source === 'duplicate',
  );
}

/** Recipients whose new lead Salesforce refused as a duplicate, and the record logged to instead (if any). */
function duplicatesOf(recipients: readonly Recipient[], knowledge: Knowledge): NonNullable<ActivityRecord['duplicates']> {
  return recipients.flatMap((r) => {
    const entry = knowledge.address(r.email);
    if (entry?.source !== 'duplicate') return [];
    const name = entry.records[0]?.name;
    return [{ email: r.email.toLowerCase(), ...(name ? { name } : {}) }];
  });
}

export function planEmail(entry: OutboxEntry, email: EmailToLog, given: Knowledge): EmailPlan {
  const knowledge = email.direction === 'inbound' ? { ...given, settings: inboundSettings(given.settings) } : given;
  const { settings, now } = knowledge;
  const recipients = participantsOf(email, settings.internalDomains);
  if (!entry.assigned && recipients.length === 0) return { kind: 'skip', reason: 'noRecipients' };

  const needs = noNeeds();
  if (!entry.assigned) {
    for (const r of recipients) if (!isFresh(knowledge.address(r.email), now)) needs.emails.add(r.email);
    if (settings.noMatch === 'createLead' && settings.logToLeads) {
      // Asked together with the addresses: an address that matches nothing needs its company at once.
      for (const r of recipients) {
        const domain = companyDomain(r.email);
        const known = knowledge.address(r.email);
        const mayBecomeLead = needs.emails.has(r.email) || (known !== undefined && known.records.length === 0);
        if (domain && mayBecomeLead && knowledge.company(domain) === undefined) needs.domains.add(domain);
      }
    }
    if (needs.emails.size > 0) return { kind: 'lookup', needs };
  }

  const match = matchFromKnowledge(recipients, entry, knowledge);
  if (match.kind === 'noMatch') return { kind: 'skip', reason: 'noMatch' };
  const sender = email.from?.email.toLowerCase();
  if (match.kind === 'log' && senderRequired(entry) && !match.recipients.some((r) => r.email === sender && r.outcome.kind === 'matched')) {
    return { kind: 'skip', reason: 'noMatch' };
  }
  const duplicates = entry.assigned ? [] : duplicatesOf(recipients, knowledge);
  const said = duplicates.length > 0 ? { duplicates } : {};
  if (match.kind === 'unresolved') return { kind: 'unresolved', unmatched: match.unresolved, ...said };

  // Only cached people can keep what is looked up for them; the others go to their account.
  const cached = match.people.filter((p) => p.email !== undefined && knowledge.address(p.email)?.records.some((r) => r.id === p.id));
  const opportunities = opportunityNeeds(cached, settings, now);
  if (hasNeeds(opportunities) || needs.domains.size > 0) {
    for (const d of needs.domains) opportunities.domains.add(d);
    return { kind: 'lookup', needs: opportunities };
  }
  const context: RecordContext = {
    settings,
    capabilities: knowledge.capabilities,
    mode: knowledge.mode,
    userId: knowledge.userId,
    timeZone: knowledge.timeZone,
    truncatedMarker: knowledge.truncatedMarker,
    opportunities: opportunityInfo(match.people),
  };
  const matched: ActivityRecord['matched'] = match.people.map((p) => ({
    id: p.id,
    type: p.type,
    ...(p.name ? { name: p.name } : {}),
    ...(p.email ? { email: p.email } : {}),
  }));
  for (const lead of match.newLeads) {
    matched.push({ id: '', type: 'Lead', name: [lead.firstName, lead.lastName].filter(Boolean).join(' '), email: lead.email });
  }
  return { kind: 'write', unit: emailWrite(email, match, context), matched, unmatched: match.unresolved, ...said };
}
