// OAuth 2.0 as the extension uses it: authorization code with PKCE, refresh, revoke, identity.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, EXTENSION_REDIRECT_URI, pkcePair, signIn } from './client';
import { type Emulator, startEmulator } from './index';

let sf: Emulator;
beforeAll(async () => {
  sf = await startEmulator();
});
afterAll(() => sf.stop());

function authorizeUrl(params: Record<string, string>): URL {
  const url = new URL('/services/oauth2/authorize', sf.url);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: 'sales-activity-sync',
    redirect_uri: EXTENSION_REDIRECT_URI,
    scope: 'api refresh_token',
    ...params,
  }).toString();
  return url;
}

async function authorize(params: Record<string, string> = {}) {
  const res = await fetch(authorizeUrl(params), { redirect: 'manual' });
  return { status: res.status, location: res.headers.get('location'), text: await res.text() };
}

const token = (params: Record<string, string>) =>
  fetch(`${sf.url}/services/oauth2/token`, { method: 'POST', body: new URLSearchParams(params) });

async function codeFor(challenge: string) {
  const { location } = await authorize({ code_challenge: challenge, code_challenge_method: 'S256', state: 's1' });
  return new URL(location!).searchParams.get('code')!;
}

describe('authorize', () => {
  it('approves at once and redirects to the extension callback with code and state', async () => {
    const { status, location } = await authorize({ state: 'abc 123', code_challenge: pkcePair().challenge, code_challenge_method: 'S256' });
    expect(status).toBe(302);
    const url = new URL(location!);
    expect(`${url.origin}${url.pathname}`).toBe(EXTENSION_REDIRECT_URI);
    expect(url.searchParams.get('state')).toBe('abc 123');
    expect(url.searchParams.get('code')).toMatch(/^aPrx/);
  });

  it('shows an error page, without redirecting, for an unknown client or callback', async () => {
    const client = await authorize({ client_id: 'someone-else' });
    expect(client.status).toBe(400);
    expect(client.location).toBeNull();
    expect(client.text).toContain('error=invalid_client_id');
    const callback = await authorize({ redirect_uri: 'https://evil.example/cb' });
    expect(callback.status).toBe(400);
    expect(callback.text).toContain('error=redirect_uri_mismatch');
  });

  it('redirects with an error for an unsupported response type', async () => {
    const { status, location } = await authorize({ response_type: 'token', state: 'x' });
    expect(status).toBe(302);
    const url = new URL(location!);
    expect(url.searchParams.get('error')).toBe('unsupported_response_type');
    expect(url.searchParams.get('state')).toBe('x');
  });
});

describe('token', () => {
  it('exchanges a code with the right verifier for the tokens Salesforce returns', async () => {
    const { verifier, challenge } = pkcePair();
    const res = await token({
      grant_type: 'authorization_code',
      code: await codeFor(challenge),
      code_verifier: verifier,
      client_id: 'sales-activity-sync',
      redirect_uri: EXTENSION_REDIRECT_URI,
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ instance_url: sf.url, token_type: 'Bearer', scope: 'api refresh_token' });
    for (const key of ['access_token', 'refresh_token', 'id', 'issued_at', 'signature']) expect(typeof body[key]).toBe('string');
    expect(body).not.toHaveProperty('expires_in');
    expect(body.id).toBe(`${sf.url}/id/${sf.org.records('Organization')[0]!.Id}/${sf.org.defaultUser().Id}`);
  });

  it('refuses a wrong verifier with invalid_grant, and the code cannot be used again', async () => {
    const { verifier, challenge } = pkcePair();
    const code = await codeFor(challenge);
    const common = { grant_type: 'authorization_code', code, client_id: 'sales-activity-sync', redirect_uri: EXTENSION_REDIRECT_URI };
    const wrong = await token({ ...common, code_verifier: pkcePair().verifier });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toEqual({ error: 'invalid_grant', error_description: 'invalid code verifier' });
    // Codes are single-use, even after a failed exchange.
    const again = await token({ ...common, code_verifier: verifier });
    expect(again.status).toBe(400);
    expect((await again.json()).error).toBe('invalid_grant');
  });

  it('refuses a code exchanged twice', async () => {
    const { verifier, challenge } = pkcePair();
    const params = {
      grant_type: 'authorization_code',
      code: await codeFor(challenge),
      code_verifier: verifier,
      client_id: 'sales-activity-sync',
      redirect_uri: EXTENSION_REDIRECT_URI,
    };
    expect((await token(params)).status).toBe(200);
    expect((await token(params)).status).toBe(400);
  });

  it('refreshes: a new access token that works, no new refresh token', async () => {
    const first = await signIn(sf.url);
    const res = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token!, client_id: 'sales-activity-sync' });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.access_token).not.toBe(first.access_token);
    expect(body).not.toHaveProperty('refresh_token');
    const rest = await fetch(`${sf.url}/services/data/v62.0/limits`, { headers: { authorization: `Bearer ${body.access_token}` } });
    expect(rest.status).toBe(200);
  });

  it('answers unsupported_grant_type for other grants', async () => {
    const res = await token({ grant_type: 'password', username: 'x', password: 'y' });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toBe('unsupported_grant_type');
  });
});

describe('revoke', () => {
  it('revoking a refresh token ends it and the sessions it issued', async () => {
    const tokens = await signIn(sf.url);
    const revoke = await fetch(`${sf.url}/services/oauth2/revoke`, {
      method: 'POST',
      body: new URLSearchParams({ token: tokens.refresh_token! }),
    });
    expect(revoke.status).toBe(200);
    const rest = await fetch(`${sf.url}/services/data/v62.0/limits`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(rest.status).toBe(401);
    const refresh = await token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token!, client_id: 'sales-activity-sync' });
    expect(refresh.status).toBe(400);
    expect((await refresh.json()).error).toBe('invalid_grant');
  });

  it('answers 400 for a token it does not know', async () => {
    const revoke = await fetch(`${sf.url}/services/oauth2/revoke`, { method: 'POST', body: new URLSearchParams({ token: 'nope' }) });
    expect(revoke.status).toBe(400);
    expect((await revoke.json()).error).toBe('unsupported_token_type');
  });
});

describe('identity', () => {
  it('the id URL and userinfo describe the signed-in user', async () => {
    const tokens = await signIn(sf.url, { loginHint: 'daniel.brooks@demo-org.example' });
    const auth = { authorization: `Bearer ${tokens.access_token}` };
    const id = await (await fetch(tokens.id, { headers: auth })).json();
    expect(id).toMatchObject({
      username: 'daniel.brooks@demo-org.example',
      display_name: 'Daniel Brooks',
      email: 'daniel.brooks@demo-org.example',
    });
    expect(id.urls.rest).toBe(`${sf.url}/services/data/v{version}/`);
    const info = await (await fetch(`${sf.url}/services/oauth2/userinfo`, { headers: auth })).json();
    expect(info).toMatchObject({ sub: tokens.id, preferred_username: 'daniel.brooks@demo-org.example', name: 'Daniel Brooks' });
  });

  it('refuses a bad token with 403 Bad_OAuth_Token', async () => {
    const res = await fetch(`${sf.url}/services/oauth2/userinfo`, { headers: { authorization: 'Bearer nope' } });
    expect(res.status).toBe(403);
    expect(await res.text()).toBe('Bad_OAuth_Token');
  });
});

describe('through jsforce', () => {
  it('identity() reads the identity URL, logout() revokes the session', async () => {
    const conn = await connect(sf.url);
    const identity = await conn.identity();
    expect(identity).toMatchObject({ username: 'aiko.tanaka@demo-org.example', display_name: 'Aiko Tanaka' });
    const token = conn.accessToken;
    await conn.logout();
    const res = await fetch(`${sf.url}/services/data/v62.0/limits`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(401);
  });
});
