/**
 * Composite: up to 25 subrequests in one call (which counts as ONE API call), where later
 * subrequests use earlier results through `@{referenceId.path}`; allOrNone rolls back all.
 */
import { apiError } from '../errors';
import type { ApiRequest, EmulatorState, Reply } from '../state';
import { handleApi } from './router';

const MAX_SUBREQUESTS = 25;
const REFERENCE = /@\{([A-Za-z_][A-Za-z0-9_]*)((?:\.[A-Za-z0-9_]+|\[\d+\])+)\}/g;

interface SubRequest {
  method?: unknown;
  url?: unknown;
  referenceId?: unknown;
  body?: unknown;
  httpHeaders?: Record<string, string>;
}

interface SubResponse {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
}

const halted = (message: string) => [{ errorCode: 'PROCESSING_HALTED', message }];
const ROLLED_BACK = 'The transaction was rolled back since another operation in the same transaction failed.';

class MissingReference extends Error {}

/** Value at `.records[0].Id`-style path in an earlier subrequest's answer. */
function lookupPath(root: unknown, path: string): unknown {
  let value = root;
  for (const [, key, index] of path.matchAll(/\.([A-Za-z0-9_]+)|\[(\d+)\]/g)) {
    if (value === null || typeof value !== 'object') return undefined;
    value = index !== undefined ? (value as unknown[])[Number(index)] : (value as Record<string, unknown>)[key!];
  }
  return value;
}

function resolve(text: string, results: Map<string, SubResponse>): unknown {
  const replace = (whole: string, ref: string, path: string): unknown => {
    const earlier = results.get(ref);
    const value = earlier && earlier.httpStatusCode < 400 ? lookupPath(earlier.body, path) : undefined;
    if (value === undefined) {
      throw new MissingReference(
        `Invalid reference specified. No value for ${ref}${path} found in ${ref}. Provided referenceId ('${ref}') must match a previous subrequest's referenceId.`,
      );
    }
    return whole === text ? value : String(value);
  };
  const exact = new RegExp(`^${REFERENCE.source}$`).exec(text);
  if (exact) return replace(text, exact[1]!, exact[2]!);
  return text.replace(REFERENCE, (whole, ref: string, path: string) => String(replace(whole, ref, path)));
}

function resolveDeep(value: unknown, results: Map<string, SubResponse>): unknown {
  if (typeof value === 'string') return value.includes('@{') ? resolve(value, results) : value;
  if (Array.isArray(value)) return value.map((v) => resolveDeep(v, results));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveDeep(v, results)]));
  }
  return value;
}

function validate(body: unknown): { allOrNone: boolean; subrequests: SubRequest[] } {
  const b = body as { allOrNone?: unknown; compositeRequest?: unknown } | null;
  if (!b || !Array.isArray(b.compositeRequest) || b.compositeRequest.length === 0) {
    throw apiError(400, 'JSON_PARSER_ERROR', 'The request body must have a compositeRequest array');
  }
  if (b.compositeRequest.length > MAX_SUBREQUESTS) {
    throw apiError(400, 'INVALID_INPUT', `Composite requests cannot have more than ${MAX_SUBREQUESTS} subrequests`);
  }
  const seen = new Set<string>();
  for (const sub of b.compositeRequest as SubRequest[]) {
    if (typeof sub.referenceId !== 'string' || !/^[A-Za-z][A-Za-z0-9_]*$/.test(sub.referenceId)) {
      throw apiError(
        400,
        'INVALID_INPUT',
        'Each subrequest needs a referenceId of letters, digits and underscores, starting with a letter',
      );
    }
    if (seen.has(sub.referenceId))
      throw apiError(400, 'INVALID_INPUT', `Duplicate referenceId provided in the request: ${sub.referenceId}`);
    seen.add(sub.referenceId);
    if (typeof sub.method !== 'string' || typeof sub.url !== 'string') {
      throw apiError(400, 'INVALID_INPUT', `Subrequest ${sub.referenceId} needs a method and a url`);
    }
  }
  return { allOrNone: b.allOrNone === true, subrequests: b.compositeRequest as SubRequest[] };
}

function runOne(state: EmulatorState, parent: ApiRequest, sub: SubRequest, results: Map<string, SubResponse>): SubResponse {
  const referenceId = sub.referenceId as string;
  try {
    const url = new URL(resolve(sub.url as string, results) as string, 'http://composite');
    const match = /^\/services\/data\/v(\d+\.\d)(\/.*)?$/.exec(url.pathname);
    if (!match) {
      return {
        body: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }],
        httpHeaders: {},
        httpStatusCode: 404,
        referenceId,
      };
    }
    const reply: Reply = handleApi(state, {
      method: (sub.method as string).toUpperCase(),
      path: match[2] ?? '/',
      query: url.searchParams,
      body: sub.body === undefined ? undefined : resolveDeep(sub.body, results),
      headers: Object.fromEntries(Object.entries(sub.httpHeaders ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
      version: match[1]!,
      userId: parent.userId,
    });
    const created = reply.status === 201 && (reply.body as { id?: string } | undefined)?.id;
    return {
      body: reply.body ?? null,
      httpHeaders: created ? { Location: `${match[0]}/${created}` } : {},
      httpStatusCode: reply.status,
      referenceId,
    };
  } catch (error) {
    if (error instanceof MissingReference) return { body: halted(error.message), httpHeaders: {}, httpStatusCode: 400, referenceId };
    throw error;
  }
}

/**
 * A subrequest that failed: an error status, or an sObject Collections answer (200) with a
 * record that was not saved, which under allOrNone rolls the whole composite back as well.
 */
function didFail(r: SubResponse): boolean {
  if (r.httpStatusCode >= 400) return true;
  return (
    Array.isArray(r.body) &&
    r.body.some((item) => item !== null && typeof item === 'object' && (item as { success?: unknown }).success === false)
  );
}

export function composite(state: EmulatorState, req: ApiRequest): Reply {
  const { allOrNone, subrequests } = validate(req.body);
  const results = new Map<string, SubResponse>();
  const failed = () => allOrNone && [...results.values()].some(didFail);
  state.store.transaction(() => {
    for (const sub of subrequests) {
      if (failed()) break;
      const response = runOne(state, req, sub, results);
      results.set(response.referenceId, response);
    }
  }, failed);
  const compositeResponse = subrequests.map((sub) => {
    const referenceId = sub.referenceId as string;
    const response = results.get(referenceId);
    if (response && (!failed() || didFail(response))) return response;
    return { body: halted(ROLLED_BACK), httpHeaders: {}, httpStatusCode: 400, referenceId };
  });
  return { status: 200, body: { compositeResponse } };
}
