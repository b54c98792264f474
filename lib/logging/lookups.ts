/**
 * Looking addresses up in Salesforce, in as few calls as possible: what the runner still needs
 * to know (`LookupNeeds`), the composite subrequests that ask for all of it at once, and how
 * the answers become address-cache entries. Pure.
 */
import type { CachedAddress, CachedPerson } from '../db';
import { queryPath, type SubResult, type Subrequest } from '../salesforce/composite';
import type { Settings } from '../settings';
import type { Capabilities } from './capabilities';
import {
  accountsByWebsite,
  contactsByEmail,
  leadsByEmail,
  openOpportunitiesOfAccounts,
  openOpportunityRolesOfContacts,
  SOQL_MAX_LENGTH,
} from './soql-lookups';

/** How long what Salesforce said stays true enough to log by, before it is asked again. */
export const CACHE_TTL = {
  /** An address with records: a contact rarely changes its email, and a gone record is noticed on write. */
  matched: 7 * 24 * 3_600_000,
  /** An address with none: someone may create the contact soon. */
  unmatched: 24 * 3_600_000,
  /** Open opportunities move faster. */
  opportunities: 12 * 3_600_000,
  company: 7 * 24 * 3_600_000,
} as const;

export interface LookupNeeds {
  emails: Set<string>;
  /** Accounts whose most recent open opportunity is needed. */
  accounts: Set<string>;
  /** Contacts whose open opportunities (by contact role) are needed. */
  contacts: Set<string>;
  /** Domains of new leads' addresses, for a company name from an Account's website. */
  domains: Set<string>;
}

export const noNeeds = (): LookupNeeds => ({ emails: new Set(), accounts: new Set(), contacts: new Set(), domains: new Set() });

export const hasNeeds = (n: LookupNeeds) => n.emails.size + n.accounts.size + n.contacts.size + n.domains.size > 0;

export function mergeNeeds(into: LookupNeeds, from: LookupNeeds): LookupNeeds {
  for (const key of ['emails', 'accounts', 'contacts', 'domains'] as const) for (const v of from[key]) into[key].add(v);
  return into;
}

export function isFresh(entry: Pick<CachedAddress, 'records' | 'checkedAt' | 'source'> | undefined, now: number): boolean {
  if (!entry) return false;
  if (entry.source === 'assigned') return true;
  // Salesforce's duplicate rule decided this address; asked again after the usual time.
  if (entry.source === 'duplicate') return now - entry.checkedAt < CACHE_TTL.matched;
  // A contact remembered without its account (a person picked for a call) is looked up in full.
  if (entry.records.some((r) => r.type === 'Contact' && r.accountId === undefined)) return false;
  return now - entry.checkedAt < (entry.records.length > 0 ? CACHE_TTL.matched : CACHE_TTL.unmatched);
}

/** Whether a contact's open opportunities of this kind were looked up lately. */
export function opportunitiesFresh(person: CachedPerson, kind: 'recent' | 'roles', now: number): boolean {
  const at = kind === 'recent' ? person.recentOpportunityCheckedAt : person.rolesCheckedAt;
  return at !== undefined && now - at < CACHE_TTL.opportunities;
}

/** Emails per statement: bounds the rows of one answer well below a query page (2,000). */
const EMAILS_PER_STATEMENT = 300;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export interface LookupQuery {
  kind: 'contacts' | 'leads' | 'opportunities' | 'roles' | 'accounts';
  soql: string;
  /** The emails the statement asks about (contacts, leads). */
  emails: string[];
}

/** The statements that answer `needs` under the rep's settings. */
export function lookupQueries(
  needs: LookupNeeds,
  settings: Pick<Settings, 'logToContacts' | 'logToLeads' | 'relatedRecords' | 'noMatch'>,
  capabilities: Pick<Capabilities, 'lastActivityDate'>,
  maxLength = SOQL_MAX_LENGTH,
): LookupQuery[] {
  const queries: LookupQuery[] = [];
  const fields = { lastActivity: capabilities.lastActivityDate };
  for (const emails of chunks([...needs.emails].sort(), EMAILS_PER_STATEMENT)) {
    if (settings.logToContacts)
      for (const soql of contactsByEmail(emails, fields, maxLength)) queries.push({ kind: 'contacts', soql, emails });
    if (settings.logToLeads) for (const soql of leadsByEmail(emails, fields, maxLength)) queries.push({ kind: 'leads', soql, emails });
  }
  if (needs.accounts.size > 0) {
    for (const part of chunks([...needs.accounts].sort(), EMAILS_PER_STATEMENT)) {
      for (const soql of openOpportunitiesOfAccounts(part, maxLength)) queries.push({ kind: 'opportunities', soql, emails: [] });
    }
  }
  if (needs.contacts.size > 0) {
    for (const part of chunks([...needs.contacts].sort(), EMAILS_PER_STATEMENT)) {
      for (const soql of openOpportunityRolesOfContacts(part, maxLength)) queries.push({ kind: 'roles', soql, emails: [] });
    }
  }
  if (needs.domains.size > 0) {
    for (const part of chunks([...needs.domains].sort(), 50)) {
      for (const soql of accountsByWebsite(part, maxLength)) queries.push({ kind: 'accounts', soql, emails: [] });
    }
  }
  return queries;
}

export const lookupSubrequest = (query: LookupQuery, index: number): Subrequest => ({
  method: 'GET',
  path: queryPath(query.soql),
  referenceId: `lookup${index}`,
});

interface QueryBody {
  records?: Array<Record<string, unknown>>;
  done?: boolean;
  nextRecordsUrl?: string;
}

/** The rows of a query subrequest's answer, and where the rest is when the page was not all. */
export function queryRows(result: SubResult): { rows: Array<Record<string, unknown>>; nextRecordsUrl?: string } | null {
  if (!result.ok) return null;
  const body = result.body as QueryBody | null;
  if (!body || !Array.isArray(body.records)) return null;
  return { rows: body.records, ...(body.done === false && body.nextRecordsUrl ? { nextRecordsUrl: body.nextRecordsUrl } : {}) };
}

const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

export function personFrom(row: Record<string, unknown>, type: 'Contact' | 'Lead'): CachedPerson | null {
  const id = text(row.Id);
  if (!id) return null;
  const person: CachedPerson = { id, type };
  const name = text(row.Name);
  if (name) person.name = name;
  const email = text(row.Email);
  if (email) person.email = email.toLowerCase();
  if (type === 'Contact') person.accountId = text(row.AccountId) ?? null;
  if (type === 'Lead' && text(row.Company)) person.company = text(row.Company);
  const created = text(row.CreatedDate);
  if (created) person.createdDate = created;
  const active = text(row.LastActivityDate) ?? text(row.LastModifiedDate);
  if (active) person.lastActivity = active;
  return person;
}

/** What one round of lookups learned. */
export interface LookupAnswers {
  /** Address entries to store, one per email asked about (empty records = no match). */
  addresses: CachedAddress[];
  /** Most recent open opportunity per account asked about (null: none). */
  recentOpportunity: Map<string, string | null>;
  /** Open opportunities with a role, per contact asked about. */
  opportunitiesWithRole: Map<string, string[]>;
  /** Company names per domain asked about (null: no account). */
  companies: Map<string, string | null>;
  /** Emails whose statement failed; they stay unknown. */
  failedEmails: Set<string>;
  failed: boolean;
}

function hostOf(website: string): string {
  try {
    return new URL(/^[a-z]+:\/\//i.test(website) ? website : `https://${website}`).hostname.toLowerCase();
  } catch {
    return '';
  }
}

/** Reads every lookup answer; rows from further pages are passed in `extraRows` by statement index. */
export function readLookups(
  queries: readonly LookupQuery[],
  results: readonly (SubResult | undefined)[],
  needs: LookupNeeds,
  now: number,
  extraRows: ReadonlyMap<number, Array<Record<string, unknown>>> = new Map(),
): LookupAnswers {
  const people = new Map<string, CachedPerson[]>();
  const answers: LookupAnswers = {
    addresses: [],
    recentOpportunity: new Map(),
    opportunitiesWithRole: new Map(),
    companies: new Map(),
    failedEmails: new Set(),
    failed: false,
  };
  const accountRows: Array<Record<string, unknown>> = [];
  let accountsFailed = false;
  let opportunitiesFailed = false;
  let rolesFailed = false;
  queries.forEach((query, index) => {
    const result = results[index];
    const page = result ? queryRows(result) : null;
    if (!page) {
      answers.failed = true;
      for (const e of query.emails) answers.failedEmails.add(e);
      if (query.kind === 'accounts') accountsFailed = true;
      if (query.kind === 'opportunities') opportunitiesFailed = true;
      if (query.kind === 'roles') rolesFailed = true;
      return;
    }
    const rows = [...page.rows, ...(extraRows.get(index) ?? [])];
    if (query.kind === 'contacts' || query.kind === 'leads') {
      for (const row of rows) {
        const person = personFrom(row, query.kind === 'contacts' ? 'Contact' : 'Lead');
        if (!person?.email) continue;
        const list = people.get(person.email) ?? [];
        if (!list.some((p) => p.id === person.id)) list.push(person);
        people.set(person.email, list);
      }
    } else if (query.kind === 'opportunities') {
      for (const row of rows) {
        const account = text(row.AccountId);
        const id = text(row.Id);
        // Rows come most recently modified first: the first one per account wins.
        if (account && id && !answers.recentOpportunity.has(account)) answers.recentOpportunity.set(account, id);
      }
    } else if (query.kind === 'roles') {
      for (const row of rows) {
        const contact = text(row.ContactId);
        const opportunity = text(row.OpportunityId);
        if (!contact || !opportunity) continue;
        const list = answers.opportunitiesWithRole.get(contact) ?? [];
        if (!list.includes(opportunity)) list.push(opportunity);
        answers.opportunitiesWithRole.set(contact, list);
      }
    } else {
      accountRows.push(...rows);
    }
  });
  for (const email of needs.emails) {
    if (answers.failedEmails.has(email)) continue;
    answers.addresses.push({ email, records: people.get(email) ?? [], checkedAt: now, source: 'match' });
  }
  if (!opportunitiesFailed)
    for (const account of needs.accounts) if (!answers.recentOpportunity.has(account)) answers.recentOpportunity.set(account, null);
  if (!rolesFailed)
    for (const contact of needs.contacts) if (!answers.opportunitiesWithRole.has(contact)) answers.opportunitiesWithRole.set(contact, []);
  if (!accountsFailed) {
    for (const domain of needs.domains) {
      const account = accountRows.find((row) => {
        const host = hostOf(text(row.Website) ?? '');
        return host === domain || host.endsWith(`.${domain}`);
      });
      answers.companies.set(domain, text(account?.Name) ?? null);
    }
  }
  return answers;
}
