/**
 * Finding the Contact or Lead a call was with: recent people from the local address cache at
 * once (no network), then Salesforce's search (SOSL) by name, phone or email.
 */
import type { CachedAddress, ExtensionDatabase } from '../db';
import type { SalesforceClient } from '../salesforce/client';
import type { SalesforceResult } from '../salesforce/errors';
import { soslTerm } from '../salesforce/soql';
import type { CallPerson } from './model';

export interface PersonMatch extends CallPerson {
  /** Account name (Contact) or company (Lead). */
  company?: string;
  phone?: string;
}

const RECENT_READ = 300;
const SHOWN = 8;

function matchesText(person: PersonMatch, text: string): boolean {
  const needle = text.trim().toLowerCase();
  if (!needle) return true;
  const digits = needle.replace(/\D/g, '');
  return (
    person.name.toLowerCase().includes(needle) ||
    (person.email ?? '').toLowerCase().includes(needle) ||
    (digits.length >= 3 && (person.phone ?? '').replace(/\D/g, '').includes(digits))
  );
}

/** People from the most recently checked addresses (an index read, newest first), filtered by `text`. */
export async function recentPeople(db: ExtensionDatabase, text: string): Promise<PersonMatch[]> {
  const cached: CachedAddress[] = await db.addressCache.orderBy('checkedAt').reverse().limit(RECENT_READ).toArray();
  const seen = new Set<string>();
  const people: PersonMatch[] = [];
  for (const entry of cached) {
    for (const record of entry.records) {
      if (seen.has(record.id)) continue;
      seen.add(record.id);
      const person: PersonMatch = { id: record.id, type: record.type, name: record.name ?? entry.email, email: entry.email };
      if (matchesText(person, text)) people.push(person);
      if (people.length >= SHOWN) return people;
    }
  }
  return people;
}

/** Remembers the person of a logged call as recently used (only people with an address can be cached). */
export async function rememberPerson(db: ExtensionDatabase, person: CallPerson, now: number): Promise<void> {
  if (!person.email) return;
  const email = person.email.toLowerCase();
  await db.transaction('rw', db.addressCache, async () => {
    const entry = await db.addressCache.get(email);
    const records = entry?.records.filter((r) => r.id !== person.id) ?? [];
    await db.addressCache.put({ email, checkedAt: now, records: [{ id: person.id, type: person.type, name: person.name }, ...records] });
  });
}

export function searchSosl(text: string): string | null {
  const term = soslTerm(text, { prefix: true });
  if (!term) return null;
  return (
    `FIND ${term} IN ALL FIELDS RETURNING ` +
    `Contact(Id, Name, Email, Phone, Account.Name ORDER BY LastModifiedDate DESC LIMIT ${SHOWN}), ` +
    `Lead(Id, Name, Email, Phone, Company WHERE IsConverted = false ORDER BY LastModifiedDate DESC LIMIT ${SHOWN})`
  );
}

interface SearchAnswer {
  searchRecords: Array<Record<string, unknown> & { attributes: { type: string } }>;
}

/** Salesforce's search; an empty list for text too short to search. */
export async function searchPeople(client: SalesforceClient, text: string): Promise<SalesforceResult<PersonMatch[]>> {
  const sosl = searchSosl(text);
  if (!sosl) return { ok: true, value: [] };
  const answer = await client.request<SearchAnswer>({ method: 'GET', url: `/search?q=${encodeURIComponent(sosl)}` }, 'match');
  if (!answer.ok) return answer;
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  const people = answer.value.searchRecords.flatMap((r): PersonMatch[] => {
    const type = r.attributes.type;
    if (type !== 'Contact' && type !== 'Lead') return [];
    const company = type === 'Contact' ? str((r.Account as { Name?: unknown } | null)?.Name) : str(r.Company);
    const email = str(r.Email);
    const phone = str(r.Phone);
    return [
      {
        id: String(r.Id),
        type,
        name: str(r.Name) ?? String(r.Id),
        ...(email ? { email } : {}),
        ...(phone ? { phone } : {}),
        ...(company ? { company } : {}),
      },
    ];
  });
  return { ok: true, value: people };
}
