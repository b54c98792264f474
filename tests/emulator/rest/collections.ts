/**
 * sObject Collections: create, update and delete up to 200 records in one call, each with its
 * own result, or all-or-none (one failure rolls every record of the call back).
 */
import { createRecord, deleteRecord, errorResponse, liveRecord, updateRecord, writeOptions } from '../dml';
import { apiError, type SfError } from '../errors';
import { objectDef } from '../objects';
import type { ApiRequest, EmulatorState, Reply } from '../state';

const MAX_RECORDS = 200;
/** Mixed types are saved in chunks of consecutive records of one type, at most 10 a request. */
const MAX_CHUNKS = 10;

interface SaveResult {
  id?: string | null;
  success: boolean;
  errors: Array<{ statusCode: string; message: string; fields: string[] }>;
}

const ROLLED_BACK = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
};

/** Collections report `statusCode` where the rest of REST says `errorCode`. */
function failure(error: unknown, id?: string): SaveResult {
  const { errors } = errorResponse(error);
  return {
    ...(id !== undefined ? { id } : {}),
    success: false,
    errors: errors.map((e: SfError) => ({
      statusCode: e.errorCode === 'NOT_FOUND' ? 'INVALID_CROSS_REFERENCE_KEY' : e.errorCode,
      message: e.errorCode === 'NOT_FOUND' ? 'invalid cross reference id' : e.message,
      fields: e.fields ?? [],
    })),
  };
}

function records(req: ApiRequest): Array<Record<string, unknown>> {
  const body = req.body as { records?: unknown } | null;
  const list = body && typeof body === 'object' ? body.records : undefined;
  if (!Array.isArray(list)) throw apiError(400, 'JSON_PARSER_ERROR', 'The request body must have a records array');
  if (list.length > MAX_RECORDS) throw apiError(400, 'EXCEEDED_ID_LIMIT', `Maximum number of records is ${MAX_RECORDS}`);
  return list as Array<Record<string, unknown>>;
}

function typeOf(rec: Record<string, unknown>): string {
  const type = (rec.attributes as { type?: unknown } | undefined)?.type;
  if (typeof type !== 'string' || !objectDef(type)) {
    throw apiError(400, 'INVALID_TYPE', `sObject type '${String(type ?? '')}' is not supported.`);
  }
  return type;
}

/** Runs each item; with allOrNone, one failure undoes all and marks the others rolled back. */
function runAll(state: EmulatorState, allOrNone: boolean, items: Array<() => SaveResult>): SaveResult[] {
  const failed = (results: SaveResult[]) => allOrNone && results.some((r) => !r.success);
  const results = state.store.transaction(() => items.map((run) => run()), failed);
  if (!failed(results)) return results;
  return results.map((r) => (r.success ? { id: null, success: false, errors: [ROLLED_BACK] } : r));
}

function chunkCount(list: ReadonlyArray<Record<string, unknown>>): number {
  let chunks = 0;
  let previous: unknown;
  for (const rec of list) {
    const type = (rec.attributes as { type?: unknown } | undefined)?.type;
    if (chunks === 0 || type !== previous) chunks++;
    previous = type;
  }
  return chunks;
}

const TOO_MANY_CHUNKS = {
  statusCode: 'EXCEEDED_MAX_TYPES_LIMIT',
  message: `Cannot have more than ${MAX_CHUNKS} chunks in a single operation. Please rearrange the data to reduce chunking.`,
  fields: [],
};

/** Too many type chunks: every record is refused, nothing is saved. */
function chunkLimit(list: ReadonlyArray<Record<string, unknown>>, idOf: (rec: Record<string, unknown>) => unknown): Reply | null {
  if (chunkCount(list) <= MAX_CHUNKS) return null;
  return { status: 200, body: list.map((rec) => ({ id: idOf(rec) ?? null, success: false, errors: [TOO_MANY_CHUNKS] })) };
}

export function collectionCreate(state: EmulatorState, req: ApiRequest): Reply {
  const list = records(req);
  const tooMany = chunkLimit(list, () => null);
  if (tooMany) return tooMany;
  const allOrNone = (req.body as { allOrNone?: unknown }).allOrNone === true;
  const options = writeOptions(req.headers, req.version);
  const items = list.map((rec) => () => {
    try {
      if (rec.Id !== undefined || rec.id !== undefined) {
        throw apiError(400, 'INVALID_FIELD', 'Records in a create request must not have an Id', ['Id']);
      }
      const { attributes: _, ...fields } = rec;
      return { id: createRecord(state.store, typeOf(rec), fields, req.userId, false, options), success: true, errors: [] };
    } catch (error) {
      return failure(error);
    }
  });
  return { status: 200, body: runAll(state, allOrNone, items) };
}

export function collectionUpdate(state: EmulatorState, req: ApiRequest): Reply {
  const list = records(req);
  const tooMany = chunkLimit(list, (rec) => rec.id ?? rec.Id);
  if (tooMany) return tooMany;
  const allOrNone = (req.body as { allOrNone?: unknown }).allOrNone === true;
  const items = list.map((rec) => () => {
    const id = typeof rec.id === 'string' ? rec.id : typeof rec.Id === 'string' ? rec.Id : undefined;
    try {
      if (!id) throw apiError(400, 'MISSING_ARGUMENT', 'Id not specified in an update call', ['Id']);
      const { attributes: _, id: _lower, Id: _upper, ...fields } = rec;
      updateRecord(state.store, typeOf(rec), id, fields, req.userId);
      return { id: liveRecord(state.store, typeOf(rec), id).rec.Id, success: true, errors: [] };
    } catch (error) {
      return failure(error, id);
    }
  });
  return { status: 200, body: runAll(state, allOrNone, items) };
}

export function collectionDelete(state: EmulatorState, req: ApiRequest): Reply {
  const ids = (req.query.get('ids') ?? '').split(',').filter(Boolean);
  if (ids.length === 0) throw apiError(400, 'MISSING_ARGUMENT', 'ids parameter is required');
  if (ids.length > MAX_RECORDS) throw apiError(400, 'EXCEEDED_ID_LIMIT', `Maximum number of records is ${MAX_RECORDS}`);
  const allOrNone = req.query.get('allOrNone') === 'true';
  const items = ids.map((id) => () => {
    try {
      const found = state.store.find(id);
      if (!found) throw apiError(400, 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
      deleteRecord(state.store, found.table.def.name, id, req.userId);
      return { id: found.rec.Id, success: true, errors: [] };
    } catch (error) {
      return failure(error, id);
    }
  });
  return { status: 200, body: runAll(state, allOrNone, items) };
}

/** GET composite/sobjects/{T}?ids=&fields= (or POST with them in the body): the records in order, null where there is none. */
export function collectionRetrieve(state: EmulatorState, req: ApiRequest, type: string): Reply {
  const def = objectDef(type);
  if (!def) throw apiError(404, 'NOT_FOUND', 'The requested resource does not exist');
  // GET takes ids and fields in the query; POST (for long id lists) in the body.
  const posted = (req.method === 'POST' ? req.body : undefined) as { ids?: unknown; fields?: unknown } | undefined;
  const list = (name: 'ids' | 'fields') => {
    const fromBody = posted?.[name];
    return Array.isArray(fromBody) ? fromBody.map(String) : (req.query.get(name) ?? '').split(',').filter(Boolean);
  };
  const ids = list('ids');
  const fieldNames = list('fields');
  if (ids.length === 0 || fieldNames.length === 0) throw apiError(400, 'MISSING_ARGUMENT', 'ids and fields parameters are required');
  const fields = fieldNames.map((name) => {
    const f = def.field.get(name.trim().toLowerCase());
    if (!f) throw apiError(400, 'INVALID_FIELD', `No such column '${name}' on entity '${def.name}'.`);
    return f;
  });
  const body = ids.map((id) => {
    const found = state.store.find(id);
    if (!found || found.table.def !== def || found.rec.IsDeleted) return null;
    const row: Record<string, unknown> = {
      attributes: { type: def.name, url: `/services/data/v${req.version}/sobjects/${def.name}/${found.rec.Id}` },
    };
    for (const f of fields) row[f.name] = found.rec[f.name] ?? null;
    return row;
  });
  return { status: 200, body };
}
