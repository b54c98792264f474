/** GET search?q=SOSL: {searchRecords: [...]} across the RETURNING objects. */
import { apiError } from '../errors';
import { runSearch } from '../sosl';
import type { ApiRequest, EmulatorState, Reply } from '../state';

export function search(state: EmulatorState, req: ApiRequest): Reply {
  const sosl = req.query.get('q');
  if (!sosl) throw apiError(400, 'MALFORMED_SEARCH', 'A search string has to be specified');
  return { status: 200, body: { searchRecords: runSearch(state.queries, sosl, req.version) } };
}
