/**
 * Routes a REST request under /services/data/vXX.X to its handler and turns thrown Salesforce
 * errors into their JSON answers. Composite subrequests come through here too.
 */
import { archiveOldActivities } from '../activities';
import { errorResponse } from '../dml';
import { apiError } from '../errors';
import type { ApiRequest, EmulatorState, Reply } from '../state';
import { collectionCreate, collectionDelete, collectionRetrieve, collectionUpdate } from './collections';
import { composite } from './composite';
import { basicInfo, describe, describeGlobal } from './describe';
import { limits } from './limits';
import { nextPage, runQuery } from './query';
import { create, deleted, read, remove, update, updated } from './records';
import { search } from './search';

/** Handlers by lower-case HTTP method. */
type Handler = () => Reply;

function methods(req: ApiRequest, table: Record<string, Handler>): Reply {
  const handler = table[req.method.toLowerCase()];
  if (handler) return handler();
  const allowed = Object.keys(table).map((m) => m.toUpperCase());
  throw apiError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${req.method}' not allowed. Allowed are ${allowed.join(',')}`);
}

function resources(version: string): Reply {
  const base = `/services/data/v${version}`;
  const names = ['sobjects', 'query', 'queryAll', 'search', 'composite', 'limits'];
  return { status: 200, body: Object.fromEntries(names.map((n) => [n, `${base}/${n}`])) };
}

function route(state: EmulatorState, req: ApiRequest): Reply {
  const [head, ...rest] = req.path.split('/').filter(Boolean).map(decodeURIComponent);
  const v = req.version;
  switch (head) {
    case undefined:
      return methods(req, { get: () => resources(v) });
    case 'sobjects': {
      const [type, second, third] = rest;
      if (!type) return methods(req, { get: () => describeGlobal(v, state.store.settings) });
      if (!second) return methods(req, { get: () => basicInfo(type, v, state.store.settings), post: () => create(state, req, type) });
      if (third === undefined) {
        if (second === 'describe') return methods(req, { get: () => describe(type, v, state.store.settings) });
        if (second === 'updated') return methods(req, { get: () => updated(state, req, type) });
        if (second === 'deleted') return methods(req, { get: () => deleted(state, req, type) });
        return methods(req, {
          get: () => read(state, req, type, second),
          patch: () => update(state, req, type, second),
          delete: () => remove(state, req, type, second),
        });
      }
      break;
    }
    case 'query':
    case 'queryAll': {
      const all = head === 'queryAll';
      if (rest.length === 0) return methods(req, { get: () => runQuery(state, req, all) });
      if (rest.length === 1) return methods(req, { get: () => nextPage(state, req, all, rest[0]!) });
      break;
    }
    case 'composite':
      if (rest.length === 0) return methods(req, { post: () => composite(state, req) });
      if (rest[0] === 'sobjects' && rest.length === 1) {
        return methods(req, {
          post: () => collectionCreate(state, req),
          patch: () => collectionUpdate(state, req),
          delete: () => collectionDelete(state, req),
        });
      }
      if (rest[0] === 'sobjects' && rest.length === 2) {
        return methods(req, { get: () => collectionRetrieve(state, req, rest[1]!), post: () => collectionRetrieve(state, req, rest[1]!) });
      }
      break;
    case 'search':
      if (rest.length === 0) return methods(req, { get: () => search(state, req) });
      break;
    case 'limits':
      if (rest.length === 0) return methods(req, { get: () => limits(state) });
      break;
  }
  throw apiError(404, 'NOT_FOUND', 'The requested resource does not exist');
}

/** Handles one REST request; Salesforce errors become their status and error array. */
export function handleApi(state: EmulatorState, req: ApiRequest): Reply {
  try {
    archiveOldActivities(state.store);
    return route(state, req);
  } catch (error) {
    const { status, errors } = errorResponse(error);
    return { status, body: errors };
  }
}
