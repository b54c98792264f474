/**
 * Connecting, checking and disconnecting against the org emulator. The only stand-in is the
 * browser's login window: it loads the authorize URL and hands back where Salesforce
 * redirected, as identity.launchWebAuthFlow does when the org signs the rep in at once.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { MessageError } from '@/lib/messages';
import { CONNECTION_RETRY_ALARM, type ConnectionDeps, createConnectionService } from '@/lib/salesforce/connection';
import { loadSession } from '@/lib/salesforce/tokens';
import { type Emulator, startEmulator } from '../../emulator';
import { EXTENSION_REDIRECT_URI } from '../../emulator/client';
import { CONNECTION_ORG_NAME, CONNECTION_SEED } from '../../fixtures/connection-org';
import { enforceChromeSyncQuota } from '../support/sync-quota';

let sf: Emulator;
beforeAll(async () => {
  sf = await startEmulator({ port: 0, seed: CONNECTION_SEED });
});
afterAll(() => sf.stop());
afterEach(() => sf.control.clearFaults());

/** The login window: follows Salesforce's redirects until the extension's redirect URI, like Chrome's. */
const loginWindow = {
  opened: [] as URL[],
  async launchWebAuthFlow({ url }: { url: string; interactive: boolean }): Promise<string | undefined> {
    this.opened.push(new URL(url));
    const answer = await fetch(url, { redirect: 'manual' });
    const location = answer.headers.get('location');
    if (!location?.startsWith(EXTENSION_REDIRECT_URI)) throw new Error('Authorization page could not be loaded.');
    return location;
  },
};

function service(overrides: Partial<ConnectionDeps> = {}) {
  const alarms: { created: [string, number][]; cleared: string[] } = { created: [], cleared: [] };
  const refreshes = { count: 0 };
  const svc = createConnectionService({
    identity: loginWindow,
    redirectUri: () => EXTENSION_REDIRECT_URI,
    fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
      if (String(init?.body).includes('grant_type=refresh_token')) refreshes.count++;
      return fetch(input, init);
    }) as typeof fetch,
    hosts: { allowLoopback: true },
    alarms: { create: (name, info) => alarms.created.push([name, info.when]), clear: (name) => alarms.cleared.push(name) },
    ...overrides,
  });
  return { svc, alarms, refreshes };
}

const custom = () => ({ environment: 'custom' as const, myDomain: ` ${sf.url}/ ` });

describe('connecting to Salesforce', () => {
  it('signs in with PKCE, shows who and where, and remembers the environment', async () => {
    const { svc } = service();
    const view = await svc.connect(custom());
    const user = sf.org.defaultUser();
    expect(view.state).toMatchObject({
      status: 'connected',
      problem: null,
      profile: {
        userName: user.Name,
        username: user.Username,
        orgName: CONNECTION_ORG_NAME,
        instanceUrl: sf.url,
        loginUrl: sf.url,
        environment: 'custom',
        apiVersion: '62.0',
      },
    });
    expect(view.state.profile?.orgId).toMatch(/^00D/);
    expect(view).toMatchObject({ environment: 'custom', myDomain: sf.url });
    // Who and which org (two queries), and the org check (one composite call).
    expect(view.usage.today.connect).toBe(3);
    expect(view.usage.org?.max).toBeGreaterThan(0);
    const sent = loginWindow.opened.at(-1)?.searchParams;
    expect(sent?.get('code_challenge_method')).toBe('S256');
    expect(sent?.get('client_id')).toBe('sales-activity-sync');
    // The session is in local storage, sealed; nothing readable in sync storage or in the clear.
    const local = JSON.stringify(await fakeBrowser.storage.local.get(null));
    const session = await loadSession();
    expect(session?.refreshToken).toBeTruthy();
    expect(local).not.toContain(session?.refreshToken);
    expect(local).not.toContain(session?.accessToken);
    expect(JSON.stringify(await fakeBrowser.storage.sync.get(null))).not.toContain('Token');
  });

  it('refuses a My Domain that is not Salesforce, without opening a login window', async () => {
    const { svc } = service({ hosts: { allowLoopback: false } });
    const before = loginWindow.opened.length;
    const view = await svc.connect(custom());
    expect(view.state).toMatchObject({ status: 'notConnected', problem: { kind: 'authFailed', errorCode: 'bad_my_domain' } });
    expect(loginWindow.opened.length).toBe(before);
  });

  it('keeps an administrator-locked environment', async () => {
    await fakeBrowser.storage.managed.set({ settings: { salesforceEnvironment: 'sandbox' }, lockedSettings: ['salesforceEnvironment'] });
    const { svc } = service();
    await expect(svc.connect(custom())).rejects.toThrow(MessageError);
    expect((await svc.view()).state.status).toBe('notConnected');
  });

  it('says so when the browser has no sync storage left for the environment, and signs in nowhere', async () => {
    // Sync storage already holds 13 items of 8,000 bytes, past Chrome's 102,400 in all.
    const filler = Object.fromEntries(Array.from({ length: 13 }, (_, i) => [`settings.filler${i}`, 'x'.repeat(8000)]));
    await fakeBrowser.storage.sync.set(filler);
    enforceChromeSyncQuota();
    const { svc } = service();
    const before = loginWindow.opened.length;
    const refused = await svc.connect(custom()).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(MessageError);
    expect((refused as MessageError).error.kind).toBe('settingsStorageFull');
    expect(loginWindow.opened.length).toBe(before);
  });

  it('goes back to not connected, with the reason, when the rep closes the login window', async () => {
    const { svc } = service({
      identity: {
        launchWebAuthFlow: async () => {
          throw new Error('The user did not approve access.');
        },
      },
    });
    expect((await svc.connect(custom())).state).toMatchObject({ status: 'notConnected', problem: { kind: 'authCancelled' } });
    expect(await loadSession()).toBeNull();
  });

  it('says the org has no API access, keeps no session, and revokes what it got', async () => {
    const { svc } = service();
    sf.control.revokeRefreshTokens();
    sf.control.fault({ path: '/query', status: 403, errorCode: 'API_DISABLED_FOR_ORG', times: 0 });
    const view = await svc.connect(custom());
    expect(view.state).toMatchObject({ status: 'noApiAccess', problem: { kind: 'noApiAccess', errorCode: 'API_DISABLED_FOR_ORG' } });
    expect(await loadSession()).toBeNull();
    // The refresh token this sign-in got was revoked at Salesforce, not left behind.
    expect(sf.control.revokeRefreshTokens()).toBe(0);
  });
});

describe('a connected session', () => {
  it('survives expired sessions with one refresh', async () => {
    const { svc, refreshes } = service();
    await svc.connect(custom());
    sf.control.expireSessions();
    const view = await svc.check();
    expect(view.state.status).toBe('connected');
    expect(refreshes.count).toBe(1);
  });

  it('needs a reconnect when the refresh token is revoked, then connects again', async () => {
    const { svc } = service();
    await svc.connect(custom());
    sf.control.revokeRefreshTokens();
    sf.control.expireSessions();
    const view = await svc.check();
    expect(view.state).toMatchObject({
      status: 'reconnectNeeded',
      problem: { errorCode: 'invalid_grant' },
      profile: { orgName: CONNECTION_ORG_NAME },
    });
    expect((await svc.connect(custom())).state.status).toBe('connected');
  });

  it('is unreachable while Salesforce is down, retries on an alarm, and recovers', async () => {
    const { svc, alarms } = service();
    await svc.connect(custom());
    sf.control.fault({ path: '/query', status: 503, times: 0 });
    const down = await svc.check();
    expect(down.state).toMatchObject({ status: 'unreachable', attempts: 1, problem: { kind: 'salesforceDown' } });
    expect(alarms.created.at(-1)?.[0]).toBe(CONNECTION_RETRY_ALARM);
    expect(alarms.created.at(-1)?.[1]).toBe(down.state.retryAt);
    sf.control.clearFaults();
    await svc.onAlarm(CONNECTION_RETRY_ALARM);
    expect((await svc.view()).state).toMatchObject({ status: 'connected', attempts: 0 });
    expect(alarms.cleared).toContain(CONNECTION_RETRY_ALARM);
  });

  it('disconnects: revokes the refresh token at Salesforce and forgets it here', async () => {
    const { svc } = service();
    await svc.connect(custom());
    const session = await loadSession();
    const view = await svc.disconnect();
    expect(view.state).toMatchObject({ status: 'notConnected', profile: null, problem: null });
    expect(await loadSession()).toBeNull();
    const refresh = await fetch(`${sf.url}/services/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: session?.refreshToken ?? '',
        client_id: 'sales-activity-sync',
      }),
    });
    expect(refresh.status).toBe(400);
    expect((await svc.client.query('SELECT Id FROM Contact', 'match')).ok).toBe(false);
  });

  it('still disconnects here when Salesforce cannot be told, and says so', async () => {
    const { svc } = service();
    await svc.connect(custom());
    sf.control.fault({ path: '/services/oauth2/revoke', status: 503 });
    const view = await svc.disconnect();
    expect(view.state).toMatchObject({ status: 'notConnected', problem: { errorCode: 'REVOKE_FAILED' } });
    expect(await loadSession()).toBeNull();
  });
});
