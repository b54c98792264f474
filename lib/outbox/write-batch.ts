/**
 * Many write units as one all-or-none Composite call: new leads, activity records and their
 * child rows each go into sObject Collections (200 records each), with references between
 * them, and an optional query placed first that finds emails another tool logged already.
 * Pure: building the subrequests, and reading the answer back per unit.
 */

import { emailMessagesByIdentifier } from '../logging/soql-lookups';
import {
  COLLECTION_SIZE,
  type CollectionRecord,
  readSaveResults,
  type SaveResult,
  saveCollections,
  saveResultError,
} from '../salesforce/collections';
import { ALLOW_DUPLICATE_SAVE, COMPOSITE_LIMITS, isHeavy, queryPath, type SubResult, type Subrequest } from '../salesforce/composite';
import type { SalesforceError } from '../salesforce/errors';
import { type Fields, type FieldValue, isRecordRef, type WriteUnit } from './write-unit';

export type Collection = 'leads' | 'activities' | 'children';
const PREFIX: Record<Collection, string> = { leads: 'ld', activities: 'ac', children: 'ch' };
const SIZE = COLLECTION_SIZE;

/** Where one record of a unit sits in the batch: its collection subrequest and position. */
interface Slot {
  collection: Collection;
  global: number;
}

export interface WriteBatch {
  units: WriteUnit[];
  subrequests: Subrequest[];
  /** Index of the duplicate check among the subrequests, when there is one. */
  duplicateCheck: number | null;
  slots: Map<string, Record<Collection, Slot[]>>;
}

const chunkCount = (n: number) => Math.ceil(n / SIZE);

/** Queries and collections a set of units needs (Composite allows five in one call). */
export function heavyCount(units: readonly WriteUnit[]): number {
  const total = { leads: 0, activities: 0, children: 0 };
  let duplicate = false;
  for (const u of units) {
    total.leads += u.leads.length;
    total.activities += u.activities.length;
    total.children += u.children.length;
    duplicate ||= u.duplicateIdentifier !== undefined;
  }
  return (duplicate ? 1 : 0) + chunkCount(total.leads) + chunkCount(total.activities) + chunkCount(total.children);
}

/**
 * Splits units into batches that each fit one Composite call next to `reserved` heavy
 * subrequests (lookups sent in the same call). Units marked `solo` get a batch of their own.
 * A unit too large for any call is returned in `tooLarge`.
 */
export function packUnits(
  units: readonly WriteUnit[],
  options: { reservedFirst?: number; solo?: ReadonlySet<string> } = {},
): { batches: WriteUnit[][]; tooLarge: WriteUnit[] } {
  const limit = COMPOSITE_LIMITS.queriesAndCollections;
  const batches: WriteUnit[][] = [];
  const tooLarge: WriteUnit[] = [];
  let current: WriteUnit[] = [];
  const room = () => limit - (batches.length === 0 ? (options.reservedFirst ?? 0) : 0);
  for (const unit of units) {
    if (heavyCount([unit]) > limit) {
      tooLarge.push(unit);
      continue;
    }
    if (options.solo?.has(unit.key)) {
      if (current.length > 0) batches.push(current);
      current = [];
      batches.push([unit]);
      continue;
    }
    if (current.length > 0 && heavyCount([...current, unit]) > room()) {
      batches.push(current);
      current = [];
    }
    if (current.length === 0 && heavyCount([unit]) > room()) {
      // Does not fit next to the lookups: it opens the next call instead.
      batches.push([]);
    }
    current.push(unit);
  }
  if (current.length > 0) batches.push(current);
  return { batches: batches.filter((b) => b.length > 0), tooLarge };
}

const refTo = (slot: Slot) => `@{${PREFIX[slot.collection]}${Math.floor(slot.global / SIZE)}[${slot.global % SIZE}].id}`;

/**
 * The subrequests for one batch: the duplicate check, then leads, activities and their rows.
 * `allowDuplicateLeads` saves new leads that the org's duplicate rule only alerts about.
 */
export function buildWriteBatch(units: readonly WriteUnit[], options: { allowDuplicateLeads?: boolean } = {}): WriteBatch {
  const slots = new Map<string, Record<Collection, Slot[]>>();
  const records: Record<Collection, CollectionRecord[]> = { leads: [], activities: [], children: [] };
  for (const unit of units) {
    const unitSlots: Record<Collection, Slot[]> = { leads: [], activities: [], children: [] };
    slots.set(unit.key, unitSlots);
    const resolve = (fields: Fields): Record<string, unknown> => {
      const out: Record<string, unknown> = {};
      const one = (value: unknown) => {
        if (!isRecordRef(value)) return value;
        const slot = (value.ref === 'lead' ? unitSlots.leads : unitSlots.activities)[value.index];
        if (!slot) throw new Error(`a ${value.ref} reference points past the unit's records`);
        return refTo(slot);
      };
      for (const [name, value] of Object.entries(fields) as Array<[string, FieldValue]>) {
        out[name] = Array.isArray(value) ? value.map(one) : one(value);
      }
      return out;
    };
    for (const lead of unit.leads) {
      unitSlots.leads.push({ collection: 'leads', global: records.leads.length });
      records.leads.push({ type: 'Lead', fields: resolve(lead) });
    }
    for (const activity of unit.activities) {
      unitSlots.activities.push({ collection: 'activities', global: records.activities.length });
      records.activities.push({ type: activity.type, fields: resolve(activity.fields) });
    }
    for (const child of unit.children) {
      unitSlots.children.push({ collection: 'children', global: records.children.length });
      records.children.push({ type: child.type, fields: resolve(child.fields) });
    }
  }
  const subrequests: Subrequest[] = [];
  const identifiers = units.flatMap((u) => (u.duplicateIdentifier ? [u.duplicateIdentifier] : []));
  let duplicateCheck: number | null = null;
  if (identifiers.length > 0) {
    // First, so that it sees the org as it was before this write (collateSubrequests is off).
    const [soql] = emailMessagesByIdentifier(identifiers);
    if (soql) {
      duplicateCheck = 0;
      subrequests.push({ method: 'GET', path: queryPath(soql), referenceId: 'dup' });
    }
  }
  for (const collection of ['leads', 'activities', 'children'] as const) {
    subrequests.push(
      ...saveCollections('POST', records[collection], {
        allOrNone: true,
        referenceId: (n) => `${PREFIX[collection]}${n}`,
        ...(collection === 'leads' && options.allowDuplicateLeads ? { headers: ALLOW_DUPLICATE_SAVE } : {}),
      }),
    );
  }
  if (subrequests.filter(isHeavy).length > COMPOSITE_LIMITS.queriesAndCollections) throw new Error('a write batch does not fit one call');
  return { units: [...units], subrequests, duplicateCheck, slots };
}

export interface Culprit {
  key: string;
  error: SalesforceError;
  /** The refused record: its collection and its position among the unit's records there. */
  record?: { collection: Collection; index: number };
}

export type BatchOutcome =
  | {
      committed: true;
      /** Ids written per unit: activities first, then children, then new leads. */
      ids: Map<string, { activities: string[]; children: string[]; leads: string[] }>;
      /** Units whose email another tool had logged already (found by the check before writing). */
      duplicates: Set<string>;
    }
  | {
      committed: false;
      /** The unit whose record Salesforce refused, and which of its records, when it can be told. */
      culprit: Culprit | null;
      /** The first real error of the call. */
      error: SalesforceError;
    };

/** Reads a batch's answer: committed with ids, or refused (with the unit at fault when known). */
export function readWriteBatch(batch: WriteBatch, results: readonly SubResult[], offset = 0): BatchOutcome {
  const mine = results.slice(offset, offset + batch.subrequests.length);
  const saveResults = new Map<string, SaveResult[]>();
  let firstError: SalesforceError | null = null;
  let haltedError: SalesforceError | null = null;
  let culprit: Culprit | null = null;

  const unitAt = (collection: Collection, global: number) => {
    for (const [key, s] of batch.slots) {
      const index = s[collection].findIndex((slot) => slot.global === global);
      if (index >= 0) return { key, index };
    }
    return null;
  };

  batch.subrequests.forEach((sub, i) => {
    const result = mine[i];
    if (!result) {
      firstError ??= { kind: 'salesforceDown', message: `no answer for ${sub.referenceId}` };
      return;
    }
    if (!result.ok) {
      // A halted subrequest means something else failed; its own error is the last resort.
      if (result.halted) haltedError ??= result.error;
      else firstError ??= result.error;
      return;
    }
    if (sub.referenceId === 'dup') return;
    const list = readSaveResults(result.body) ?? [];
    saveResults.set(sub.referenceId, list);
    const collection = (Object.keys(PREFIX) as Collection[]).find((c) => sub.referenceId.startsWith(PREFIX[c]))!;
    const chunk = Number(sub.referenceId.slice(2));
    list.forEach((r, j) => {
      const refused = saveResultError(r);
      if (!refused || refused.rolledBack) return;
      const { error } = refused;
      firstError ??= error;
      const at = unitAt(collection, chunk * SIZE + j);
      if (at && !culprit) culprit = { key: at.key, error, record: { collection, index: at.index } };
    });
    if (list.length === 0) firstError ??= { kind: 'salesforceDown', message: `an empty answer for ${sub.referenceId}` };
  });

  const error = firstError ?? haltedError;
  if (error) return { committed: false, culprit, error };

  const idAt = (collection: Collection, slot: Slot) =>
    saveResults.get(`${PREFIX[collection]}${Math.floor(slot.global / SIZE)}`)?.[slot.global % SIZE]?.id ?? '';
  const ids = new Map<string, { activities: string[]; children: string[]; leads: string[] }>();
  for (const [key, s] of batch.slots) {
    ids.set(key, {
      activities: s.activities.map((slot) => idAt('activities', slot)),
      children: s.children.map((slot) => idAt('children', slot)),
      leads: s.leads.map((slot) => idAt('leads', slot)),
    });
  }
  const duplicates = new Set<string>();
  if (batch.duplicateCheck !== null) {
    const rows =
      ((mine[batch.duplicateCheck] as Extract<SubResult, { ok: true }>).body as { records?: Array<{ MessageIdentifier?: string }> })
        .records ?? [];
    const found = new Set(rows.map((r) => r.MessageIdentifier).filter((v): v is string => typeof v === 'string'));
    for (const unit of batch.units) if (unit.duplicateIdentifier && found.has(unit.duplicateIdentifier)) duplicates.add(unit.key);
  }
  return { committed: true, ids, duplicates };
}
