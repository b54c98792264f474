/**
 * Who an email is logged to: from each recipient's known Salesforce records and the rep's
 * policies (README, "How email is logged", and the settings `logToContacts`, `logToLeads`,
 * `multipleMatches` and `noMatch`). Pure: the records come from the address cache, which the
 * runner fills from Salesforce.
 */
import { domainOf } from '../address';
import type { MailAddress } from '../mail/types';
import type { Settings } from '../settings';
import { oneLine } from './text-fields';

export type PersonType = 'Contact' | 'Lead';

/** A Contact or (unconverted) Lead as the address cache keeps it. */
export interface PersonRecord {
  id: string;
  type: PersonType;
  name?: string;
  email?: string;
  accountId?: string | null;
  createdDate?: string;
  /** LastActivityDate where the org has it, else LastModifiedDate: what "most recently active" compares. */
  lastActivity?: string;
}

export type RecipientRole = 'to' | 'cc';

export interface Recipient extends MailAddress {
  role: RecipientRole;
}

export type MatchPolicy = Pick<Settings, 'logToContacts' | 'logToLeads' | 'multipleMatches' | 'noMatch'>;

/** A Lead the logger will create for an address nothing matched (noMatch = createLead). */
export interface NewLead {
  email: string;
  firstName?: string;
  lastName: string;
  company: string;
}

export type AddressOutcome =
  | { kind: 'matched'; records: PersonRecord[] }
  | { kind: 'newLead'; lead: NewLead }
  /** Nothing matched and the rep wants to assign it (noMatch = unresolved). */
  | { kind: 'unresolved' }
  /** Nothing matched and the rep does not log such addresses (noMatch = skip). */
  | { kind: 'notLogged' };

const byCreated = (a: PersonRecord, b: PersonRecord) =>
  (a.createdDate ?? '').localeCompare(b.createdDate ?? '') || a.id.localeCompare(b.id);

/** The records one address is logged to, among those it matches, by the rep's policy. */
export function chooseRecords(records: readonly PersonRecord[], policy: MatchPolicy): PersonRecord[] {
  const contacts = policy.logToContacts ? records.filter((r) => r.type === 'Contact') : [];
  const leads = policy.logToLeads ? records.filter((r) => r.type === 'Lead') : [];
  // An address with a contact and a lead is usually a lead that was never converted or
  // cleaned up; the contact is where the relationship lives.
  const pool = contacts.length > 0 ? contacts : leads;
  if (pool.length <= 1 || policy.multipleMatches === 'all') return [...pool].sort(byCreated);
  if (policy.multipleMatches === 'oldest') return [[...pool].sort(byCreated)[0]!];
  const recent = [...pool].sort((a, b) => (b.lastActivity ?? '').localeCompare(a.lastActivity ?? '') || byCreated(a, b));
  return [recent[0]!];
}

/** What happens to one address: its records, a new lead, or nothing. */
export function resolveAddress(
  recipient: MailAddress,
  records: readonly PersonRecord[],
  policy: MatchPolicy,
  companyNames: ReadonlyMap<string, string> = new Map(),
): AddressOutcome {
  const chosen = chooseRecords(records, policy);
  if (chosen.length > 0) return { kind: 'matched', records: chosen };
  if (policy.noMatch === 'createLead' && policy.logToLeads) return { kind: 'newLead', lead: newLeadFor(recipient, companyNames) };
  if (policy.noMatch === 'unresolved') return { kind: 'unresolved' };
  return { kind: 'notLogged' };
}

export interface ResolvedRecipient extends Recipient {
  outcome: AddressOutcome;
}

export type EmailMatch =
  /** Log to these people (in recipient order, each record once) and create these leads first. */
  | { kind: 'log'; recipients: ResolvedRecipient[]; people: PersonRecord[]; newLeads: NewLead[]; unresolved: string[] }
  /** No recipient matched and at least one waits for the rep to assign it. */
  | { kind: 'unresolved'; recipients: ResolvedRecipient[]; unresolved: string[] }
  /** Nothing to log to, by the rep's policy. */
  | { kind: 'noMatch'; recipients: ResolvedRecipient[] };

/** The whole email's outcome from its recipients' outcomes. */
export function matchEmail(
  recipients: readonly Recipient[],
  recordsOf: (email: string) => readonly PersonRecord[],
  policy: MatchPolicy,
  companyNames: ReadonlyMap<string, string> = new Map(),
  /** Addresses that get no new lead whatever the policy (Salesforce refused one as a duplicate). */
  noNewLead: (email: string) => boolean = () => false,
): EmailMatch {
  const resolved = recipients.map((r) => {
    const email = r.email.toLowerCase();
    const records = recordsOf(email);
    const outcome: AddressOutcome =
      records.length === 0 && noNewLead(email) ? { kind: 'unresolved' } : resolveAddress(r, records, policy, companyNames);
    return { ...r, outcome };
  });
  const people: PersonRecord[] = [];
  const seen = new Set<string>();
  const newLeads: NewLead[] = [];
  const unresolved: string[] = [];
  for (const r of resolved) {
    if (r.outcome.kind === 'matched') {
      for (const record of r.outcome.records) {
        if (seen.has(record.id)) continue;
        seen.add(record.id);
        people.push(record);
      }
    } else if (r.outcome.kind === 'newLead') {
      const { lead } = r.outcome;
      if (!newLeads.some((l) => l.email === lead.email)) newLeads.push(lead);
    } else if (r.outcome.kind === 'unresolved') {
      unresolved.push(r.email.toLowerCase());
    }
  }
  if (people.length > 0 || newLeads.length > 0) return { kind: 'log', recipients: resolved, people, newLeads, unresolved };
  if (unresolved.length > 0) return { kind: 'unresolved', recipients: resolved, unresolved };
  return { kind: 'noMatch', recipients: resolved };
}

/**
 * The recipients an email is matched on: To and Cc, once each, without the rep's own mailbox
 * and colleagues (internal domains). Bcc stays private, as Email to Salesforce treats it.
 */
export function recipientsToMatch(
  to: readonly MailAddress[],
  cc: readonly MailAddress[],
  mailbox: string,
  internalDomains: readonly string[],
): Recipient[] {
  const own = mailbox.toLowerCase();
  const seen = new Set<string>();
  const out: Recipient[] = [];
  const add = (list: readonly MailAddress[], role: RecipientRole) => {
    for (const address of list) {
      const email = address.email.toLowerCase();
      const domain = domainOf(email);
      if (email === own || seen.has(email)) continue;
      if (internalDomains.some((d) => domain === d || domain.endsWith(`.${d}`))) continue;
      seen.add(email);
      out.push({ email, role, ...(address.name ? { name: address.name } : {}) });
    }
  };
  add(to, 'to');
  add(cc, 'cc');
  return out;
}

// ---------------------------------------------------------------------------------------------
// New leads: a name from the display name, a company from the domain

/** Mailbox providers whose domain says nothing about where a person works. */
const PERSONAL_MAIL_DOMAINS = new Set([
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'yahoo.co.jp',
  'ymail.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'msn.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'aol.com',
  'proton.me',
  'protonmail.com',
  'gmx.com',
  'gmx.de',
  'web.de',
  'mail.com',
  'zoho.com',
  'yandex.ru',
  'qq.com',
  '163.com',
  'docomo.ne.jp',
  'ezweb.ne.jp',
  'softbank.ne.jp',
]);

export const isPersonalMailDomain = (domain: string) => PERSONAL_MAIL_DOMAINS.has(domain.toLowerCase());

/** Second-level labels under which registrable names sit (acme.co.uk, acme.com.au, acme.co.jp). */
const SECOND_LEVEL = new Set(['co', 'com', 'ne', 'or', 'ac', 'go', 'org', 'net', 'gov', 'edu', 'ltd', 'plc', 'gr', 'ed', 'lg']);
const HOST_PREFIXES = new Set(['www', 'mail', 'email', 'e', 'm', 'smtp', 'mx', 'us', 'eu', 'uk', 'jp']);

const capitalise = (word: string) => (word === '' ? '' : word[0]!.toUpperCase() + word.slice(1));

/** "Acme Corp" from "mail.acme-corp.co.uk"; for personal mailboxes, the domain itself. */
export function companyFromDomain(domain: string): string {
  const lower = domain.toLowerCase();
  if (isPersonalMailDomain(lower)) return lower;
  const labels = lower.split('.').filter(Boolean);
  if (labels.length < 2) return lower || 'Unknown';
  let end = labels.length - 1;
  if (end >= 2 && labels[end]!.length === 2 && SECOND_LEVEL.has(labels[end - 1]!)) end -= 1;
  const candidates = labels.slice(0, end).filter((l) => !HOST_PREFIXES.has(l));
  const name = candidates[candidates.length - 1] ?? labels[end - 1] ?? lower;
  return name.split(/[-_]+/).filter(Boolean).map(capitalise).join(' ') || lower;
}

const LAST_NAME_MAX = 80;
const FIRST_NAME_MAX = 40;
const COMPANY_MAX = 255;

/** First and last name from "Jane Q. Doe", "Doe, Jane", or failing those the address ("jane.doe@"). */
export function namesFor(address: MailAddress): { firstName?: string; lastName: string } {
  const display = oneLine(address.name ?? '').replace(/^["']|["']$/g, '');
  if (display && display.toLowerCase() !== address.email.toLowerCase() && !display.includes('@')) {
    const comma = display.indexOf(',');
    if (comma > 0) {
      const last = display.slice(0, comma).trim();
      const first = display.slice(comma + 1).trim();
      return first
        ? { firstName: first.slice(0, FIRST_NAME_MAX), lastName: last.slice(0, LAST_NAME_MAX) }
        : { lastName: last.slice(0, LAST_NAME_MAX) };
    }
    const parts = display.split(' ');
    if (parts.length === 1) return { lastName: display.slice(0, LAST_NAME_MAX) };
    return { firstName: parts.slice(0, -1).join(' ').slice(0, FIRST_NAME_MAX), lastName: parts[parts.length - 1]!.slice(0, LAST_NAME_MAX) };
  }
  const local = address.email.slice(0, Math.max(0, address.email.lastIndexOf('@'))).replace(/\+.*$/, '');
  const words = local
    .split(/[._-]+/)
    .filter(Boolean)
    .map(capitalise);
  if (words.length === 0) return { lastName: (local || address.email).slice(0, LAST_NAME_MAX) };
  if (words.length === 1) return { lastName: words[0]!.slice(0, LAST_NAME_MAX) };
  return { firstName: words.slice(0, -1).join(' ').slice(0, FIRST_NAME_MAX), lastName: words[words.length - 1]!.slice(0, LAST_NAME_MAX) };
}

/** The Lead to create for an unmatched address; an Account found by website names the company. */
export function newLeadFor(address: MailAddress, companyNames: ReadonlyMap<string, string> = new Map()): NewLead {
  const domain = domainOf(address.email);
  const company = companyNames.get(domain) ?? companyFromDomain(domain);
  return { email: address.email.toLowerCase(), ...namesFor(address), company: company.slice(0, COMPANY_MAX) };
}
