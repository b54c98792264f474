/**
 * Everything that can go wrong talking to Salesforce, as values with a kind the UI explains
 * and a retry policy per kind. Pure: classification reads what jsforce, fetch or the token
 * endpoint threw or answered, and never throws itself.
 */

export type SalesforceErrorKind =
  /** The access token expired and could not be refreshed in this call; retry after a refresh. */
  | 'sessionExpired'
  /** The refresh token was revoked or expired: only the rep can fix it, by connecting again. */
  | 'reconnectNeeded'
  /** No connection was ever made (or the rep disconnected). */
  | 'notConnected'
  /** API_DISABLED_FOR_ORG (the edition has no API) or API_CURRENTLY_DISABLED (the user lacks "API Enabled"). */
  | 'noApiAccess'
  /** REQUEST_LIMIT_EXCEEDED, or the extension holding back because the org is near its daily allowance. */
  | 'limitExceeded'
  /** Salesforce refused the data (a validation rule, a required or too-long field, a bad query). */
  | 'validation'
  /** The record is gone (NOT_FOUND, ENTITY_IS_DELETED). */
  | 'notFound'
  /** The user may not do this (INSUFFICIENT_ACCESS_*, a restricted object or field). */
  | 'noPermission'
  /** 5xx, maintenance, or an answer that is not Salesforce's (HTML, garbage). */
  | 'salesforceDown'
  /** The request never reached Salesforce: no network, DNS, TLS, a proxy. */
  | 'offline'
  /** The rep closed the Salesforce login window, or denied access. */
  | 'authCancelled'
  /** The login came back wrong: state mismatch, no code, a token answer we cannot use. */
  | 'authFailed'
  /** Anything else Salesforce refused, with its errorCode kept. */
  | 'rejected';

export interface SalesforceError {
  kind: SalesforceErrorKind;
  /** Salesforce's own message (or ours), for logs and the "details" line; the UI words the kind. */
  message: string;
  /** Salesforce's errorCode (API_DISABLED_FOR_ORG, FIELD_CUSTOM_VALIDATION_EXCEPTION, invalid_grant, ...). */
  errorCode?: string;
  /** The field a validation error is about, when Salesforce names one. */
  field?: string;
  status?: number;
  /** For limitExceeded from the extension's own back-off: when calls may resume (ms since epoch). */
  retryAt?: number;
}

export type SalesforceResult<T> = { ok: true; value: T } | { ok: false; error: SalesforceError };

export const succeeded = <T>(value: T): SalesforceResult<T> => ({ ok: true, value });
export const failed = (error: SalesforceError): SalesforceResult<never> => ({ ok: false, error });

/** Carries a SalesforceError through code that speaks in exceptions (jsforce callbacks, promise chains). */
export class SalesforceFailure extends Error {
  constructor(readonly error: SalesforceError) {
    super(error.message);
    this.name = 'SalesforceFailure';
  }
}

const NO_API_ACCESS = new Set(['API_DISABLED_FOR_ORG', 'API_CURRENTLY_DISABLED']);
const NOT_FOUND = new Set(['NOT_FOUND', 'ENTITY_IS_DELETED', 'INVALID_CROSS_REFERENCE_KEY']);
const VALIDATION = new Set([
  'FIELD_CUSTOM_VALIDATION_EXCEPTION',
  'REQUIRED_FIELD_MISSING',
  'STRING_TOO_LONG',
  'INVALID_EMAIL_ADDRESS',
  'INVALID_FIELD',
  'INVALID_FIELD_FOR_INSERT_UPDATE',
  'INVALID_TYPE',
  'INVALID_TYPE_ON_FIELD_IN_RECORD',
  'MALFORMED_ID',
  'MALFORMED_QUERY',
  'INVALID_QUERY_FILTER_OPERATOR',
  'FIELD_INTEGRITY_EXCEPTION',
  'FIELD_FILTER_VALIDATION_EXCEPTION',
  'DUPLICATES_DETECTED',
  'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
  'JSON_PARSER_ERROR',
  'NUMBER_OUTSIDE_VALID_RANGE',
]);
const SALESFORCE_DOWN = new Set(['SERVER_UNAVAILABLE', 'UNKNOWN_EXCEPTION']);
const NO_PERMISSION_PREFIX = /^(INSUFFICIENT_ACCESS|CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY$|INSUFFICIENT_PRIVILEGES)/;

const errorCodeOf = (status: number | undefined) => (status === undefined ? 'UNKNOWN' : `ERROR_HTTP_${status}`);

/** Classifies one REST error answer: the HTTP status and Salesforce's errorCode. */
export function classifyApiError(
  status: number | undefined,
  errorCode: string | undefined,
  message: string,
  fields?: unknown,
): SalesforceError {
  const code = errorCode ?? errorCodeOf(status);
  const base = { message, errorCode: code, ...(status === undefined ? {} : { status }) };
  const field = Array.isArray(fields) && typeof fields[0] === 'string' ? fields[0] : undefined;
  if (code === 'INVALID_SESSION_ID' || status === 401) return { kind: 'sessionExpired', ...base };
  if (NO_API_ACCESS.has(code)) return { kind: 'noApiAccess', ...base };
  if (code === 'REQUEST_LIMIT_EXCEEDED') return { kind: 'limitExceeded', ...base };
  if (NOT_FOUND.has(code) || (status === 404 && !errorCode)) return { kind: 'notFound', ...base };
  if (NO_PERMISSION_PREFIX.test(code)) return { kind: 'noPermission', ...base };
  if (VALIDATION.has(code) || code.endsWith('_VALIDATION_EXCEPTION')) return { kind: 'validation', ...base, ...(field ? { field } : {}) };
  if ((status !== undefined && status >= 500) || SALESFORCE_DOWN.has(code)) return { kind: 'salesforceDown', ...base };
  // jsforce names an unparseable (HTML) answer ERROR_HTTP_<status>; a 2xx/3xx one is not Salesforce talking.
  if (status !== undefined && status < 400) return { kind: 'salesforceDown', ...base };
  return { kind: 'rejected', ...base };
}

/** Classifies an OAuth endpoint answer (`{ error, error_description }`, RFC 6749 section 5.2). */
export function classifyOAuthError(status: number, error: string | undefined, description: string | undefined): SalesforceError {
  const message = description || error || `HTTP ${status}`;
  const base = { message, errorCode: error ?? errorCodeOf(status), status };
  if (status >= 500) return { kind: 'salesforceDown', ...base };
  // invalid_grant: the refresh token (or code) is revoked, expired, or for another client.
  if (error === 'invalid_grant' || error === 'inactive_user' || error === 'inactive_org') return { kind: 'reconnectNeeded', ...base };
  if (error === 'access_denied') return { kind: 'authCancelled', ...base };
  return { kind: 'authFailed', ...base };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * Classifies anything thrown while calling Salesforce: our own SalesforceFailure, a jsforce
 * HttpApiError (`errorCode`, `data`), or fetch's TypeError when the network is down.
 */
export function classifyThrown(thrown: unknown, httpStatus?: number): SalesforceError {
  if (thrown instanceof SalesforceFailure) return thrown.error;
  if (thrown instanceof TypeError) {
    // fetch rejects with a TypeError ("Failed to fetch", "fetch failed") when nothing came back.
    return { kind: 'offline', message: thrown.message };
  }
  if (isRecord(thrown)) {
    const errorCode = typeof thrown.errorCode === 'string' ? thrown.errorCode : undefined;
    const message = typeof thrown.message === 'string' ? thrown.message : String(thrown);
    const data = isRecord(thrown.data) ? thrown.data : undefined;
    const fields = data?.fields;
    const statusMatch = errorCode?.match(/^ERROR_HTTP_(\d{3})$/);
    const status = typeof thrown.status === 'number' ? thrown.status : statusMatch ? Number(statusMatch[1]) : httpStatus;
    if (errorCode) return classifyApiError(status, statusMatch ? undefined : errorCode, message, fields);
    if (/fetch failed|Failed to fetch|NetworkError|ECONNREFUSED|ENOTFOUND|ETIMEDOUT|network/i.test(message)) {
      return { kind: 'offline', message };
    }
    return { kind: 'rejected', message };
  }
  return { kind: 'rejected', message: String(thrown) };
}

// ---------------------------------------------------------------------------------------------
// Retry policy

export type RetryPolicy =
  /** Retrying cannot help: the data or the org must change first. */
  | { retry: 'never' }
  /** Retry once, at once, after the session is refreshed. */
  | { retry: 'afterRefresh' }
  /** Wait for the rep to connect again; keep the work. */
  | { retry: 'afterReconnect' }
  /** Retry later, waiting longer each time (exponential with jitter), never more than maxMs. */
  | { retry: 'backoff'; baseMs: number; maxMs: number };

const MINUTE = 60_000;

export const RETRY_POLICY: Record<SalesforceErrorKind, RetryPolicy> = {
  sessionExpired: { retry: 'afterRefresh' },
  reconnectNeeded: { retry: 'afterReconnect' },
  notConnected: { retry: 'afterReconnect' },
  // The admin may buy API access or switch the rep to BCC; nothing to do until the rep reconnects.
  noApiAccess: { retry: 'afterReconnect' },
  // The allowance is a rolling 24 hours: hammering it only delays recovery.
  limitExceeded: { retry: 'backoff', baseMs: 30 * MINUTE, maxMs: 4 * 60 * MINUTE },
  validation: { retry: 'never' },
  notFound: { retry: 'never' },
  noPermission: { retry: 'never' },
  salesforceDown: { retry: 'backoff', baseMs: MINUTE, maxMs: 30 * MINUTE },
  offline: { retry: 'backoff', baseMs: 30_000, maxMs: 15 * MINUTE },
  authCancelled: { retry: 'never' },
  authFailed: { retry: 'never' },
  rejected: { retry: 'never' },
};

/**
 * When to try again after `attempt` failures (1 = the first), or null for "not by itself".
 * `random` in [0, 1) spreads retries of many reps' browsers apart (full jitter above half the delay).
 */
export function retryDelayMs(
  error: Pick<SalesforceError, 'kind' | 'retryAt'>,
  attempt: number,
  now: number,
  random: number,
): number | null {
  const policy = RETRY_POLICY[error.kind];
  if (policy.retry === 'afterRefresh') return 0;
  if (policy.retry !== 'backoff') return null;
  const exponential = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  const delay = Math.round(exponential / 2 + (exponential / 2) * random);
  return error.retryAt !== undefined ? Math.max(delay, error.retryAt - now) : delay;
}
