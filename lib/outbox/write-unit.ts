/**
 * What one outbox job writes to Salesforce, independent of the kind of job (an email, a call):
 * leads to create first, the activity records (Task or EmailMessage), and rows that hang off
 * them (TaskRelation, EmailMessageRelation). Fields may point at records created in the same
 * write; the runner turns those into composite references, so a whole unit is written in one
 * all-or-none call.
 */

/** A record created earlier in the same write: the n-th new lead, or the n-th activity record. */
export type RecordRef = { ref: 'lead' | 'activity'; index: number };

export type FieldValue = string | number | boolean | null | RecordRef | Array<string | RecordRef>;
export type Fields = Record<string, FieldValue>;

export type ActivityType = 'Task' | 'EmailMessage';
export type ChildType = 'TaskRelation' | 'EmailMessageRelation';

/**
 * How to find a unit's records after a write whose answer never came. Each identifies the
 * records of this one unit and no other: an earlier email or call to the same person never
 * passes for it (docs/exactly-once.md).
 */
export type WriteProof =
  /** An EmailMessage the rep created with this MessageIdentifier. */
  | { type: 'EmailMessage'; identifier: string }
  /** A Task the rep created with this Subject whose Description contains `marker` (a line unique to the unit). */
  | { type: 'Task'; subject: string; marker: string }
  /** A Task the rep created whose CallObject is this unit's own id (a logged call). */
  | { type: 'Call'; callObject: string }
  /**
   * Written before proofs were unique: a call's Task by Subject and WhoId. Only read, for
   * attempts stored by an older version; never made.
   */
  | { type: 'Task'; subject: string; marker?: undefined; whoId: string };

export interface WriteUnit {
  /** The outbox key the unit belongs to. */
  key: string;
  leads: Fields[];
  activities: Array<{ type: ActivityType; fields: Fields }>;
  children: Array<{ type: ChildType; fields: Fields }>;
  /**
   * An RFC Message-ID that, when an EmailMessage with it already exists in the org (from the
   * rep's other tools), means this email is logged already and the unit must not stay.
   */
  duplicateIdentifier?: string;
  proof: WriteProof;
}

export const isRecordRef = (value: unknown): value is RecordRef =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && 'ref' in value;

/** Records in a unit, by collection: what it costs against the 200-record collections. */
export const unitSize = (unit: WriteUnit) => ({
  leads: unit.leads.length,
  activities: unit.activities.length,
  children: unit.children.length,
});
