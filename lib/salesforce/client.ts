/**
 * The one Salesforce client every feature uses (matching, logging, task sync, connecting).
 * It wraps jsforce's Connection and adds what an extension needs around it:
 *
 * - the API version is always set (jsforce's default is old);
 * - an expired access token (401) is refreshed once, the new token is persisted before it is
 *   used, and any number of calls that hit the 401 together wait for that one refresh;
 * - every HTTP call is counted by purpose and the org's `Sforce-Limit-Info` is kept, and calls
 *   are held back near the org's daily limit (usage.ts);
 * - failures come back as values with a kind (errors.ts), never as exceptions;
 * - the session is only ever sent to the instance Salesforce named for it.
 *
 * jsforce never sees the refresh token: it calls `refreshFn` on a 401, and only this module
 * talks to the token endpoint.
 */
import type { HttpRequest, HttpResponse, QueryResult, Record as SalesforceRecord } from 'jsforce';
import { Connection } from 'jsforce/core';
import { type Fetch, refreshAccessToken } from './auth';
import { classifyThrown, failed, type SalesforceError, SalesforceFailure, type SalesforceResult, succeeded } from './errors';
import { fetchRequest } from './fetch-transport';
import type { HostOptions } from './hosts';
import { loadSession, type StoredSession, saveSession } from './tokens';
import { type CallPurpose, countCall, mayCall, noteLimitExceeded, noteOrgUsage, parseLimitInfo, readUsage, updateUsage } from './usage';

/**
 * The REST API version every call uses. Salesforce keeps versions for years, and a version
 * newer than an org's release would fail there, so this is a settled, widely available one.
 */
export const SALESFORCE_API_VERSION = '62.0';

export type CallOutcome = { ok: true; purpose: CallPurpose } | { ok: false; purpose: CallPurpose; error: SalesforceError };

export interface ClientOptions {
  /** For the token endpoint; jsforce uses the global fetch of the runtime for REST calls. */
  fetch?: Fetch;
  hosts?: HostOptions;
  now?: () => number;
  /** Told about every call's outcome, so the connection state follows what actually happens. */
  onOutcome?: (outcome: CallOutcome) => void;
  /** A call with no answer by then fails as offline and its request is aborted (default two minutes). */
  callTimeoutMs?: number;
}

/**
 * Every call has a deadline: a connection that is accepted and then never answered would
 * otherwise leave its caller (and the outbox behind it) waiting for ever. This is the only
 * deadline on Salesforce calls: callers that must know it (the outbox) read `deadlineMs`.
 */
export const DEFAULT_CALL_TIMEOUT_MS = 120_000;

class CallTimeout extends Error {}

function withDeadline<T>(pending: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CallTimeout(`no answer from Salesforce within ${ms / 1000} s`)), ms);
  });
  return Promise.race([pending, late]).finally(() => clearTimeout(timer));
}

const REFRESH_FAILED = /^Unable to refresh session/;

export class SalesforceClient {
  private session: StoredSession | null = null;
  private sessionLoaded = false;
  private refreshing: Promise<SalesforceResult<StoredSession>> | null = null;
  /** What the last refresh failed with; jsforce re-throws it as a plain Error with the message only. */
  private lastRefreshError: SalesforceError | null = null;
  private readonly fetchFn: Fetch;
  private readonly now: () => number;
  /** The `Date` header of Salesforce's last answer (ms), null before any. */
  private serverDate: number | null = null;

  /** How long a call may go unanswered before it fails as offline and its request is aborted. */
  readonly deadlineMs: number;

  constructor(private readonly options: ClientOptions = {}) {
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
    this.now = options.now ?? Date.now;
    this.deadlineMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  }

  /** Starts using a session just made by connecting (already persisted by the caller). */
  adoptSession(session: StoredSession): void {
    this.session = session;
    this.sessionLoaded = true;
    this.lastRefreshError = null;
  }

  /** Forgets the session (after a disconnect); the next call reads storage again. */
  forget(): void {
    this.session = null;
    this.sessionLoaded = false;
    this.lastRefreshError = null;
  }

  /**
   * Salesforce's time when it sent its last answer (the `Date` header, to the second), or null
   * before any answer. Cursors and replication windows are on Salesforce's clock, which this
   * browser's may be minutes away from; task sync pairs this with its own clock after each call.
   */
  lastServerDate(): number | null {
    return this.serverDate;
  }

  async currentSession(): Promise<StoredSession | null> {
    if (!this.sessionLoaded) {
      this.session = await loadSession();
      this.sessionLoaded = true;
    }
    return this.session;
  }

  /**
   * Runs `work` with a jsforce Connection for `purpose`. All of Salesforce's answers and every
   * failure come back as a result; the work may make several requests, each counted.
   */
  async call<T>(purpose: CallPurpose, work: (connection: Connection) => Promise<T>): Promise<SalesforceResult<T>> {
    const now = this.now();
    const decision = mayCall(await readUsage(now), purpose, now);
    if (!decision.go) {
      return this.report(purpose, {
        kind: 'limitExceeded',
        message:
          decision.reason === 'paused'
            ? 'Salesforce answered REQUEST_LIMIT_EXCEEDED; waiting before calling again'
            : 'holding back: the org is near its daily API allowance',
        errorCode: decision.reason === 'paused' ? 'REQUEST_LIMIT_EXCEEDED' : 'NEAR_LIMIT',
        retryAt: decision.retryAt,
      });
    }
    const session = await this.currentSession();
    if (!session) return this.report(purpose, { kind: 'notConnected', message: 'not connected to Salesforce' });

    // Real time, not the injected clock: the deadline is a timer.
    const deadlineAt = Date.now() + this.deadlineMs;
    const { connection, lastStatus } = this.connectionFor(session, purpose, deadlineAt);
    try {
      const value = await withDeadline(work(connection), this.deadlineMs);
      this.options.onOutcome?.({ ok: true, purpose });
      return succeeded(value);
    } catch (thrown) {
      // The transport's own abort at the deadline may reach here before the deadline's timer.
      if (thrown instanceof CallTimeout || Date.now() >= deadlineAt) {
        return this.report(purpose, { kind: 'offline', message: `no answer from Salesforce within ${this.deadlineMs / 1000} s` });
      }
      // jsforce's errors carry Salesforce's errorCode but not the HTTP status; the transport saw it.
      let error = classifyThrown(thrown, lastStatus());
      if (thrown instanceof Error && REFRESH_FAILED.test(thrown.message)) {
        error = this.lastRefreshError ?? { kind: 'reconnectNeeded', message: thrown.message };
      }
      if (error.kind === 'limitExceeded') await updateUsage((r) => noteLimitExceeded(r, this.now()));
      return this.report(purpose, error);
    }
  }

  /** One page of a SOQL query (use `queryMore` with `nextRecordsUrl` for the next). */
  query<R extends SalesforceRecord = SalesforceRecord>(soql: string, purpose: CallPurpose): Promise<SalesforceResult<QueryResult<R>>> {
    // A plain request: jsforce's Query adds builders and record streams the extension does not use.
    return this.request<QueryResult<R>>({ method: 'GET', url: `/query?q=${encodeURIComponent(soql)}` }, purpose);
  }

  queryMore<R extends SalesforceRecord = SalesforceRecord>(
    nextRecordsUrl: string,
    purpose: CallPurpose,
  ): Promise<SalesforceResult<QueryResult<R>>> {
    return this.request<QueryResult<R>>({ method: 'GET', url: nextRecordsUrl }, purpose);
  }

  /** Any REST request, relative to the API version root (`/sobjects/Task`) or `/services/...`. */
  request<T>(request: HttpRequest, purpose: CallPurpose): Promise<SalesforceResult<T>> {
    return this.call(purpose, (c) => c.request<T>(request) as unknown as Promise<T>);
  }

  private report(purpose: CallPurpose, error: SalesforceError): SalesforceResult<never> {
    this.options.onOutcome?.({ ok: false, purpose, error });
    return failed(error);
  }

  /**
   * A Connection per call, so each HTTP request is counted under its call's purpose. Cheap:
   * the session, and the one refresh in flight, are shared through this client.
   */
  private connectionFor(
    session: StoredSession,
    purpose: CallPurpose,
    deadlineAt: number,
  ): { connection: Connection; lastStatus: () => number | undefined } {
    let lastStatus: number | undefined;
    const connection = new Connection({
      instanceUrl: session.instanceUrl,
      accessToken: session.accessToken,
      version: SALESFORCE_API_VERSION,
      refreshFn: (conn, callback) => {
        void this.refreshAfter(conn.accessToken ?? '').then((result) => {
          if (result.ok) {
            conn.instanceUrl = result.value.instanceUrl;
            callback(null, result.value.accessToken);
          } else {
            this.lastRefreshError = result.error;
            callback(new SalesforceFailure(result.error));
          }
        });
      },
    });
    const transport = connection._transport;
    const instanceOrigin = new URL(session.instanceUrl).origin;
    connection._transport = Object.assign(Object.create(transport) as typeof transport, {
      httpRequest: (request: HttpRequest) => {
        // jsforce passes absolute URLs through untouched: the token goes to our instance only.
        if (new URL(request.url, instanceOrigin).origin !== new URL(connection.instanceUrl).origin) {
          throw new SalesforceFailure({
            kind: 'rejected',
            message: 'refused to send the Salesforce session to another host',
            errorCode: 'FOREIGN_HOST',
          });
        }
        // One fetch, never retried here: retrying is errors.ts's policy, in one place. It is aborted
        // at the call's deadline, so it cannot arrive at Salesforce long after its caller gave up on it.
        const pending = fetchRequest(request, deadlineAt);
        pending.then(
          (response: HttpResponse) => {
            lastStatus = response.statusCode;
            void this.noteResponse(purpose, response);
          },
          () => {
            lastStatus = undefined;
          },
        );
        return pending;
      },
    });
    return { connection, lastStatus: () => lastStatus };
  }

  private async noteResponse(purpose: CallPurpose, response: HttpResponse): Promise<void> {
    // A 401 is answered before the API is used; Salesforce does not count it, nor do we.
    const now = this.now();
    const date = Date.parse(String(response.headers?.date ?? ''));
    if (!Number.isNaN(date)) this.serverDate = date;
    if (response.statusCode === 401) return;
    const header = response.headers?.['sforce-limit-info'];
    const orgUsage = parseLimitInfo(header);
    await updateUsage((record) => {
      const counted = countCall(record, purpose, now);
      return orgUsage ? noteOrgUsage(counted, orgUsage, now) : counted;
    }, now);
  }

  /**
   * Refreshes the access token unless someone already replaced `failedToken`. Concurrent callers
   * share one refresh; the new token is saved before anyone uses it, so a worker restarted
   * a moment later still has it.
   */
  refreshAfter(failedToken: string): Promise<SalesforceResult<StoredSession>> {
    this.refreshing ??= this.refresh(failedToken).finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async refresh(failedToken: string): Promise<SalesforceResult<StoredSession>> {
    const session = await this.currentSession();
    if (!session) return failed({ kind: 'notConnected', message: 'not connected to Salesforce' });
    if (failedToken !== '' && session.accessToken !== failedToken) return succeeded(session);
    const grant = await refreshAccessToken(this.fetchFn, session, session.refreshToken, this.options.hosts);
    if (!grant.ok) return grant;
    const next: StoredSession = {
      ...session,
      accessToken: grant.value.accessToken,
      instanceUrl: grant.value.instanceUrl,
      issuedAt: grant.value.issuedAt,
      // Apps with refresh-token rotation send a new one each time; the old one is dead.
      refreshToken: grant.value.refreshToken ?? session.refreshToken,
    };
    await saveSession(next);
    this.session = next;
    this.lastRefreshError = null;
    return succeeded(next);
  }
}
