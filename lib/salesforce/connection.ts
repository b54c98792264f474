/**
 * The worker's side of connecting: sign in, disconnect, check, and the connection state the
 * popup and options page show. A thin shell around the pure parts (auth.ts, connection-state.ts):
 * browser APIs come in as dependencies, so unit tests drive it against the org emulator.
 */

import { MessageError } from '../messages';
import { changeSettings, loadSettings, type SettingKey } from '../settings';
import { storage } from '../storage';
import { type Fetch, revokeToken, signIn, type WebAuthFlow } from './auth';
import { SALESFORCE_API_VERSION, SalesforceClient } from './client';
import { salesforceClientId } from './client-id';
import {
  CONNECTION_STATE_KEY,
  type ConnectionEvent,
  type ConnectionProfile,
  type ConnectionState,
  type ConnectionView,
  INITIAL_CONNECTION_STATE,
  nextConnectionState,
} from './connection-state';
import { failed, type SalesforceResult, succeeded } from './errors';
import { type HostOptions, loginUrlFor, parseMyDomain, type SalesforceEnvironment } from './hosts';
import { isFresh, type OrgCheck, runOrgCheck } from './org-check';
import { soqlQuote } from './soql';
import { clearSession, loadSession, type StoredSession, saveSession } from './tokens';
import { clearUsageOrg, readUsage } from './usage';

export const CONNECTION_RETRY_ALARM = 'salesforce-connection-retry';

export interface ConnectionDeps {
  identity: WebAuthFlow;
  /** The OAuth redirect URI of this browser (identity.getRedirectURL('oauth2')). */
  redirectUri: () => string;
  fetch: Fetch;
  hosts: HostOptions;
  alarms: {
    create(name: string, info: { when: number }): unknown;
    clear(name: string): Promise<unknown> | unknown;
  };
  now?: () => number;
  random?: () => number;
  /** The client's call deadline (lib/salesforce/client.ts); the default outside tests. */
  callTimeoutMs?: number;
}

const stateItem = storage.defineItem<ConnectionState>(CONNECTION_STATE_KEY, { fallback: INITIAL_CONNECTION_STATE });
const orgCheckItem = storage.defineItem<OrgCheck | null>('local:salesforceOrgCheck', { fallback: null });

export interface ConnectRequest {
  environment: SalesforceEnvironment;
  myDomain: string;
}

export function createConnectionService(deps: ConnectionDeps) {
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  let queue: Promise<unknown> = Promise.resolve();
  let connecting: Promise<ConnectionView> | null = null;

  /** Applies events one at a time: calls finish together, and the state is read-modify-write. */
  function apply(event: ConnectionEvent): Promise<ConnectionState> {
    const next = queue.then(async () => {
      const before = await stateItem.getValue();
      const after = nextConnectionState(before, event, now(), random());
      if (after !== before) await stateItem.setValue(after);
      await scheduleRetry(before, after);
      return after;
    });
    queue = next.catch(() => undefined);
    return next;
  }

  async function scheduleRetry(before: ConnectionState, after: ConnectionState): Promise<void> {
    if (after.status === 'unreachable' && after.retryAt !== null) {
      if (after.retryAt !== before.retryAt) deps.alarms.create(CONNECTION_RETRY_ALARM, { when: after.retryAt });
    } else if (before.status === 'unreachable') {
      await deps.alarms.clear(CONNECTION_RETRY_ALARM);
    }
  }

  const client = new SalesforceClient({
    fetch: deps.fetch,
    hosts: deps.hosts,
    now,
    ...(deps.callTimeoutMs ? { callTimeoutMs: deps.callTimeoutMs } : {}),
    onOutcome: (outcome) => {
      void apply(outcome.ok ? { type: 'callSucceeded' } : { type: 'callFailed', error: outcome.error });
    },
  });

  async function readState(): Promise<ConnectionState> {
    await queue;
    const state = await stateItem.getValue();
    // A sign-in cannot outlive the worker that started it: after a restart it is simply over.
    if (state.status === 'connecting' && !connecting) {
      return apply({ type: 'connectFailed', error: { kind: 'authCancelled', message: 'the sign-in was interrupted' } });
    }
    return state;
  }

  /** The org check of the connected org: the cached one if younger than a day, else a new one (one call). */
  async function orgCheck(session: StoredSession): Promise<void> {
    if (isFresh(await orgCheckItem.getValue(), session, now())) return;
    const check = await runOrgCheck(client, session, now());
    // Not checked (Salesforce unreachable): the next connect or "Check now" tries again.
    if (check.ok) await orgCheckItem.setValue(check.value);
  }

  async function view(): Promise<ConnectionView> {
    const [state, settings, usage, check] = await Promise.all([readState(), loadSettings(), readUsage(now()), orgCheckItem.getValue()]);
    const session = state.status === 'notConnected' ? null : state.profile;
    return {
      orgCheck: check && session && check.orgId === session.orgId && check.userId === session.userId ? check : null,
      state,
      environment: settings.values.salesforceEnvironment,
      myDomain: settings.values.salesforceMyDomain,
      locked: { environment: settings.locked.has('salesforceEnvironment'), myDomain: settings.locked.has('salesforceMyDomain') },
      usage: { today: usage.calls, org: usage.org, pausedUntil: usage.pausedUntil },
    };
  }

  /**
   * Who the session belongs to and its org's name, read with REST queries: they prove API
   * access (API_DISABLED_FOR_ORG shows here) and, unlike userinfo, answer an expired token
   * with 401, so the client refreshes it.
   */
  async function readProfile(session: StoredSession, environment: SalesforceEnvironment): Promise<SalesforceResult<ConnectionProfile>> {
    // userId comes from the token answer's identity URL, checked to be a User id (005...).
    const user = await client.query<{ Name: string; Username: string }>(
      `SELECT Name, Username FROM User WHERE Id = ${soqlQuote(session.userId)}`,
      'connect',
    );
    if (!user.ok) return user;
    const org = await client.query<{ Name: string }>('SELECT Name FROM Organization LIMIT 1', 'connect');
    if (!org.ok) return org;
    const current = (await client.currentSession()) ?? session;
    return succeeded({
      userName: user.value.records[0]?.Name ?? '',
      username: user.value.records[0]?.Username ?? '',
      userId: session.userId,
      orgName: org.value.records[0]?.Name ?? '',
      orgId: session.orgId,
      instanceUrl: current.instanceUrl,
      loginUrl: session.loginUrl,
      environment,
      apiVersion: SALESFORCE_API_VERSION,
      connectedAt: now(),
    });
  }

  /** Saves the rep's environment choice, refusing to change what an administrator locked. */
  async function rememberEnvironment(request: ConnectRequest): Promise<void> {
    const settings = await loadSettings();
    // A usable My Domain is kept in its plain form (https://acme.my.salesforce.com), whatever was pasted.
    const parsed = parseMyDomain(request.myDomain, deps.hosts);
    const wanted: Partial<Record<SettingKey, string>> = {
      salesforceEnvironment: request.environment,
      ...(request.environment === 'custom' ? { salesforceMyDomain: parsed.ok ? parsed.origin : request.myDomain.trim() } : {}),
    };
    const changes: Partial<Record<SettingKey, unknown>> = {};
    for (const [key, value] of Object.entries(wanted) as [SettingKey, string][]) {
      if (settings.values[key] === value) continue;
      if (settings.locked.has(key)) {
        throw new MessageError({ kind: 'settingLocked', message: `"${key}" is set by your administrator`, field: key });
      }
      changes[key] = value;
    }
    if (Object.keys(changes).length === 0) return;
    const result = await changeSettings(changes);
    if (!result.ok && result.problem === 'storageFull') {
      throw new MessageError({
        kind: 'settingsStorageFull',
        message: `the browser's sync storage refused "${result.key}"`,
        field: result.key,
      });
    }
    if (!result.ok) {
      throw new MessageError({ kind: 'settingInvalid', message: `"${result.key}" is not valid (${result.problem})`, field: result.key });
    }
  }

  async function signInAndLoad(request: ConnectRequest): Promise<SalesforceResult<ConnectionProfile>> {
    const login = loginUrlFor(request.environment, request.myDomain, deps.hosts);
    if (!login.ok)
      return failed({ kind: 'authFailed', message: `the My Domain is not usable (${login.problem})`, errorCode: 'bad_my_domain' });
    const settings = await loadSettings();
    const clientId = salesforceClientId(settings.values.salesforceClientId);
    const client_ = { loginUrl: login.loginUrl, clientId, redirectUri: deps.redirectUri() };
    const grant = await signIn(deps.identity, deps.fetch, client_, deps.hosts);
    if (!grant.ok) return grant;
    const { accessToken, refreshToken, instanceUrl, idUrl, orgId, userId, issuedAt } = grant.value;
    if (!refreshToken) {
      // Without refresh_token in the app's scopes the rep would be signed out within hours.
      await revokeToken(deps.fetch, login.loginUrl, accessToken);
      return failed({
        kind: 'authFailed',
        message: 'the Salesforce app did not grant the refresh_token scope',
        errorCode: 'no_refresh_token',
      });
    }
    const previous = await loadSession();
    const session: StoredSession = {
      loginUrl: login.loginUrl,
      clientId,
      instanceUrl,
      accessToken,
      refreshToken,
      idUrl,
      orgId,
      userId,
      issuedAt,
    };
    await saveSession(session);
    client.adoptSession(session);
    await clearUsageOrg();
    if (previous && previous.refreshToken !== refreshToken) await revokeToken(deps.fetch, previous.loginUrl, previous.refreshToken);
    const profile = await readProfile(session, request.environment);
    if (!profile.ok) await forgetSession();
    else await orgCheck(session);
    return profile;
  }

  /** Revokes and forgets the stored session; answers whether Salesforce confirmed the revoke. */
  async function forgetSession(): Promise<SalesforceResult<void>> {
    const session = await loadSession();
    const revoked = session ? await revokeToken(deps.fetch, session.loginUrl, session.refreshToken) : succeeded(undefined);
    await clearSession();
    client.forget();
    await clearUsageOrg();
    await orgCheckItem.setValue(null);
    return revoked;
  }

  return {
    /** The one Salesforce client; features call Salesforce only through it. */
    client,
    view,

    async connect(request: ConnectRequest): Promise<ConnectionView> {
      if (connecting) return connecting;
      await rememberEnvironment(request);
      connecting = (async () => {
        await apply({ type: 'connectStarted' });
        const profile = await signInAndLoad(request).catch((thrown: unknown) =>
          failed({ kind: 'authFailed', message: thrown instanceof Error ? thrown.message : String(thrown) }),
        );
        await apply(profile.ok ? { type: 'connected', profile: profile.value } : { type: 'connectFailed', error: profile.error });
        return view();
      })().finally(() => {
        connecting = null;
      });
      return connecting;
    },

    async disconnect(): Promise<ConnectionView> {
      const revoked = await forgetSession();
      // Signed out here either way; if Salesforce could not be told, the rep is told to revoke it there.
      await apply({
        type: 'disconnected',
        ...(revoked.ok ? {} : { problem: { kind: revoked.error.kind, message: revoked.error.message, errorCode: 'REVOKE_FAILED' } }),
      });
      return view();
    },

    /** Asks Salesforce again (the rep's "Check now", or the retry alarm while unreachable). */
    async check(): Promise<ConnectionView> {
      const state = await readState();
      if (state.status === 'notConnected' || state.status === 'connecting') return view();
      const session = await client.currentSession();
      if (!session) {
        await apply({ type: 'callFailed', error: { kind: 'reconnectNeeded', message: 'the stored session could not be read' } });
        return view();
      }
      const profile = await readProfile(session, state.profile?.environment ?? (await loadSettings()).values.salesforceEnvironment);
      if (profile.ok) {
        await apply({ type: 'connected', profile: { ...profile.value, connectedAt: state.profile?.connectedAt ?? now() } });
        await orgCheck(session);
      }
      return view();
    },

    async onAlarm(name: string): Promise<void> {
      if (name === CONNECTION_RETRY_ALARM) await this.check();
    },
  };
}

export type ConnectionService = ReturnType<typeof createConnectionService>;
