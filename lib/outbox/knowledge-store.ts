/**
 * The logger's local knowledge in IndexedDB: which records an address belongs to (the address
 * cache), company names found for domains, and what the org supports. A thin shell: the rules
 * for when something is stale live in lib/logging/lookups.ts.
 */
import type { CachedAddress, CachedPerson, ExtensionDatabase } from '../db';
import type { Capabilities } from '../logging/capabilities';
import { CACHE_TTL, type LookupAnswers } from '../logging/lookups';

const companyKey = (domain: string) => `logging:company:${domain}`;
const CAPABILITIES_KEY = 'logging:capabilities';
/** Describes are large; once a day is enough to notice an admin switching Enhanced Email on. */
export const CAPABILITIES_TTL = 24 * 3_600_000;

interface StoredCompany {
  name: string | null;
  checkedAt: number;
}

interface StoredCapabilities {
  orgId: string;
  userId: string;
  checkedAt: number;
  capabilities: Capabilities;
}

export interface LoadedKnowledge {
  addresses: Map<string, CachedAddress>;
  companies: Map<string, StoredCompany>;
}

const CACHE_OWNER_KEY = 'logging:cacheOwner';

/**
 * The address and company caches hold one org's record ids: when another org or user is
 * connected (a sandbox, another org) they start again empty, so no id of one org is written
 * into another. The first time (an older version's cache) they are kept.
 */
export async function bindCacheTo(db: ExtensionDatabase, orgId: string, userId: string): Promise<void> {
  const owner = `${orgId.slice(0, 15)}:${userId.slice(0, 15)}`;
  const current = (await db.values.get(CACHE_OWNER_KEY))?.value;
  if (current === owner) return;
  await db.transaction('rw', db.addressCache, db.values, async () => {
    if (current !== undefined) {
      await db.addressCache.clear();
      await db.values.where('key').startsWith(companyKey('')).delete();
    }
    await db.values.put({ key: CACHE_OWNER_KEY, value: owner });
  });
}

export async function loadKnowledge(db: ExtensionDatabase, emails: Iterable<string>, domains: Iterable<string>): Promise<LoadedKnowledge> {
  const emailList = [...new Set(emails)];
  const domainList = [...new Set(domains)];
  const [addresses, companies] = await Promise.all([db.addressCache.bulkGet(emailList), db.values.bulkGet(domainList.map(companyKey))]);
  return {
    addresses: new Map(addresses.flatMap((a) => (a ? [[a.email, a] as const] : []))),
    companies: new Map(companies.flatMap((c, i) => (c ? [[domainList[i]!, c.value as StoredCompany] as const] : []))),
  };
}

export function companyFromKnowledge(knowledge: LoadedKnowledge, domain: string, now: number): string | null | undefined {
  const found = knowledge.companies.get(domain);
  if (!found || now - found.checkedAt > CACHE_TTL.company) return undefined;
  return found.name;
}

/** Stores what a lookup round learned, into the database and the loaded knowledge. */
export async function storeAnswers(db: ExtensionDatabase, knowledge: LoadedKnowledge, answers: LookupAnswers, now: number): Promise<void> {
  for (const entry of answers.addresses) knowledge.addresses.set(entry.email, entry);
  const touched = new Map<string, CachedAddress>(answers.addresses.map((a) => [a.email, a]));
  if (answers.recentOpportunity.size > 0 || answers.opportunitiesWithRole.size > 0) {
    for (const entry of knowledge.addresses.values()) {
      let changed = false;
      const records = entry.records.map((person): CachedPerson => {
        if (person.type !== 'Contact') return person;
        const recent = person.accountId ? answers.recentOpportunity.get(person.accountId) : undefined;
        const roles = answers.opportunitiesWithRole.get(person.id);
        if (recent === undefined && roles === undefined) return person;
        changed = true;
        return {
          ...person,
          ...(recent !== undefined ? { recentOpportunity: recent, recentOpportunityCheckedAt: now } : {}),
          ...(roles !== undefined ? { opportunitiesWithRole: roles, rolesCheckedAt: now } : {}),
        };
      });
      if (changed) {
        const updated = { ...entry, records };
        knowledge.addresses.set(entry.email, updated);
        touched.set(entry.email, updated);
      }
    }
  }
  const companies = [...answers.companies].map(([domain, name]) => {
    const value: StoredCompany = { name, checkedAt: now };
    knowledge.companies.set(domain, value);
    return { key: companyKey(domain), value };
  });
  await db.transaction('rw', db.addressCache, db.values, async () => {
    if (touched.size > 0) await db.addressCache.bulkPut([...touched.values()]);
    if (companies.length > 0) await db.values.bulkPut(companies);
  });
}

/** Forgets the addresses (an email's records were gone when written), so they are looked up again. */
export async function forgetAddresses(db: ExtensionDatabase, emails: readonly string[]): Promise<void> {
  if (emails.length > 0) await db.addressCache.bulkDelete([...new Set(emails.map((e) => e.toLowerCase()))]);
}

/** Remembers that the rep assigned an address to these records. */
export async function rememberAssignment(db: ExtensionDatabase, email: string, records: CachedPerson[], now: number): Promise<void> {
  await db.addressCache.put({ email: email.toLowerCase(), records, checkedAt: now, source: 'assigned' });
}

/** A lead the logger created: its address now has that record. */
export async function rememberNewLeads(
  db: ExtensionDatabase,
  leads: ReadonlyArray<{ email: string; record: CachedPerson }>,
  now: number,
): Promise<void> {
  if (leads.length === 0) return;
  await db.addressCache.bulkPut(leads.map(({ email, record }) => ({ email, records: [record], checkedAt: now, source: 'match' as const })));
}

export async function loadCapabilities(db: ExtensionDatabase, orgId: string, userId: string, now: number): Promise<Capabilities | null> {
  const stored = (await db.values.get(CAPABILITIES_KEY))?.value as StoredCapabilities | undefined;
  if (!stored || stored.orgId !== orgId || stored.userId !== userId || now - stored.checkedAt > CAPABILITIES_TTL) return null;
  return stored.capabilities;
}

export async function storeCapabilities(
  db: ExtensionDatabase,
  orgId: string,
  userId: string,
  capabilities: Capabilities,
  now: number,
): Promise<void> {
  const value: StoredCapabilities = { orgId, userId, checkedAt: now, capabilities };
  await db.values.put({ key: CAPABILITIES_KEY, value });
}

export async function forgetCapabilities(db: ExtensionDatabase): Promise<void> {
  await db.values.delete(CAPABILITIES_KEY);
}
