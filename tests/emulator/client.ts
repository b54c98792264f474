/**
 * Signing in to the emulator the way the extension does (authorization code + PKCE), for tests
 * and benchmarks that need a session: over plain HTTP, or as a jsforce Connection.
 */
import { createHash, randomBytes } from 'node:crypto';
import jsforce, { type Connection } from 'jsforce';
import type { StoredSession } from '../../lib/salesforce/tokens';
import { DEFAULT_APP } from './oauth';

export const TEST_API_VERSION = '62.0';
export const EXTENSION_REDIRECT_URI = 'https://hnlekkcnbcebeecddbkacphgkinejdon.chromiumapp.org/oauth2';

export interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  instance_url: string;
  id: string;
  issued_at: string;
  signature: string;
  token_type: string;
  scope: string;
}

/** The session the extension stores after such a sign-in (StoredSession of lib/salesforce/tokens.ts). */
export function storedSessionOf(loginUrl: string, tokens: TokenResponse, clientId = DEFAULT_APP.clientId): StoredSession {
  const [orgId = '', userId = ''] = tokens.id.split('/').slice(-2);
  return {
    loginUrl,
    clientId,
    instanceUrl: tokens.instance_url,
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token ?? '',
    idUrl: tokens.id,
    orgId,
    userId,
    issuedAt: Number(tokens.issued_at),
  };
}

export interface SignInOptions {
  clientId?: string;
  redirectUri?: string;
  loginHint?: string;
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** Runs authorize (302 with a code) and the token exchange; throws if either step fails. */
export async function signIn(loginUrl: string, options: SignInOptions = {}): Promise<TokenResponse> {
  const clientId = options.clientId ?? DEFAULT_APP.clientId;
  const redirectUri = options.redirectUri ?? EXTENSION_REDIRECT_URI;
  const { verifier, challenge } = pkcePair();
  const authorize = new URL('/services/oauth2/authorize', loginUrl);
  authorize.search = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: 'test-state',
    scope: 'api refresh_token',
    ...(options.loginHint ? { login_hint: options.loginHint } : {}),
  }).toString();
  const redirect = await fetch(authorize, { redirect: 'manual' });
  const location = redirect.headers.get('location');
  const code = location ? new URL(location).searchParams.get('code') : null;
  if (redirect.status !== 302 || !code) throw new Error(`authorize answered ${redirect.status}: ${await redirect.text()}`);
  const token = await fetch(new URL('/services/oauth2/token', loginUrl), {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      client_id: clientId,
      redirect_uri: redirectUri,
    }),
  });
  if (token.status !== 200) throw new Error(`token answered ${token.status}: ${await token.text()}`);
  return (await token.json()) as TokenResponse;
}

/**
 * A jsforce Connection signed in through jsforce's own OAuth2 client (authorization code with
 * PKCE): it knows its identity URL and refreshes itself on 401, as the worker's does.
 */
export async function connect(loginUrl: string, options: SignInOptions = {}): Promise<Connection> {
  const oauth2 = new jsforce.OAuth2({
    clientId: options.clientId ?? DEFAULT_APP.clientId,
    redirectUri: options.redirectUri ?? EXTENSION_REDIRECT_URI,
    loginUrl,
    useVerifier: true,
  });
  const authorizeUrl = oauth2.getAuthorizationUrl({
    scope: 'api refresh_token',
    state: 'jsforce',
    ...(options.loginHint ? { login_hint: options.loginHint } : {}),
  });
  const redirect = await fetch(authorizeUrl, { redirect: 'manual' });
  const code = new URL(redirect.headers.get('location') ?? 'about:blank').searchParams.get('code');
  if (!code) throw new Error(`authorize answered ${redirect.status}: ${await redirect.text()}`);
  const conn = new jsforce.Connection({ oauth2, version: TEST_API_VERSION });
  await conn.authorize(code);
  return conn;
}
