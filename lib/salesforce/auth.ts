/**
 * OAuth 2.0 authorization code flow with PKCE against Salesforce (salesforce.md, "OAuth from an
 * extension"): the authorize URL, the redirect check, the code exchange, refresh and revoke.
 * No client secret: the extension is a public client. The decisions are pure functions; the
 * network calls take `fetch` as a parameter so tests run them against the org emulator.
 */
import { classifyOAuthError, failed, type SalesforceError, type SalesforceResult, succeeded } from './errors';
import { type HostOptions, salesforceOriginOf } from './hosts';
import { createPkcePair, randomToken } from './pkce';

export const OAUTH_SCOPES = 'api refresh_token';

export type Fetch = typeof fetch;

export interface AuthorizeRequest {
  loginUrl: string;
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  state: string;
}

export function authorizeUrl(request: AuthorizeRequest): string {
  const url = new URL('/services/oauth2/authorize', request.loginUrl);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: request.clientId,
    redirect_uri: request.redirectUri,
    code_challenge: request.codeChallenge,
    code_challenge_method: 'S256',
    state: request.state,
    scope: OAUTH_SCOPES,
  }).toString();
  return url.toString();
}

/**
 * Reads the URL Salesforce redirected the login window to. Refuses anything that is not our
 * redirect URI carrying the `state` we sent: a forged or replayed redirect gets no exchange.
 */
export function codeFromRedirect(redirectedTo: string, redirectUri: string, expectedState: string): SalesforceResult<string> {
  let url: URL;
  try {
    url = new URL(redirectedTo);
  } catch {
    return failed({ kind: 'authFailed', message: 'the login window returned no URL', errorCode: 'bad_redirect' });
  }
  const expected = new URL(redirectUri);
  if (url.origin !== expected.origin || url.pathname !== expected.pathname) {
    return failed({ kind: 'authFailed', message: 'the login window returned to an unexpected address', errorCode: 'bad_redirect' });
  }
  // Salesforce puts the answer in the query; some flows use the fragment.
  const params = url.search.length > 1 ? url.searchParams : new URLSearchParams(url.hash.replace(/^#/, ''));
  if (params.get('state') !== expectedState) {
    return failed({
      kind: 'authFailed',
      message: 'the login answer does not belong to this sign-in (state mismatch)',
      errorCode: 'state_mismatch',
    });
  }
  const error = params.get('error');
  if (error) {
    const description = params.get('error_description') ?? undefined;
    return failed(
      error === 'access_denied'
        ? { kind: 'authCancelled', message: description ?? error, errorCode: error }
        : classifyOAuthError(400, error, description),
    );
  }
  const code = params.get('code');
  if (!code) return failed({ kind: 'authFailed', message: 'the login answer has no authorization code', errorCode: 'no_code' });
  return succeeded(code);
}

/** What Salesforce's token endpoint answers; no `expires_in`: a 401 tells us the token expired. */
export interface TokenGrant {
  accessToken: string;
  /** Present on the code exchange, and on a refresh when the app rotates refresh tokens. */
  refreshToken?: string;
  instanceUrl: string;
  /** The identity URL: https://login.salesforce.com/id/<orgId>/<userId>. */
  idUrl: string;
  orgId: string;
  userId: string;
  issuedAt: number;
}

function parseTokenGrant(body: unknown, hosts: HostOptions): SalesforceResult<TokenGrant> {
  const bad = (why: string) => failed({ kind: 'authFailed', message: `Salesforce's token answer ${why}`, errorCode: 'bad_token_response' });
  if (typeof body !== 'object' || body === null) return bad('is not JSON');
  const b = body as Record<string, unknown>;
  if (typeof b.access_token !== 'string' || b.access_token === '') return bad('has no access token');
  // The access token will be sent to instance_url: it must be Salesforce's own host.
  const instanceUrl = salesforceOriginOf(b.instance_url, hosts);
  if (!instanceUrl) return bad('names an instance that is not a Salesforce host');
  const idUrl = typeof b.id === 'string' ? b.id : '';
  const [orgId = '', userId = ''] = idUrl.split('/').slice(-2);
  if (!/^00D[A-Za-z0-9]{12,15}$/.test(orgId) || !/^005[A-Za-z0-9]{12,15}$/.test(userId)) return bad('has no identity URL');
  const issuedAt = Number(b.issued_at);
  return succeeded({
    accessToken: b.access_token,
    ...(typeof b.refresh_token === 'string' && b.refresh_token !== '' ? { refreshToken: b.refresh_token } : {}),
    instanceUrl,
    idUrl,
    orgId,
    userId,
    issuedAt: Number.isFinite(issuedAt) && issuedAt > 0 ? issuedAt : Date.now(),
  });
}

async function postForm(
  fetchFn: Fetch,
  url: string,
  form: Record<string, string>,
): Promise<SalesforceResult<{ status: number; body: unknown }>> {
  let response: Response;
  try {
    response = await fetchFn(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
      // Salesforce's own cookies must not decide which user's token comes back.
      credentials: 'omit',
    });
  } catch (error) {
    return failed({ kind: 'offline', message: error instanceof Error ? error.message : String(error) });
  }
  const text = await response.text().catch(() => '');
  let body: unknown = null;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    body = null;
  }
  return succeeded({ status: response.status, body });
}

async function tokenRequest(
  fetchFn: Fetch,
  loginUrl: string,
  form: Record<string, string>,
  hosts: HostOptions,
): Promise<SalesforceResult<TokenGrant>> {
  const answer = await postForm(fetchFn, new URL('/services/oauth2/token', loginUrl).toString(), form);
  if (!answer.ok) return answer;
  const { status, body } = answer.value;
  if (status !== 200) {
    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    return failed(
      classifyOAuthError(
        status,
        typeof b.error === 'string' ? b.error : undefined,
        typeof b.error_description === 'string' ? b.error_description : undefined,
      ),
    );
  }
  return parseTokenGrant(body, hosts);
}

export interface ClientInfo {
  loginUrl: string;
  clientId: string;
  redirectUri: string;
}

export function exchangeCode(
  fetchFn: Fetch,
  client: ClientInfo,
  code: string,
  codeVerifier: string,
  hosts: HostOptions = {},
): Promise<SalesforceResult<TokenGrant>> {
  return tokenRequest(
    fetchFn,
    client.loginUrl,
    { grant_type: 'authorization_code', code, code_verifier: codeVerifier, client_id: client.clientId, redirect_uri: client.redirectUri },
    hosts,
  );
}

export function refreshAccessToken(
  fetchFn: Fetch,
  client: Pick<ClientInfo, 'loginUrl' | 'clientId'>,
  refreshToken: string,
  hosts: HostOptions = {},
): Promise<SalesforceResult<TokenGrant>> {
  return tokenRequest(
    fetchFn,
    client.loginUrl,
    { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: client.clientId },
    hosts,
  );
}

/** Revokes a token (the refresh token revokes its access tokens too). An already-invalid token counts as revoked. */
export async function revokeToken(fetchFn: Fetch, loginUrl: string, token: string): Promise<SalesforceResult<void>> {
  const answer = await postForm(fetchFn, new URL('/services/oauth2/revoke', loginUrl).toString(), { token });
  if (!answer.ok) return answer;
  const { status, body } = answer.value;
  if (status === 200) return succeeded(undefined);
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (status === 400 && (b.error === 'unsupported_token_type' || b.error === 'invalid_token')) return succeeded(undefined);
  return failed(
    classifyOAuthError(
      status,
      typeof b.error === 'string' ? b.error : undefined,
      typeof b.error_description === 'string' ? b.error_description : undefined,
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// The interactive sign-in (worker only: it opens Salesforce's login in the browser's auth window)

export interface WebAuthFlow {
  launchWebAuthFlow(details: { url: string; interactive: boolean }): Promise<string | undefined>;
}

/**
 * Opens Salesforce's login for the rep and exchanges the code for tokens. The verifier and
 * state live only in this call: a worker restart mid-login just means signing in again.
 */
export async function signIn(
  identity: WebAuthFlow,
  fetchFn: Fetch,
  client: ClientInfo,
  hosts: HostOptions = {},
): Promise<SalesforceResult<TokenGrant>> {
  const pkce = await createPkcePair();
  const state = randomToken(16);
  let redirectedTo: string | undefined;
  try {
    redirectedTo = await identity.launchWebAuthFlow({
      url: authorizeUrl({ ...client, codeChallenge: pkce.challenge, state }),
      interactive: true,
    });
  } catch (error) {
    return failed(webAuthFlowError(error));
  }
  if (!redirectedTo) return failed({ kind: 'authCancelled', message: 'the login window returned nothing' });
  const code = codeFromRedirect(redirectedTo, client.redirectUri, state);
  if (!code.ok) return code;
  return exchangeCode(fetchFn, client, code.value, pkce.verifier, hosts);
}

/** launchWebAuthFlow rejects with a bare message; these are Chrome's and Firefox's words for each case. */
function webAuthFlowError(error: unknown): SalesforceError {
  const message = error instanceof Error ? error.message : String(error);
  if (/did not approve|user cancel|closed|canceled|cancelled/i.test(message)) return { kind: 'authCancelled', message };
  if (/could not be loaded|ERR_|network/i.test(message)) return { kind: 'offline', message };
  return { kind: 'authFailed', message };
}
