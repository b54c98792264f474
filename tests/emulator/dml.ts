/**
 * Creating, updating and deleting records with Salesforce's checks: unknown and read-only
 * fields, types, lengths, restricted picklists, required fields, references, and the
 * cross-record activity rules. Every failure is a list of record errors, nothing is written.
 */
import { afterWrite, crossRecordErrors, deriveFromOthers, orgRuleErrors } from './activities';
import { type DuplicateHeader, duplicateHeader, leadDuplicateError } from './duplicates';
import { ApiError, apiError, recordError, type SfError } from './errors';
import { toId18 } from './ids';
import type { FieldDef, ObjectDef, Rec } from './objects';
import { formatDateTime, type OrgStore, type Table } from './store';

export class RecordErrors extends Error {
  constructor(
    readonly errors: SfError[],
    readonly status = 400,
  ) {
    super(errors.map((e) => `${e.errorCode}: ${e.message}`).join('; '));
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function jsonError(f: FieldDef, value: unknown, kind: string): SfError {
  return recordError(
    'JSON_PARSER_ERROR',
    `Cannot deserialize instance of ${kind} from ${typeof value === 'string' ? 'VALUE_STRING' : 'VALUE'} value ${JSON.stringify(value)} or request may be missing a required field`,
    [f.name],
  );
}

/** Converts one JSON value to what the field stores, or explains why it cannot. */
function coerce(store: OrgStore, f: FieldDef, value: unknown): { value: unknown } | { error: SfError } {
  if (value === null || value === '') {
    return { value: f.type === 'boolean' ? false : null };
  }
  switch (f.type) {
    case 'boolean':
      if (typeof value === 'boolean') return { value };
      if (value === 'true' || value === 'false') return { value: value === 'true' };
      return { error: jsonError(f, value, 'boolean') };
    case 'int':
    case 'double':
    case 'currency':
    case 'percent': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
      if (!Number.isFinite(n) || (f.type === 'int' && !Number.isInteger(n))) return { error: jsonError(f, value, f.type) };
      return { value: n };
    }
    case 'date':
      if (typeof value === 'string' && DATE.test(value) && !Number.isNaN(Date.parse(value))) return { value };
      return { error: jsonError(f, value, 'date') };
    case 'datetime': {
      const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
      if (Number.isNaN(ms)) return { error: jsonError(f, value, 'datetime') };
      return { value: formatDateTime(ms) };
    }
    case 'junctionidlist': {
      if (!Array.isArray(value)) return { error: jsonError(f, value, 'list of ids') };
      const ids: string[] = [];
      for (const item of value) {
        const one = coerce(store, { ...f, type: 'reference' }, item);
        if ('error' in one) return one;
        ids.push(one.value as string);
      }
      return { value: ids };
    }
    case 'reference': {
      if (typeof value !== 'string') return { error: jsonError(f, value, 'id') };
      const id = toId18(value);
      if (!id) return { error: recordError('MALFORMED_ID', `${f.label}: id value of incorrect type: ${value}`, [f.name]) };
      const target = store.find(id);
      if (!target) {
        const knownPrefix = f.referenceTo.some((t) => store.table(t)?.def.keyPrefix === id.slice(0, 3));
        return knownPrefix
          ? { error: recordError('INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, [f.name]) }
          : { error: recordError('FIELD_INTEGRITY_EXCEPTION', `${f.label}: id value of incorrect type: ${value}`, [f.name]) };
      }
      if (!f.referenceTo.includes(target.table.def.name)) {
        return { error: recordError('FIELD_INTEGRITY_EXCEPTION', `${f.label}: id value of incorrect type: ${value}`, [f.name]) };
      }
      if (target.rec.IsDeleted) return { error: recordError('ENTITY_IS_DELETED', 'entity is deleted', [f.name]) };
      return { value: id };
    }
    default: {
      if (typeof value === 'object') return { error: jsonError(f, value, 'String') };
      const s = String(value);
      if (f.length && s.length > f.length) {
        const shown = s.length > 100 ? `${s.slice(0, 100)}(truncated)` : s;
        return { error: recordError('STRING_TOO_LONG', `${f.label}: data value too large: ${shown} (max length=${f.length})`, [f.name]) };
      }
      if (f.type === 'email' && !EMAIL.test(s)) {
        return { error: recordError('INVALID_EMAIL_ADDRESS', `${f.label}: invalid email address: ${s}`, [f.name]) };
      }
      if (f.restrictedPicklist && f.picklist && !f.picklist.includes(s)) {
        return {
          error: recordError('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${f.label}: bad value for restricted picklist field: ${s}`, [
            f.name,
          ]),
        };
      }
      return { value: s };
    }
  }
}

/** Applies a JSON body's fields to `target`, collecting every error Salesforce would report. */
function applyBody(
  store: OrgStore,
  def: ObjectDef,
  body: Record<string, unknown>,
  target: Rec,
  creating: boolean,
  system = false,
): SfError[] {
  const errors: SfError[] = [];
  const readOnly: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (key === 'attributes') continue;
    const f = def.field.get(key.toLowerCase());
    if (!f) {
      errors.push(recordError('INVALID_FIELD', `No such column '${key}' on sobject of type ${def.name}`, [key]));
      continue;
    }
    if (f.name === 'Id' && !creating) continue;
    if (!system && !(creating ? f.createable : f.updateable)) {
      readOnly.push(f.name);
      continue;
    }
    const result = coerce(store, f, value);
    if ('error' in result) errors.push(result.error);
    else target[f.name] = result.value;
  }
  if (readOnly.length > 0) {
    errors.unshift(
      recordError(
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        `Unable to create/update fields: ${readOnly.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        readOnly,
      ),
    );
  }
  return errors;
}

function missingRequired(def: ObjectDef, rec: Rec): SfError[] {
  const missing = def.fields.filter(
    (f) => !f.nillable && f.createable && f.type !== 'boolean' && (rec[f.name] === null || rec[f.name] === undefined),
  );
  if (missing.length === 0) return [];
  const names = missing.map((f) => f.name);
  return [recordError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${names.join(', ')}]`, names)];
}

function tableFor(store: OrgStore, type: string, operation: 'create' | 'update' | 'delete', system = false): Table {
  const table = store.table(type);
  if (!table) {
    throw apiError(404, 'NOT_FOUND', `The requested resource does not exist`);
  }
  const allowed = operation === 'create' ? table.def.createable : operation === 'update' ? table.def.updateable : table.def.deletable;
  if (!allowed && !system) {
    throw new RecordErrors([recordError('INVALID_TYPE_FOR_OPERATION', `entity type ${table.def.name} does not support ${operation}`)]);
  }
  return table;
}

function checkBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new RecordErrors([recordError('JSON_PARSER_ERROR', 'The request body must be a JSON object of field values')]);
  }
  return body as Record<string, unknown>;
}

/**
 * Creates a record and returns its id; throws RecordErrors (400) when Salesforce would refuse it.
 * `system` is for seeding: it may set read-only fields (CreatedDate, IsDeleted, ...) and create
 * objects the API cannot (User, Organization), with every other check still applied.
 */
export interface WriteOptions {
  /** The request's Sforce-Duplicate-Rule-Header. */
  duplicates?: DuplicateHeader;
  /** The API version of the request (for record URLs in answers). */
  version?: string;
}

/** The write options of a REST request, from its headers. */
export function writeOptions(headers: Record<string, string | undefined>, version: string): WriteOptions {
  return { duplicates: duplicateHeader(headers['sforce-duplicate-rule-header']), version };
}

export function createRecord(
  store: OrgStore,
  type: string,
  body: unknown,
  userId: string,
  system = false,
  options: WriteOptions = {},
): string {
  const table = tableFor(store, type, 'create', system);
  const def = table.def;
  const fields = checkBody(body);
  const now = store.nowString();
  const rec: Rec = { Id: store.newId(def) };
  for (const f of def.fields) {
    if (f.defaultValue !== undefined) rec[f.name] = f.defaultValue;
    else if (f.type !== 'id' && f.type !== 'junctionidlist') rec[f.name] = null;
  }
  Object.assign(rec, {
    IsDeleted: false,
    CreatedDate: now,
    CreatedById: userId,
    LastModifiedDate: now,
    LastModifiedById: userId,
    SystemModstamp: now,
  });
  const errors = applyBody(store, def, fields, rec, true, system);
  if (system && !('SystemModstamp' in fields)) rec.SystemModstamp = rec.LastModifiedDate;
  if (def.field.has('ownerid') && rec.OwnerId == null) rec.OwnerId = userId;
  // Like Salesforce, report what is wrong with the values given before what is missing.
  if (errors.length === 0) errors.push(...missingRequired(def, rec));
  if (errors.length === 0) errors.push(...crossRecordErrors(store, def.name, rec, undefined));
  if (errors.length === 0 && !system) errors.push(...orgRuleErrors(store, def.name, rec, undefined));
  if (errors.length === 0 && !system && def.name === 'Lead') {
    const duplicate = leadDuplicateError(store, rec, options.duplicates ?? duplicateHeader(undefined), options.version ?? '62.0');
    if (duplicate) errors.push(duplicate);
  }
  if (errors.length > 0) throw new RecordErrors(errors);
  def.compute?.(rec, undefined, rec.LastModifiedDate as string);
  deriveFromOthers(store, def.name, rec);
  const junctions = takeJunctions(def, rec);
  store.transaction(() => {
    store.put(table, rec);
    afterWrite(store, def.name, rec, undefined, { userId, junctions, create: (t, b) => createRecord(store, t, b, userId, true) });
  });
  return rec.Id;
}

/** Removes the write-only id lists (ToIds, ...) from a record; they become relation records. */
function takeJunctions(def: ObjectDef, rec: Rec): Record<string, string[]> {
  const junctions: Record<string, string[]> = {};
  for (const f of def.fields) {
    if (f.type !== 'junctionidlist') continue;
    if (Array.isArray(rec[f.name])) junctions[f.name] = rec[f.name] as string[];
    delete rec[f.name];
  }
  return junctions;
}

/** The live (not deleted) record of this type, or the 404 Salesforce answers. */
export function liveRecord(store: OrgStore, type: string, id: string, deletedCode = 'ENTITY_IS_DELETED'): { table: Table; rec: Rec } {
  const table = store.table(type);
  const id18 = toId18(id);
  const rec = table && id18 ? table.rows.get(id18) : undefined;
  if (!table || !rec) {
    if (table && !id18) throw apiError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${id}`);
    throw apiError(404, 'NOT_FOUND', 'The requested resource does not exist');
  }
  if (rec.IsDeleted) {
    throw deletedCode === 'NOT_FOUND'
      ? apiError(404, 'NOT_FOUND', 'The requested resource does not exist')
      : apiError(404, 'ENTITY_IS_DELETED', 'entity is deleted', []);
  }
  return { table, rec };
}

export function updateRecord(store: OrgStore, type: string, id: string, body: unknown, userId: string): void {
  tableFor(store, type, 'update');
  const { table, rec: previous } = liveRecord(store, type, id);
  const def = table.def;
  const fields = checkBody(body);
  const now = store.nowString();
  const rec: Rec = { ...previous };
  const errors = applyBody(store, def, fields, rec, false);
  // Like Salesforce, report what is wrong with the values given before what is missing.
  if (errors.length === 0) errors.push(...missingRequired(def, rec));
  if (errors.length === 0) errors.push(...crossRecordErrors(store, def.name, rec, previous));
  if (errors.length === 0) errors.push(...orgRuleErrors(store, def.name, rec, previous));
  if (errors.length > 0) throw new RecordErrors(errors);
  Object.assign(rec, { LastModifiedDate: now, LastModifiedById: userId, SystemModstamp: now });
  def.compute?.(rec, previous, now);
  deriveFromOthers(store, def.name, rec);
  const junctions = takeJunctions(def, rec);
  store.transaction(() => {
    store.put(table, rec);
    afterWrite(store, def.name, rec, previous, { userId, junctions, create: (t, b) => createRecord(store, t, b, userId, true) });
  });
}

/** Moves a record (and the children Salesforce deletes with it) to the recycle bin. */
export function deleteRecord(store: OrgStore, type: string, id: string, userId: string): void {
  tableFor(store, type, 'delete');
  const { table, rec } = liveRecord(store, type, id);
  store.transaction(() => softDelete(store, table, rec, userId));
}

function softDelete(store: OrgStore, table: Table, rec: Rec, userId: string): void {
  const now = store.nowString();
  store.put(table, { ...rec, IsDeleted: true, LastModifiedDate: now, LastModifiedById: userId, SystemModstamp: now });
  for (const child of table.def.childRelationships) {
    if (!child.cascadeDelete) continue;
    const childTable = store.table(child.childSObject)!;
    for (const childId of [...(store.lookup(childTable, child.field, rec.Id) ?? [])]) {
      const childRec = childTable.rows.get(childId);
      if (childRec && !childRec.IsDeleted) softDelete(store, childTable, childRec, userId);
    }
  }
}

/** Converts thrown DML errors to Salesforce's response: status and error array. */
export function errorResponse(error: unknown): { status: number; errors: SfError[] } {
  if (error instanceof RecordErrors) return { status: error.status, errors: error.errors };
  if (error instanceof ApiError) return { status: error.status, errors: error.errors };
  throw error;
}
