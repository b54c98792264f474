/**
 * The one Salesforce client against the org emulator (a real HTTP server on loopback), through
 * jsforce's Node build: refresh on 401, one refresh for many callers, persisted tokens,
 * usage counting and classified failures.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { exchangeCode } from '@/lib/salesforce/auth';
import { type CallOutcome, SALESFORCE_API_VERSION, SalesforceClient } from '@/lib/salesforce/client';
import { createPkcePair } from '@/lib/salesforce/pkce';
import { soqlQuote } from '@/lib/salesforce/soql';
import { loadSession, type StoredSession, saveSession } from '@/lib/salesforce/tokens';
import { readUsage } from '@/lib/salesforce/usage';
import { DEFAULT_APP, type Emulator, startEmulator } from '../../emulator';
import { EXTENSION_REDIRECT_URI } from '../../emulator/client';
import { CONNECTION_ORG_NAME, CONNECTION_SEED } from '../../fixtures/connection-org';

let sf: Emulator;
beforeAll(async () => {
  sf = await startEmulator({ port: 0, seed: CONNECTION_SEED });
});
afterAll(() => sf.stop());
afterEach(() => {
  sf.control.clearFaults();
  sf.control.setAllowance(100_000, 0);
});

/** Signs in as the extension does (authorize with PKCE, then the code exchange in lib/salesforce/auth.ts). */
async function signedInSession(): Promise<StoredSession> {
  const pkce = await createPkcePair();
  const authorize = new URL('/services/oauth2/authorize', sf.url);
  authorize.search = new URLSearchParams({
    response_type: 'code',
    client_id: DEFAULT_APP.clientId,
    redirect_uri: EXTENSION_REDIRECT_URI,
    code_challenge: pkce.challenge,
    code_challenge_method: 'S256',
    state: 's',
  }).toString();
  const redirect = await fetch(authorize, { redirect: 'manual' });
  const code = new URL(redirect.headers.get('location') ?? '').searchParams.get('code') ?? '';
  const client = { loginUrl: sf.url, clientId: DEFAULT_APP.clientId, redirectUri: EXTENSION_REDIRECT_URI };
  const grant = await exchangeCode(fetch, client, code, pkce.verifier, { allowLoopback: true });
  if (!grant.ok || !grant.value.refreshToken) throw new Error(`sign-in failed: ${JSON.stringify(grant)}`);
  const { accessToken, refreshToken, instanceUrl, idUrl, orgId, userId, issuedAt } = grant.value;
  const session = { loginUrl: sf.url, clientId: client.clientId, instanceUrl, accessToken, refreshToken, idUrl, orgId, userId, issuedAt };
  await saveSession(session);
  return session;
}

/** Real fetch, with a count of the refresh-token grants it carried to the token endpoint. */
function countingFetch() {
  const counter = {
    refreshes: 0,
    fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
      if (String(input).endsWith('/services/oauth2/token') && String(init?.body).includes('grant_type=refresh_token')) counter.refreshes++;
      return fetch(input, init);
    }) as typeof fetch,
  };
  return counter;
}

describe('the Salesforce client', () => {
  let session: StoredSession;
  let outcomes: CallOutcome[];
  let counter: ReturnType<typeof countingFetch>;
  let client: SalesforceClient;

  beforeEach(async () => {
    session = await signedInSession();
    outcomes = [];
    counter = countingFetch();
    client = new SalesforceClient({ fetch: counter.fetch, hosts: { allowLoopback: true }, onOutcome: (o) => outcomes.push(o) });
  });

  it('queries with the session from storage, at the pinned API version', async () => {
    const result = await client.query<{ Name: string }>('SELECT Name FROM Organization', 'connect');
    expect(result).toMatchObject({ ok: true, value: { records: [{ Name: CONNECTION_ORG_NAME }] } });
    expect(sf.control.calls().byEndpoint).toMatchObject({ 'GET /query': 1 });
    expect(SALESFORCE_API_VERSION).toMatch(/^\d+\.0$/);
    expect(outcomes).toEqual([{ ok: true, purpose: 'connect' }]);
  });

  it('gives up on a call that gets no answer in time, as offline, and the next call works', async () => {
    const impatient = new SalesforceClient({ fetch: counter.fetch, hosts: { allowLoopback: true }, callTimeoutMs: 200 });
    sf.control.fault({ path: '/query', latencyMs: 1_000 });
    const late = await impatient.query('SELECT Id FROM Contact LIMIT 1', 'match');
    expect(late).toMatchObject({ ok: false, error: { kind: 'offline' } });
    expect((await impatient.query('SELECT Id FROM Contact LIMIT 1', 'match')).ok).toBe(true);
  });

  it('refreshes an expired session once, persists the new token, and the call still succeeds', async () => {
    expect(sf.control.expireSessions()).toBeGreaterThan(0);
    const result = await client.query('SELECT Id FROM Contact LIMIT 1', 'match');
    expect(result.ok).toBe(true);
    expect(counter.refreshes).toBe(1);
    const stored = await loadSession();
    expect(stored?.accessToken).not.toBe(session.accessToken);
    expect(stored?.refreshToken).toBe(session.refreshToken);
    // A worker started now (a new client) uses the refreshed token without refreshing again.
    const restarted = new SalesforceClient({ fetch: counter.fetch, hosts: { allowLoopback: true } });
    expect((await restarted.query('SELECT Id FROM Contact LIMIT 1', 'match')).ok).toBe(true);
    expect(counter.refreshes).toBe(1);
  });

  it('makes one refresh for many calls that find the session expired together', async () => {
    sf.control.expireSessions();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => client.query(`SELECT Id FROM Contact LIMIT ${i + 1}`, i % 2 ? 'log' : 'match')),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(counter.refreshes).toBe(1);
  });

  it('makes one refresh when calls start while a refresh is already under way', async () => {
    sf.control.expireSessions();
    sf.control.fault({ path: '/services/oauth2/token', latencyMs: 150 });
    const first = client.query('SELECT Id FROM Contact LIMIT 1', 'match');
    await new Promise((r) => setTimeout(r, 60));
    const later = await Promise.all([1, 2, 3].map(() => client.query('SELECT Id FROM Lead LIMIT 1', 'match')));
    expect((await first).ok).toBe(true);
    expect(later.every((r) => r.ok)).toBe(true);
    expect(counter.refreshes).toBe(1);
  });

  it('says reconnect is needed when the refresh token was revoked, and does not retry forever', async () => {
    sf.control.revokeRefreshTokens();
    sf.control.expireSessions();
    const result = await client.query('SELECT Id FROM Contact', 'sync');
    expect(result).toMatchObject({ ok: false, error: { kind: 'reconnectNeeded', errorCode: 'invalid_grant' } });
    expect(counter.refreshes).toBe(1);
    expect(outcomes.at(-1)).toMatchObject({ ok: false, error: { kind: 'reconnectNeeded' } });
  });

  it('finds an address with a quote in it, and a hostile one matches nothing', async () => {
    const byEmail = (email: string) =>
      client.query<{ LastName: string }>(`SELECT LastName FROM Contact WHERE Email = ${soqlQuote(email)}`, 'match');
    expect(await byEmail("ann.o'brien@obrien-trading.example")).toMatchObject({ ok: true, value: { records: [{ LastName: "O'Brien" }] } });
    expect(await byEmail("x' OR Email != '")).toMatchObject({ ok: true, value: { totalSize: 0 } });
    expect(await byEmail('back\\slash\\')).toMatchObject({ ok: true, value: { totalSize: 0 } });
  });

  it('refuses to send the session to another host', async () => {
    const result = await client.request({ method: 'GET', url: 'http://127.0.0.2:9/services/data/v62.0/limits' }, 'sync');
    expect(result).toMatchObject({ ok: false, error: { errorCode: 'FOREIGN_HOST' } });
  });

  it('classifies what the org answers', async () => {
    sf.control.fault({ path: '/query', status: 403, errorCode: 'API_DISABLED_FOR_ORG' });
    expect(await client.query('SELECT Id FROM Contact', 'match')).toMatchObject({ ok: false, error: { kind: 'noApiAccess' } });
    sf.control.fault({ path: '/query', status: 503 });
    expect(await client.query('SELECT Id FROM Contact', 'match')).toMatchObject({
      ok: false,
      error: { kind: 'salesforceDown', status: 503 },
    });
    expect(await client.query('SELECT Nope FROM Contact', 'match')).toMatchObject({ ok: false, error: { kind: 'validation' } });
    const badField = await client.request({ method: 'POST', url: '/sobjects/Task', body: JSON.stringify({ NoSuchField__c: 1 }) }, 'log');
    expect(badField).toMatchObject({ ok: false, error: { kind: 'validation' } });
  });

  it('reports a Salesforce it cannot reach as offline', async () => {
    await saveSession({ ...session, instanceUrl: 'http://127.0.0.1:9' });
    const result = await new SalesforceClient({ hosts: { allowLoopback: true } }).query('SELECT Id FROM Contact', 'match');
    expect(result).toMatchObject({ ok: false, error: { kind: 'offline' } });
  });

  it('aborts the request it gave up on, so it cannot reach Salesforce long after', async () => {
    // An instance that takes the request and never answers.
    const held: Array<{ closedAt: number | null }> = [];
    const silent = createServer((request) => {
      const entry = { closedAt: null as number | null };
      held.push(entry);
      request.socket.on('close', () => {
        entry.closedAt = Date.now();
      });
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      await saveSession({ ...session, instanceUrl: `http://127.0.0.1:${port}` });
      const impatient = new SalesforceClient({ hosts: { allowLoopback: true }, callTimeoutMs: 200 });
      const startedAt = Date.now();
      expect(await impatient.query('SELECT Id FROM Contact', 'log')).toMatchObject({ ok: false, error: { kind: 'offline' } });
      await expect.poll(() => held[0]?.closedAt ?? null, { timeout: 2_000 }).not.toBeNull();
      expect(held[0]!.closedAt! - startedAt).toBeLessThan(1_500);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('answers notConnected without a session', async () => {
    const fresh = new SalesforceClient();
    fresh.forget();
    await import('@/lib/salesforce/tokens').then((t) => t.clearSession());
    expect(await fresh.query('SELECT Id FROM Contact', 'match')).toMatchObject({ ok: false, error: { kind: 'notConnected' } });
  });

  it("counts every call by purpose and keeps the org's usage from Sforce-Limit-Info", async () => {
    sf.control.setAllowance(15_000, 4_000);
    await client.query('SELECT Id FROM Contact LIMIT 1', 'match');
    await client.query('SELECT Id FROM Contact LIMIT 1', 'match');
    await client.query('SELECT Id FROM Task LIMIT 1', 'sync');
    const usage = await readUsage();
    expect(usage.calls).toEqual({ match: 2, log: 0, sync: 1, connect: 0 });
    expect(usage.org).toMatchObject({ used: 4_003, max: 15_000 });
  });

  it('holds task sync back near the limit, and pauses everything after REQUEST_LIMIT_EXCEEDED', async () => {
    sf.control.setAllowance(1_000, 950);
    await client.query('SELECT Id FROM Contact LIMIT 1', 'match');
    const before = sf.control.calls().total;
    expect(await client.query('SELECT Id FROM Task', 'sync')).toMatchObject({
      ok: false,
      error: { kind: 'limitExceeded', errorCode: 'NEAR_LIMIT' },
    });
    expect(sf.control.calls().total).toBe(before);
    expect((await client.query('SELECT Id FROM Contact LIMIT 1', 'log')).ok).toBe(true);

    sf.control.fault({ path: '/query', status: 403, errorCode: 'REQUEST_LIMIT_EXCEEDED' });
    expect(await client.query('SELECT Id FROM Contact', 'log')).toMatchObject({ ok: false, error: { kind: 'limitExceeded' } });
    const paused = await client.query('SELECT Id FROM Contact', 'log');
    expect(paused).toMatchObject({ ok: false, error: { kind: 'limitExceeded', errorCode: 'REQUEST_LIMIT_EXCEEDED' } });
    expect(paused.ok ? 0 : (paused.error.retryAt ?? 0)).toBeGreaterThan(Date.now());
    // The rep can still check the connection.
    expect((await client.query('SELECT Name FROM Organization', 'connect')).ok).toBe(true);
  });
});
