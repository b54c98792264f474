/**
 * The Standard Lead Duplicate Rule, active in every new org: a new Lead is compared with the
 * org's Leads and Contacts, and a match refuses the save with DUPLICATES_DETECTED unless the
 * rule only alerts and the request says `Sforce-Duplicate-Rule-Header: allowSave=true`.
 *
 * The matching is a deterministic stand-in for Salesforce's fuzzy matching rules: same last
 * name and first name (case and spacing ignored), and the same email or the same company (a
 * Contact's company is its Account's name). See README.md, "Org rules".
 */
import type { SfError } from './errors';
import type { Rec } from './objects';
import type { OrgStore } from './store';

/** The REST answer names the matches under this key, misspelt as Salesforce spells it. */
export const DUPLICATE_RESULT_KEY = 'duplicateResut';
export const DUPLICATE_MESSAGE = 'Use one of these records?';

export interface DuplicateHeader {
  allowSave: boolean;
  includeRecordDetails: boolean;
}

/** `Sforce-Duplicate-Rule-Header: allowSave=true; includeRecordDetails=true` (all false by default). */
export function duplicateHeader(value: string | undefined): DuplicateHeader {
  const flags = new Map(
    (value ?? '')
      .split(/[;,]/)
      .map((part) => part.trim().split('='))
      .map(
        ([k, v]) =>
          [
            String(k).trim().toLowerCase(),
            String(v ?? '')
              .trim()
              .toLowerCase() === 'true',
          ] as const,
      ),
  );
  return { allowSave: flags.get('allowsave') === true, includeRecordDetails: flags.get('includerecorddetails') === true };
}

const norm = (v: unknown) =>
  String(v ?? '')
    .trim()
    .replace(/\s+/g, ' ')
    .toLowerCase();
const same = (a: unknown, b: unknown) => norm(a) !== '' && norm(a) === norm(b);

function companyOf(store: OrgStore, rec: Rec, type: 'Lead' | 'Contact'): string {
  if (type === 'Lead') return norm(rec.Company);
  const account = typeof rec.AccountId === 'string' ? store.find(rec.AccountId)?.rec : undefined;
  return norm(account?.Name);
}

function matches(store: OrgStore, lead: Rec, other: Rec, type: 'Lead' | 'Contact'): boolean {
  if (!same(lead.LastName, other.LastName) || !same(lead.FirstName, other.FirstName)) return false;
  if (same(lead.Email, other.Email)) return true;
  const company = norm(lead.Company);
  return company !== '' && company === companyOf(store, other, type);
}

/** Keeps the DuplicateRule row SOQL reads in step with the org's setting. */
export function syncDuplicateRuleRecord(store: OrgStore): void {
  const table = store.table('DuplicateRule')!;
  const existing = [...table.rows.values()].find((r) => r.DeveloperName === 'Standard_Lead_Duplicate_Rule');
  const now = store.nowString();
  const userId = [...store.table('User')!.rows.keys()][0] ?? null;
  store.put(table, {
    Id: existing?.Id ?? store.newId(table.def),
    DeveloperName: 'Standard_Lead_Duplicate_Rule',
    MasterLabel: 'Standard Lead Duplicate Rule',
    SobjectType: 'Lead',
    IsActive: store.settings.leadDuplicateRule !== 'off',
    IsDeleted: false,
    CreatedDate: existing?.CreatedDate ?? now,
    CreatedById: existing?.CreatedById ?? userId,
    LastModifiedDate: now,
    LastModifiedById: userId,
    SystemModstamp: now,
  });
}

/** The error record Salesforce answers, or null when the new lead matches nothing. */
export function leadDuplicateError(store: OrgStore, lead: Rec, header: DuplicateHeader, version: string): SfError | null {
  const action = store.settings.leadDuplicateRule;
  if (action === 'off') return null;
  const results: Array<Record<string, unknown>> = [];
  for (const [type, rule] of [
    ['Lead', 'Standard_Lead_Match_Rule_v1_0'],
    ['Contact', 'Standard_Contact_Match_Rule_v1_1'],
  ] as const) {
    const found = [...store.table(type)!.rows.values()].filter(
      (r) => !r.IsDeleted && r.Id !== lead.Id && !(type === 'Lead' && r.IsConverted === true) && matches(store, lead, r, type),
    );
    if (found.length === 0) continue;
    results.push({
      entityType: type,
      errors: [],
      matchEngine: 'FuzzyMatchEngine',
      matchRecords: found.map((r) => ({
        additionalInformation: [],
        fieldDiffs: [],
        matchConfidence: 100.0,
        record: {
          attributes: { type, url: `/services/data/v${version}/sobjects/${type}/${r.Id}` },
          Id: r.Id,
          ...(header.includeRecordDetails
            ? {
                FirstName: r.FirstName ?? null,
                LastName: r.LastName,
                Name: r.Name,
                Email: r.Email ?? null,
                ...(type === 'Contact' ? { AccountId: r.AccountId ?? null } : { Company: r.Company }),
              }
            : {}),
        },
      })),
      rule,
      size: found.length,
      success: true,
    });
  }
  if (results.length === 0) return null;
  if (action === 'alert' && header.allowSave) return null;
  return {
    [DUPLICATE_RESULT_KEY]: {
      allowSave: action === 'alert',
      duplicateRule: 'Standard_Lead_Duplicate_Rule',
      duplicateRuleEntityType: 'Lead',
      errorMessage: DUPLICATE_MESSAGE,
      matchResults: results,
    },
    errorCode: 'DUPLICATES_DETECTED',
    message: DUPLICATE_MESSAGE,
  } as SfError;
}
