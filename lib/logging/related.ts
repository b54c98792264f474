/**
 * Which Salesforce activities an email becomes, and what each is related to (WhoId, WhatId).
 * Salesforce's rules: a task relates to one lead OR up to 50 contacts (with Shared
 * Activities; one person without), and a task whose WhoId is a lead has no WhatId. The rep's
 * setting picks the WhatId for contacts: none, their Account, the Account's most recently
 * modified open Opportunity, or every open Opportunity where the contact has a contact role.
 */
import type { Settings } from '../settings';
import type { PersonRecord } from './matching';

/** Salesforce's limit of contacts on one task (TaskRelation). */
export const MAX_CONTACTS_PER_TASK = 50;

/** A person on a task: a known record, or the n-th lead this email creates. */
export type WhoRef = { id: string } | { newLead: number };

export interface TaskGroup {
  /** The first is the task's WhoId; the others become TaskRelation rows. */
  who: WhoRef[];
  whatId: string | null;
}

/** Open opportunities, looked up and cached per account and per contact. */
export interface OpportunityInfo {
  /** The account's most recently modified open opportunity; null when it has none. */
  recentByAccount: ReadonlyMap<string, string | null>;
  /** Open opportunities where the contact has a role. */
  withRoleByContact: ReadonlyMap<string, readonly string[]>;
}

export const NO_OPPORTUNITIES: OpportunityInfo = { recentByAccount: new Map(), withRoleByContact: new Map() };

export type RelatedSetting = Settings['relatedRecords'];

/** The WhatIds one contact's activity goes to; an opportunity setting without one falls back to the account. */
export function whatIdsFor(contact: PersonRecord, setting: RelatedSetting, info: OpportunityInfo): Array<string | null> {
  const account = contact.accountId ?? null;
  if (setting === 'none') return [null];
  if (setting === 'recentOpportunity' && account) return [info.recentByAccount.get(account) ?? account];
  if (setting === 'allOpportunitiesWithRole') {
    const opportunities = info.withRoleByContact.get(contact.id) ?? [];
    if (opportunities.length > 0) return [...opportunities];
  }
  return [account];
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * The tasks for an email's people. Contacts sharing a WhatId share a task (with Shared
 * Activities), in recipient order; each lead, existing or new, gets a task of its own.
 */
export function taskGroups(
  people: readonly PersonRecord[],
  newLeadCount: number,
  setting: RelatedSetting,
  sharedActivities: boolean,
  info: OpportunityInfo = NO_OPPORTUNITIES,
): TaskGroup[] {
  const groups: TaskGroup[] = [];
  const byWhat = new Map<string, string[]>();
  for (const person of people) {
    if (person.type !== 'Contact') continue;
    for (const whatId of whatIdsFor(person, setting, info)) {
      const key = whatId ?? '';
      const list = byWhat.get(key) ?? [];
      if (!list.includes(person.id)) list.push(person.id);
      byWhat.set(key, list);
    }
  }
  for (const [key, contactIds] of byWhat) {
    const size = sharedActivities ? MAX_CONTACTS_PER_TASK : 1;
    for (const part of chunk(contactIds, size)) groups.push({ who: part.map((id) => ({ id })), whatId: key === '' ? null : key });
  }
  for (const person of people) if (person.type === 'Lead') groups.push({ who: [{ id: person.id }], whatId: null });
  for (let i = 0; i < newLeadCount; i++) groups.push({ who: [{ newLead: i }], whatId: null });
  return groups;
}

/** The one record an Enhanced Email message is related to: its first contact's WhatId. */
export function relatedToId(
  people: readonly PersonRecord[],
  setting: RelatedSetting,
  info: OpportunityInfo = NO_OPPORTUNITIES,
): string | null {
  const first = people.find((p) => p.type === 'Contact');
  return first ? (whatIdsFor(first, setting, info)[0] ?? null) : null;
}
