/**
 * Single records: create (201), read, update (204), delete (204), and the replication
 * resources `updated` (30 days of history) and `deleted` (15 days).
 */
import { createRecord, deleteRecord, liveRecord, updateRecord, writeOptions } from '../dml';
import { apiError } from '../errors';
import type { ApiRequest, EmulatorState, Reply } from '../state';
import { formatDateTime } from '../store';
import { knownObject } from './describe';

const MINUTE = 60_000;
const DAY = 86_400_000;

export function create(state: EmulatorState, req: ApiRequest, type: string): Reply {
  knownObject(type);
  const id = createRecord(state.store, type, req.body, req.userId, false, writeOptions(req.headers, req.version));
  return { status: 201, body: { id, success: true, errors: [] } };
}

export function read(state: EmulatorState, req: ApiRequest, type: string, id: string): Reply {
  knownObject(type);
  const { table, rec } = liveRecord(state.store, type, id, 'NOT_FOUND');
  const def = table.def;
  const wanted = req.query.get('fields');
  const fields = wanted
    ? wanted.split(',').map((name) => {
        const f = def.field.get(name.trim().toLowerCase());
        if (!f) throw apiError(400, 'INVALID_FIELD', `No such column '${name.trim()}' on entity '${def.name}'.`);
        return f;
      })
    : def.fields.filter((f) => f.type !== 'junctionidlist');
  const body: Record<string, unknown> = {
    attributes: { type: def.name, url: `/services/data/v${req.version}/sobjects/${def.name}/${rec.Id}` },
  };
  for (const f of fields) body[f.name] = rec[f.name] ?? null;
  return { status: 200, body };
}

export function update(state: EmulatorState, req: ApiRequest, type: string, id: string): Reply {
  knownObject(type);
  updateRecord(state.store, type, id, req.body, req.userId);
  return { status: 204 };
}

export function remove(state: EmulatorState, req: ApiRequest, type: string, id: string): Reply {
  knownObject(type);
  deleteRecord(state.store, type, id, req.userId);
  return { status: 204 };
}

/** start/end of the replication resources, seconds dropped as Salesforce does. */
function window(state: EmulatorState, req: ApiRequest, historyDays: number) {
  const parse = (name: string) => {
    const raw = req.query.get(name);
    const ms = raw ? Date.parse(raw) : Number.NaN;
    if (Number.isNaN(ms))
      throw apiError(400, 'INVALID_REPLICATION_DATE', `${name} must be a valid dateTime, e.g. 2024-05-01T00:00:00+00:00`);
    return Math.floor(ms / MINUTE) * MINUTE;
  };
  const start = parse('start');
  const end = parse('end');
  const now = state.store.now();
  // Salesforce refuses a window of one minute or less (after dropping the seconds).
  if (end - start <= MINUTE)
    throw apiError(400, 'INVALID_REPLICATION_DATE', 'startDate must chronologically precede endDate by more than one minute');
  if (start < now - historyDays * DAY) {
    throw apiError(400, 'INVALID_REPLICATION_DATE', `startDate cannot be more than ${historyDays} days ago`);
  }
  // The last full minute that has passed: changes in the current minute may still be committing.
  const latest = Math.min(end, Math.floor(now / MINUTE) * MINUTE);
  return { start, latest };
}

export function updated(state: EmulatorState, req: ApiRequest, type: string): Reply {
  const def = knownObject(type);
  const { start, latest } = window(state, req, 30);
  const ids: string[] = [];
  for (const rec of state.store.table(def.name)!.rows.values()) {
    if (rec.IsDeleted) continue;
    const stamp = Date.parse(rec.SystemModstamp as string);
    if (stamp >= start && stamp < latest) ids.push(rec.Id);
  }
  return { status: 200, body: { ids, latestDateCovered: formatDateTime(latest) } };
}

export function deleted(state: EmulatorState, req: ApiRequest, type: string): Reply {
  const def = knownObject(type);
  const { start, latest } = window(state, req, 15);
  const now = state.store.now();
  const purgedBefore = now - 15 * DAY;
  const deletedRecords: Array<{ id: string; deletedDate: string }> = [];
  let lastPurged = 0;
  for (const rec of state.store.table(def.name)!.rows.values()) {
    if (!rec.IsDeleted) continue;
    const stamp = Date.parse(rec.SystemModstamp as string);
    if (stamp < purgedBefore) lastPurged = Math.max(lastPurged, stamp);
    else if (stamp >= start && stamp < latest) deletedRecords.push({ id: rec.Id, deletedDate: rec.SystemModstamp as string });
  }
  // The last physical purge: the recycle bin emptied, or records aged out of the 15 days.
  const earliest = Math.max(lastPurged, state.store.purgedAt) || Math.floor(purgedBefore / MINUTE) * MINUTE;
  return {
    status: 200,
    body: { deletedRecords, earliestDateAvailable: formatDateTime(earliest), latestDateCovered: formatDateTime(latest) },
  };
}
