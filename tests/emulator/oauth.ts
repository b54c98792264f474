/**
 * OAuth 2.0 as Salesforce serves it: the authorization-code flow with PKCE (the org approves at
 * once, it is a test org), refresh tokens, revocation, the identity URL and userinfo. Access
 * tokens have no expires_in; a session that timed out or was expired answers 401 later.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { Rec } from './objects';
import type { OrgStore } from './store';

export interface Session {
  token: string;
  userId: string;
  clientId: string;
  refreshToken?: string;
  lastUsed: number;
}

interface RefreshGrant {
  token: string;
  userId: string;
  clientId: string;
  scope: string;
}

interface AuthCode {
  clientId: string;
  redirectUri: string;
  challenge?: string;
  challengeMethod?: string;
  userId: string;
  scope: string;
  expires: number;
}

export interface AuthJSON {
  sessions: Session[];
  refreshTokens: RefreshGrant[];
}

export interface OAuthReply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

const SIGNING_KEY = 'org-emulator-signing-key';

/**
 * An app OAuth knows: its consumer key and callback URLs. Since Spring '26 admins create External
 * Client Apps (new Connected Apps can no longer be created); a Connected App made before then
 * still signs users in the same way.
 */
export interface OAuthApp {
  kind: 'externalClientApp' | 'connectedApp';
  clientId: string;
  /** The callback URLs, each compared with `redirect_uri` exactly, as Salesforce does. */
  callbackUrls: string[];
}

/**
 * The External Client App the extension signs in as by default (lib/salesforce/client-id.ts),
 * with the two callbacks README.md tells admins to register: Chrome's for the pinned extension
 * id, and Firefox's, derived from the add-on id.
 */
export const DEFAULT_APP: OAuthApp = {
  kind: 'externalClientApp',
  clientId: 'sales-activity-sync',
  callbackUrls: [
    'https://hnlekkcnbcebeecddbkacphgkinejdon.chromiumapp.org/oauth2',
    'https://0afce2b68deb4711c80150de359f78f342f40e2a.extensions.allizom.org/oauth2',
  ],
};

/** No patterns and no prefix matching: a trailing slash, another port or path is a mismatch. */
const callbackAllowed = (app: OAuthApp, url: string) => app.callbackUrls.includes(url);
const CODE_LIFETIME_MS = 15 * 60_000;
const random = (bytes: number) => randomBytes(bytes).toString('base64url');
const oauthError = (status: number, error: string, description: string): OAuthReply => ({
  status,
  body: { error, error_description: description },
});

export class Auth {
  readonly sessions = new Map<string, Session>();
  readonly refreshTokens = new Map<string, RefreshGrant>();
  private readonly codes = new Map<string, AuthCode>();
  /** Salesforce's default session timeout is 2 hours of inactivity. */
  sessionTimeoutMs = 2 * 60 * 60_000;
  onChange: () => void = () => {};
  apps: OAuthApp[] = [DEFAULT_APP];
  /** Token requests by grant_type, answered or refused: how a test sees that N callers made one refresh. */
  readonly grants = new Map<string, number>();

  constructor(private readonly store: OrgStore) {}

  private orgId(): string {
    const org = this.store.table('Organization')!.rows.values().next().value;
    return org?.Id ?? '00D5g000000000AEAQ';
  }

  private user(id: string): Rec | undefined {
    return this.store.table('User')!.rows.get(id);
  }

  /** The user a login lands on: the one named by login_hint, else the first active user. */
  private loginUser(hint: string | null): Rec | undefined {
    const users = [...this.store.table('User')!.rows.values()].filter((u) => u.IsActive !== false && !u.IsDeleted);
    const wanted = hint?.toLowerCase();
    return (
      users.find((u) => wanted && (String(u.Username).toLowerCase() === wanted || String(u.Email).toLowerCase() === wanted)) ?? users[0]
    );
  }

  identityUrl(base: string, userId: string): string {
    return `${base}/id/${this.orgId()}/${userId}`;
  }

  /** The session of a REST request's `Authorization: Bearer|OAuth <token>`, if it is live. */
  authenticate(header: string | undefined): Session | undefined {
    const match = header ? /^(?:Bearer|OAuth)\s+(.+)$/i.exec(header.trim()) : null;
    if (!match) return undefined;
    const session = this.sessions.get(match[1]!);
    if (!session) return undefined;
    const now = this.store.now();
    if (now - session.lastUsed > this.sessionTimeoutMs) {
      this.sessions.delete(session.token);
      return undefined;
    }
    session.lastUsed = now;
    return session;
  }

  authorize(params: URLSearchParams): OAuthReply {
    const redirectUri = params.get('redirect_uri') ?? '';
    const clientId = params.get('client_id') ?? '';
    // Like Salesforce, a bad client or callback gets an error page, never a redirect.
    const errorPage = (error: string, description: string): OAuthReply => ({
      status: 400,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: `error=${error}&error_description=${encodeURIComponent(description)}`,
    });
    const app = this.apps.find((a) => a.clientId === clientId);
    if (!app) return errorPage('invalid_client_id', 'client identifier invalid');
    if (!redirectUri || !callbackAllowed(app, redirectUri))
      return errorPage('redirect_uri_mismatch', 'redirect_uri must match configuration');
    const back = (query: Record<string, string>) => {
      const url = new URL(redirectUri);
      for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
      const state = params.get('state');
      if (state !== null) url.searchParams.set('state', state);
      return { status: 302, headers: { location: url.toString() } };
    };
    if (params.get('response_type') !== 'code') {
      return back({ error: 'unsupported_response_type', error_description: 'response type not supported' });
    }
    // Salesforce hashes with SHA-256 when the method is left out (jsforce sends none).
    const method = params.get('code_challenge_method') ?? (params.get('code_challenge') ? 'S256' : undefined);
    if (method && method !== 'S256' && method !== 'plain') {
      return back({ error: 'invalid_request', error_description: 'invalid code_challenge_method' });
    }
    const user = this.loginUser(params.get('login_hint'));
    if (!user) return back({ error: 'access_denied', error_description: 'end-user denied authorization' });
    const code = `aPrx${random(48)}`;
    const challenge = params.get('code_challenge');
    this.codes.set(code, {
      clientId,
      redirectUri,
      userId: user.Id,
      scope: params.get('scope') ?? 'api refresh_token',
      expires: this.store.now() + CODE_LIFETIME_MS,
      ...(challenge ? { challenge, challengeMethod: method } : {}),
    });
    return back({ code });
  }

  token(params: URLSearchParams, base: string): OAuthReply {
    const grant = params.get('grant_type');
    this.grants.set(grant ?? '', (this.grants.get(grant ?? '') ?? 0) + 1);
    if (grant === 'authorization_code') return this.exchangeCode(params, base);
    if (grant === 'refresh_token') return this.refresh(params, base);
    return oauthError(400, 'unsupported_grant_type', 'grant type not supported');
  }

  private exchangeCode(params: URLSearchParams, base: string): OAuthReply {
    const code = params.get('code') ?? '';
    const entry = this.codes.get(code);
    // Codes are single-use: a second exchange fails even if the first one did.
    this.codes.delete(code);
    if (!entry || entry.expires < this.store.now()) return oauthError(400, 'invalid_grant', 'expired authorization code');
    if (params.get('client_id') !== entry.clientId) return oauthError(400, 'invalid_client_id', 'client identifier invalid');
    if (params.get('redirect_uri') !== entry.redirectUri)
      return oauthError(400, 'redirect_uri_mismatch', 'redirect_uri must match configuration');
    if (entry.challenge) {
      const verifier = params.get('code_verifier') ?? '';
      const computed = entry.challengeMethod === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
      if (!verifier || computed !== entry.challenge) return oauthError(400, 'invalid_grant', 'invalid code verifier');
    }
    const refreshToken = entry.scope.split(/\s+/).some((s) => s === 'refresh_token' || s === 'offline_access' || s === 'full')
      ? `5Aep861${random(64)}`
      : undefined;
    if (refreshToken)
      this.refreshTokens.set(refreshToken, { token: refreshToken, userId: entry.userId, clientId: entry.clientId, scope: entry.scope });
    return { status: 200, body: this.issue(entry.userId, entry.clientId, entry.scope, base, refreshToken) };
  }

  private refresh(params: URLSearchParams, base: string): OAuthReply {
    const grant = this.refreshTokens.get(params.get('refresh_token') ?? '');
    if (!grant) return oauthError(400, 'invalid_grant', 'expired access/refresh token');
    if (params.get('client_id') !== grant.clientId) return oauthError(400, 'invalid_client_id', 'client identifier invalid');
    const body = this.issue(grant.userId, grant.clientId, grant.scope, base, undefined, grant.token);
    return { status: 200, body };
  }

  private issue(userId: string, clientId: string, scope: string, base: string, refreshToken?: string, fromRefresh?: string) {
    const token = `${this.orgId().slice(0, 15)}!AR${random(72)}`;
    const issuedAt = String(this.store.now());
    const id = this.identityUrl(base, userId);
    this.sessions.set(token, {
      token,
      userId,
      clientId,
      lastUsed: this.store.now(),
      ...((refreshToken ?? fromRefresh) ? { refreshToken: refreshToken ?? fromRefresh } : {}),
    });
    this.onChange();
    return {
      access_token: token,
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
      signature: createHmac('sha256', SIGNING_KEY)
        .update(id + issuedAt)
        .digest('base64'),
      scope,
      instance_url: base,
      id,
      token_type: 'Bearer',
      issued_at: issuedAt,
    };
  }

  /** Revokes an access token, or a refresh token together with every session it issued. */
  revoke(params: URLSearchParams): OAuthReply {
    const token = params.get('token') ?? '';
    if (this.sessions.delete(token)) {
      this.onChange();
      return { status: 200 };
    }
    if (this.refreshTokens.delete(token)) {
      for (const [key, session] of this.sessions) if (session.refreshToken === token) this.sessions.delete(key);
      this.onChange();
      return { status: 200 };
    }
    return oauthError(400, 'unsupported_token_type', 'this token type is not supported');
  }

  /** The identity URL's answer (and, in OpenID Connect terms, userinfo's). */
  identity(header: string | undefined, base: string, kind: 'id' | 'userinfo', path?: { orgId: string; userId: string }): OAuthReply {
    const session = this.authenticate(header);
    if (!session || (path && (path.userId !== session.userId || path.orgId !== this.orgId()))) {
      return { status: 403, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Bad_OAuth_Token' };
    }
    const user = this.user(session.userId)!;
    const id = this.identityUrl(base, user.Id);
    const urls = {
      enterprise: `${base}/services/Soap/c/{version}/${this.orgId().slice(0, 15)}`,
      partner: `${base}/services/Soap/u/{version}/${this.orgId().slice(0, 15)}`,
      rest: `${base}/services/data/v{version}/`,
      sobjects: `${base}/services/data/v{version}/sobjects/`,
      search: `${base}/services/data/v{version}/search/`,
      query: `${base}/services/data/v{version}/query/`,
      recent: `${base}/services/data/v{version}/recent/`,
      profile: `${base}/${user.Id}`,
      custom_domain: base,
    };
    const common = {
      active: user.IsActive !== false,
      user_type: 'STANDARD',
      language: user.LanguageLocaleKey,
      locale: user.LocaleSidKey,
      utcOffset: 0,
      urls,
      is_app_installed: true,
    };
    if (kind === 'userinfo') {
      return {
        status: 200,
        body: {
          sub: id,
          user_id: user.Id,
          organization_id: this.orgId(),
          preferred_username: user.Username,
          nickname: user.Alias,
          name: user.Name,
          email: user.Email,
          email_verified: true,
          given_name: user.FirstName,
          family_name: user.LastName,
          zoneinfo: user.TimeZoneSidKey,
          updated_at: user.LastModifiedDate,
          ...common,
        },
      };
    }
    return {
      status: 200,
      body: {
        id,
        asserted_user: true,
        user_id: user.Id,
        organization_id: this.orgId(),
        username: user.Username,
        nick_name: user.Alias,
        display_name: user.Name,
        email: user.Email,
        email_verified: true,
        first_name: user.FirstName,
        last_name: user.LastName,
        timezone: user.TimeZoneSidKey,
        status: { created_date: null, body: null },
        last_modified_date: user.LastModifiedDate,
        ...common,
      },
    };
  }

  /** Every access token stops working at once (as when sessions time out or an admin ends them). */
  expireSessions(): number {
    const n = this.sessions.size;
    this.sessions.clear();
    this.onChange();
    return n;
  }

  /** Every refresh token stops working (as when the connected app's access is revoked). */
  revokeRefreshTokens(): number {
    const n = this.refreshTokens.size;
    this.refreshTokens.clear();
    this.onChange();
    return n;
  }

  toJSON(): AuthJSON {
    return { sessions: [...this.sessions.values()], refreshTokens: [...this.refreshTokens.values()] };
  }

  load(data: AuthJSON): void {
    this.sessions.clear();
    this.refreshTokens.clear();
    for (const s of data.sessions) this.sessions.set(s.token, s);
    for (const r of data.refreshTokens) this.refreshTokens.set(r.token, r);
  }
}
