/** query and queryAll: SOQL results in pages of up to 2,000 rows with nextRecordsUrl. */
import { apiError } from '../errors';
import type { ApiRequest, EmulatorState, Reply } from '../state';

const CURSOR_IDLE_MS = 15 * 60_000;
const MAX_CURSORS = 1000;

function batchSize(req: ApiRequest): number {
  const match = /batchSize=(\d+)/i.exec(req.headers['sforce-query-options'] ?? '');
  const n = match ? Number(match[1]) : 2000;
  return Math.min(2000, Math.max(200, n));
}

export function runQuery(state: EmulatorState, req: ApiRequest, includeDeleted: boolean): Reply {
  const soql = req.query.get('q');
  if (!soql) throw apiError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
  const result = state.queries.run(soql, { includeDeleted, version: req.version });
  const size = batchSize(req);
  if (result.rows.length <= size) {
    return { status: 200, body: { totalSize: result.totalSize, done: true, records: result.rows } };
  }
  prune(state);
  const cursorId = `01g5g${String(state.cursorCounter++).padStart(10, '0')}`;
  state.cursors.set(cursorId, { rows: result.rows, lastUsed: state.store.now() });
  return { status: 200, body: page(req, includeDeleted, cursorId, result.rows, 0, size) };
}

function page(req: ApiRequest, includeDeleted: boolean, cursorId: string, rows: unknown[], offset: number, size: number) {
  const end = offset + size;
  const done = end >= rows.length;
  return {
    totalSize: rows.length,
    done,
    ...(done ? {} : { nextRecordsUrl: `/services/data/v${req.version}/${includeDeleted ? 'queryAll' : 'query'}/${cursorId}-${end}` }),
    records: rows.slice(offset, end),
  };
}

/** GET query/{cursor}-{offset}: the next page of an earlier result. */
export function nextPage(state: EmulatorState, req: ApiRequest, includeDeleted: boolean, locator: string): Reply {
  const match = /^(.+)-(\d+)$/.exec(locator);
  const cursor = match ? state.cursors.get(match[1]!) : undefined;
  if (!match || !cursor || Number(match[2]) > cursor.rows.length) throw apiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
  cursor.lastUsed = state.store.now();
  return { status: 200, body: page(req, includeDeleted, match[1]!, cursor.rows, Number(match[2]), batchSize(req)) };
}

function prune(state: EmulatorState): void {
  const now = state.store.now();
  for (const [id, cursor] of state.cursors) if (now - cursor.lastUsed > CURSOR_IDLE_MS) state.cursors.delete(id);
  while (state.cursors.size >= MAX_CURSORS) state.cursors.delete(state.cursors.keys().next().value!);
}
