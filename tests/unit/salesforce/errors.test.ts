import { describe, expect, it } from 'vitest';
import {
  classifyApiError,
  classifyOAuthError,
  classifyThrown,
  RETRY_POLICY,
  retryDelayMs,
  SalesforceFailure,
} from '@/lib/salesforce/errors';

/** What jsforce throws for an error answer: HttpApiError with the errorCode as its name. */
function httpApiError(errorCode: string, message: string, data: unknown = { errorCode, message }) {
  const error = new Error(message) as Error & { errorCode: string; data: unknown };
  error.name = errorCode;
  error.errorCode = errorCode;
  error.data = data;
  return error;
}

describe('classifying what Salesforce answers', () => {
  it.each([
    [401, 'INVALID_SESSION_ID', 'sessionExpired'],
    [403, 'API_DISABLED_FOR_ORG', 'noApiAccess'],
    [403, 'API_CURRENTLY_DISABLED', 'noApiAccess'],
    [403, 'REQUEST_LIMIT_EXCEEDED', 'limitExceeded'],
    [400, 'MALFORMED_QUERY', 'validation'],
    [400, 'REQUIRED_FIELD_MISSING', 'validation'],
    [400, 'SOME_NEW_VALIDATION_EXCEPTION', 'validation'],
    [404, 'NOT_FOUND', 'notFound'],
    [404, 'ENTITY_IS_DELETED', 'notFound'],
    [403, 'INSUFFICIENT_ACCESS_OR_READONLY', 'noPermission'],
    [503, 'SERVER_UNAVAILABLE', 'salesforceDown'],
    [500, 'UNKNOWN_EXCEPTION', 'salesforceDown'],
    [400, 'SOMETHING_ELSE', 'rejected'],
  ] as const)('%i %s is %s', (status, code, kind) => {
    expect(classifyApiError(status, code, 'm').kind).toBe(kind);
  });

  it('names the field of a validation error', () => {
    const error = classifyApiError(400, 'FIELD_CUSTOM_VALIDATION_EXCEPTION', 'Subject needs a verb', ['Subject']);
    expect(error).toEqual({
      kind: 'validation',
      message: 'Subject needs a verb',
      errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      status: 400,
      field: 'Subject',
    });
  });

  it('reads jsforce errors, including an HTML answer during maintenance', () => {
    expect(classifyThrown(httpApiError('API_DISABLED_FOR_ORG', 'API is not enabled for this Organization or Partner'))).toMatchObject({
      kind: 'noApiAccess',
      errorCode: 'API_DISABLED_FOR_ORG',
    });
    expect(
      classifyThrown(httpApiError('STRING_TOO_LONG', 'too long', { fields: ['Subject'], errorCode: 'STRING_TOO_LONG' })),
    ).toMatchObject({
      kind: 'validation',
      field: 'Subject',
    });
    expect(classifyThrown(httpApiError('ERROR_HTTP_503', '<html>Down for maintenance</html>'))).toMatchObject({
      kind: 'salesforceDown',
      status: 503,
    });
    expect(classifyThrown(httpApiError('ERROR_HTTP_404', 'not here'))).toMatchObject({ kind: 'notFound' });
  });

  it('tells a network failure from a refusal', () => {
    expect(classifyThrown(new TypeError('Failed to fetch')).kind).toBe('offline');
    expect(classifyThrown(new TypeError('fetch failed')).kind).toBe('offline');
    expect(classifyThrown(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })).kind).toBe('offline');
    expect(classifyThrown(new Error('something odd')).kind).toBe('rejected');
    expect(classifyThrown('a string').kind).toBe('rejected');
  });

  it('passes our own errors through unchanged', () => {
    const error = { kind: 'reconnectNeeded' as const, message: 'expired access/refresh token', errorCode: 'invalid_grant' };
    expect(classifyThrown(new SalesforceFailure(error))).toBe(error);
  });

  it('reads the token endpoint: a revoked refresh token means reconnecting', () => {
    expect(classifyOAuthError(400, 'invalid_grant', 'expired access/refresh token')).toMatchObject({
      kind: 'reconnectNeeded',
      errorCode: 'invalid_grant',
    });
    expect(classifyOAuthError(400, 'inactive_user', 'user is inactive').kind).toBe('reconnectNeeded');
    expect(classifyOAuthError(400, 'invalid_client_id', 'client identifier invalid').kind).toBe('authFailed');
    expect(classifyOAuthError(503, undefined, undefined).kind).toBe('salesforceDown');
  });
});

describe('the retry policy', () => {
  it('never retries what only a person can fix', () => {
    for (const kind of ['validation', 'notFound', 'noPermission', 'authCancelled', 'rejected'] as const) {
      expect(RETRY_POLICY[kind].retry).toBe('never');
      expect(retryDelayMs({ kind }, 1, 0, 0.5)).toBeNull();
    }
    expect(RETRY_POLICY.reconnectNeeded.retry).toBe('afterReconnect');
    expect(RETRY_POLICY.noApiAccess.retry).toBe('afterReconnect');
  });

  it('retries an expired session at once, after the refresh', () => {
    expect(retryDelayMs({ kind: 'sessionExpired' }, 1, 0, 0.5)).toBe(0);
  });

  it('backs off longer each time for outages, up to a ceiling', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => retryDelayMs({ kind: 'salesforceDown' }, n, 0, 0.999) ?? 0);
    for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1] ?? 0);
    expect(delays[0]).toBeGreaterThanOrEqual(30_000);
    expect(delays.at(-1)).toBeLessThanOrEqual(30 * 60_000);
  });

  it('spreads retries of many browsers (jitter) but never below half the step', () => {
    const low = retryDelayMs({ kind: 'offline' }, 3, 0, 0) ?? 0;
    const high = retryDelayMs({ kind: 'offline' }, 3, 0, 0.999) ?? 0;
    expect(low).toBe(60_000);
    expect(high).toBeGreaterThan(119_000);
  });

  it('waits at least until Salesforce said the limit resets', () => {
    expect(retryDelayMs({ kind: 'limitExceeded', retryAt: 5 * 60 * 60_000 }, 1, 0, 0)).toBe(5 * 60 * 60_000);
    expect(retryDelayMs({ kind: 'limitExceeded' }, 1, 0, 0)).toBe(15 * 60_000);
  });
});
