import { describe, expect, it } from 'vitest';
import { authorizeUrl, codeFromRedirect, OAUTH_SCOPES, signIn } from '@/lib/salesforce/auth';

const REDIRECT = 'https://hnlekkcnbcebeecddbkacphgkinejdon.chromiumapp.org/oauth2';

describe('the authorize URL', () => {
  it('asks for a code with an S256 challenge, our state, and the api and refresh_token scopes', () => {
    const url = new URL(
      authorizeUrl({
        loginUrl: 'https://acme.my.salesforce.com',
        clientId: 'key&1',
        redirectUri: REDIRECT,
        codeChallenge: 'ch',
        state: 's t',
      }),
    );
    expect(url.origin + url.pathname).toBe('https://acme.my.salesforce.com/services/oauth2/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'key&1',
      redirect_uri: REDIRECT,
      code_challenge: 'ch',
      code_challenge_method: 'S256',
      state: 's t',
      scope: 'api refresh_token',
    });
    expect(OAUTH_SCOPES).toBe('api refresh_token');
    expect(url.search).not.toContain('client_secret');
  });
});

describe('the redirect back from Salesforce', () => {
  it('yields the code when the state is ours', () => {
    expect(codeFromRedirect(`${REDIRECT}?code=aPrx%3D%3D&state=abc`, REDIRECT, 'abc')).toEqual({ ok: true, value: 'aPrx==' });
  });

  it.each([
    ['another state', `${REDIRECT}?code=x&state=evil`],
    ['no state', `${REDIRECT}?code=x`],
    ['a repeated state param', `${REDIRECT}?state=evil&state=abc&code=x`],
  ])('refuses %s', (_, url) => {
    const result = codeFromRedirect(url, REDIRECT, 'abc');
    expect(result).toMatchObject({ ok: false, error: { kind: 'authFailed', errorCode: 'state_mismatch' } });
  });

  it('refuses a redirect to another address, even with the right state', () => {
    for (const url of ['https://evil.example/oauth2?code=x&state=abc', `${REDIRECT}/other?code=x&state=abc`, 'not a url']) {
      expect(codeFromRedirect(url, REDIRECT, 'abc')).toMatchObject({ ok: false, error: { kind: 'authFailed' } });
    }
  });

  it('tells a denied access from a failure', () => {
    expect(codeFromRedirect(`${REDIRECT}?error=access_denied&error_description=end-user+denied&state=abc`, REDIRECT, 'abc')).toMatchObject({
      ok: false,
      error: { kind: 'authCancelled', errorCode: 'access_denied' },
    });
    expect(codeFromRedirect(`${REDIRECT}?state=abc`, REDIRECT, 'abc')).toMatchObject({ ok: false, error: { errorCode: 'no_code' } });
  });
});

describe('signing in', () => {
  const client = { loginUrl: 'https://acme.my.salesforce.com', clientId: 'key', redirectUri: REDIRECT };
  const noFetch = (() => {
    throw new Error('must not reach the token endpoint');
  }) as unknown as typeof fetch;

  it('never exchanges a code whose state is not the one it sent', async () => {
    const identity = { launchWebAuthFlow: async () => `${REDIRECT}?code=stolen&state=not-ours` };
    expect(await signIn(identity, noFetch, client)).toMatchObject({ ok: false, error: { errorCode: 'state_mismatch' } });
  });

  it('reports a closed login window as cancelled', async () => {
    const identity = {
      launchWebAuthFlow: async () => {
        throw new Error('The user did not approve access.');
      },
    };
    expect(await signIn(identity, noFetch, client)).toMatchObject({ ok: false, error: { kind: 'authCancelled' } });
  });

  it('sends a fresh S256 challenge and state each time', async () => {
    const urls: URL[] = [];
    const identity = {
      launchWebAuthFlow: async ({ url }: { url: string }) => {
        urls.push(new URL(url));
        return undefined;
      },
    };
    await signIn(identity, noFetch, client);
    await signIn(identity, noFetch, client);
    const [a, b] = urls.map((u) => u.searchParams);
    expect(a?.get('code_challenge_method')).toBe('S256');
    expect(a?.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a?.get('code_challenge')).not.toBe(b?.get('code_challenge'));
    expect(a?.get('state')).not.toBe(b?.get('state'));
  });
});
