/**
 * Refusals the next write can avoid, learned from the record Salesforce refused:
 *
 * - a new Lead that the org's duplicate rule (the Standard Lead Duplicate Rule is active in
 *   every new org) finds similar to an existing Contact or Lead. sObject Collections only say
 *   DUPLICATES_DETECTED; a single-record create of the same Lead names the matches, so that
 *   one create is sent to ask (it saves the Lead if the rule no longer matches). The address
 *   is then logged to the record Salesforce names, or, when it names none the rep can use,
 *   kept unresolved while the email is logged to the other recipients;
 * - the EmailMessageRelation rows written after the message (the sender's FromAddress), which
 *   an org may refuse on a sent email to users without the "Update Email Messages" permission:
 *   the email is logged without them.
 *
 * Pure: the runner sends the probe and stores what is learned. docs/salesforce.md.
 */
import type { CachedAddress, CachedPerson } from '../db';
import type { Culprit } from '../outbox/write-batch';
import type { Fields, WriteUnit } from '../outbox/write-unit';
import type { SubResult, Subrequest } from '../salesforce/composite';

/**
 * Refusals by a rule the org's admin set (a validation rule, a required custom field, a lookup
 * filter): nothing the extension can change, so the email fails with the rule's own words and
 * is tried again now and then, which logs it once the admin has changed the org.
 */
const ORG_RULES = new Set(['FIELD_CUSTOM_VALIDATION_EXCEPTION', 'REQUIRED_FIELD_MISSING', 'FIELD_FILTER_VALIDATION_EXCEPTION']);
export const ORG_RULE_RETRY_MS = 3_600_000;

export const isOrgRuleRefusal = (error: { errorCode?: string }) => error.errorCode !== undefined && ORG_RULES.has(error.errorCode);

/** "Region__c: Required fields are missing: [Region__c]": the field first, then Salesforce's (the admin's) message. */
export const orgRuleDetail = (error: { message: string; field?: string }) =>
  error.field && !error.message.startsWith(`${error.field}:`) ? `${error.field}: ${error.message}` : error.message;

export type Lesson = { kind: 'duplicateLead'; email: string; lead: Fields } | { kind: 'noFromRelation' };

/** What a refused record teaches, or null for a refusal the rep or the admin must fix. */
export function lessonFrom(unit: WriteUnit, culprit: Culprit): Lesson | null {
  const { record, error } = culprit;
  if (!record) return null;
  if (record.collection === 'leads' && error.errorCode === 'DUPLICATES_DETECTED') {
    const lead = unit.leads[record.index];
    return lead && typeof lead.Email === 'string' ? { kind: 'duplicateLead', email: lead.Email.toLowerCase(), lead } : null;
  }
  if (record.collection === 'children' && error.kind === 'noPermission') {
    const child = unit.children[record.index];
    // The sender's relation, or (for received email) the rep's: added after the message, both need it.
    if (child?.type === 'EmailMessageRelation') return { kind: 'noFromRelation' };
  }
  return null;
}

/** The single-record create that makes Salesforce name a duplicate lead's matches (with their fields). */
export function duplicateProbe(lead: Fields): Subrequest {
  return {
    method: 'POST',
    path: '/sobjects/Lead',
    referenceId: 'duplicateProbe',
    body: lead,
    headers: { 'Sforce-Duplicate-Rule-Header': 'allowSave=false; includeRecordDetails=true' },
  };
}

interface MatchRecord {
  Id?: unknown;
  attributes?: { type?: unknown };
  Name?: unknown;
  FirstName?: unknown;
  LastName?: unknown;
  Email?: unknown;
  AccountId?: unknown;
  Company?: unknown;
}

const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/** The records a DUPLICATES_DETECTED answer names, Contacts first. */
export function namedDuplicates(body: unknown): CachedPerson[] {
  const first = Array.isArray(body) ? (body[0] as Record<string, unknown> | undefined) : undefined;
  // The REST answer spells the key "duplicateResut"; accept the correct spelling as well.
  const result = (first?.duplicateResut ?? first?.duplicateResult) as { matchResults?: unknown } | undefined;
  const people: CachedPerson[] = [];
  for (const match of Array.isArray(result?.matchResults) ? result.matchResults : []) {
    const records = (match as { matchRecords?: unknown }).matchRecords;
    for (const item of Array.isArray(records) ? records : []) {
      const r = ((item as { record?: unknown }).record ?? {}) as MatchRecord;
      const id = text(r.Id);
      const type = r.attributes?.type ?? (id?.startsWith('003') ? 'Contact' : id?.startsWith('00Q') ? 'Lead' : undefined);
      if (!id || (type !== 'Contact' && type !== 'Lead')) continue;
      const name = text(r.Name) ?? ([text(r.FirstName), text(r.LastName)].filter(Boolean).join(' ') || undefined);
      people.push({
        id,
        type,
        ...(name ? { name } : {}),
        ...(text(r.Email) ? { email: text(r.Email)!.toLowerCase() } : {}),
        // A contact without a known account would be looked up again by address, which finds nothing.
        ...(type === 'Contact' ? { accountId: text(r.AccountId) ?? null } : {}),
        ...(type === 'Lead' && text(r.Company) ? { company: text(r.Company)! } : {}),
      });
    }
  }
  return people.sort((a, b) => (a.type === b.type ? 0 : a.type === 'Contact' ? -1 : 1));
}

/**
 * What the address is from now on, from the probe's answer: the lead it saved (the rule no
 * longer matches), the first record Salesforce named, or nothing (kept unresolved).
 * `result` is null when the probe got no answer.
 */
export function addressAfterProbe(email: string, lead: Fields, result: SubResult | null, now: number): CachedAddress {
  if (result?.ok) {
    const id = text((result.body as { id?: unknown } | null)?.id);
    if (id) {
      const name = [lead.FirstName, lead.LastName].filter((v) => typeof v === 'string' && v !== '').join(' ');
      return { email, records: [{ id, type: 'Lead', ...(name ? { name } : {}), email }], checkedAt: now, source: 'match' };
    }
  }
  const named = result && !result.ok && result.error.errorCode === 'DUPLICATES_DETECTED' ? namedDuplicates(result.body) : [];
  return { email, records: named.slice(0, 1), checkedAt: now, source: 'duplicate' };
}
