/**
 * Where the extension may send a rep's Salesforce credentials: the login host of each
 * environment, a My Domain the rep typed, and the instance URL Salesforce answers with.
 * Every URL that will receive a token passes through here first.
 *
 * Only `https://*.salesforce.com` is allowed (the manifest's host permission). Loopback
 * (the org emulator) is allowed only in builds made with `--mode e2e` or in development.
 */

export type SalesforceEnvironment = 'production' | 'sandbox' | 'custom';

export const LOGIN_URLS = {
  production: 'https://login.salesforce.com',
  sandbox: 'https://test.salesforce.com',
} as const;

/** Why a My Domain was refused; the Connection tab words each one. */
export type MyDomainProblem = 'empty' | 'notUrl' | 'notHttps' | 'notMyDomain' | 'hasCredentials' | 'hasPort';

export type MyDomainParse = { ok: true; origin: string } | { ok: false; problem: MyDomainProblem };

export interface HostOptions {
  /** Whether http://127.0.0.1 and http://localhost are acceptable (the emulator). */
  allowLoopback?: boolean;
}

/** True only in builds that may talk to the org emulator; production builds answer false. */
export function loopbackAllowed(): boolean {
  const mode = import.meta.env.MODE;
  return mode === 'e2e' || mode === 'development';
}

const LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost']);

function hostIsUnder(host: string, suffix: string): boolean {
  if (!host.endsWith(suffix)) return false;
  const labels = host.slice(0, -suffix.length).split('.');
  return labels.length > 0 && labels.every((l) => LABEL.test(l));
}

/** login.salesforce.com, na1.salesforce.com, acme.my.salesforce.com, ... */
export const isSalesforceHost = (host: string) => hostIsUnder(host, '.salesforce.com');

const isLoopback = (url: URL) => url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);

/**
 * Reads what a rep typed or pasted as their My Domain and returns the login origin to use.
 * Accepts "acme.my.salesforce.com", its https URL with any path, and the Lightning or Setup
 * address of the same org (acme.lightning.force.com), which people copy from their address bar.
 */
export function parseMyDomain(raw: string, options: HostOptions = {}): MyDomainParse {
  const text = raw.trim();
  if (text === '') return { ok: false, problem: 'empty' };
  if (/\s/.test(text)) return { ok: false, problem: 'notUrl' };
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { ok: false, problem: 'notUrl' };
  }
  const allowLoopback = options.allowLoopback ?? loopbackAllowed();
  if (allowLoopback && isLoopback(url)) {
    if (url.username || url.password) return { ok: false, problem: 'hasCredentials' };
    return { ok: true, origin: url.origin };
  }
  if (url.protocol !== 'https:') return { ok: false, problem: url.protocol === 'http:' ? 'notHttps' : 'notUrl' };
  if (url.username || url.password) return { ok: false, problem: 'hasCredentials' };
  if (url.port !== '') return { ok: false, problem: 'hasPort' };
  const host = myDomainHostOf(url.hostname);
  if (!host) return { ok: false, problem: 'notMyDomain' };
  return { ok: true, origin: `https://${host}` };
}

/** The My Domain login host for a host of the same org, or null when it is not one. */
function myDomainHostOf(hostname: string): string | null {
  const host = hostname.replace(/\.$/, '');
  if (host === 'login.salesforce.com' || host === 'test.salesforce.com') return host;
  if (hostIsUnder(host, '.my.salesforce.com')) return host;
  // acme.lightning.force.com / acme--uat.sandbox.lightning.force.com / acme.my.salesforce-setup.com
  for (const suffix of ['.lightning.force.com', '.my.salesforce-setup.com']) {
    if (hostIsUnder(host, suffix)) return `${host.slice(0, -suffix.length)}.my.salesforce.com`;
  }
  return null;
}

export type LoginUrlResult = { ok: true; loginUrl: string } | { ok: false; problem: MyDomainProblem };

export function loginUrlFor(environment: SalesforceEnvironment, myDomain: string, options: HostOptions = {}): LoginUrlResult {
  if (environment !== 'custom') return { ok: true, loginUrl: LOGIN_URLS[environment] };
  const parsed = parseMyDomain(myDomain, options);
  return parsed.ok ? { ok: true, loginUrl: parsed.origin } : parsed;
}

/**
 * Whether an instance URL from a token response may receive the access token: an https
 * Salesforce host on the default port, or loopback where allowed. Returns its origin.
 */
export function salesforceOriginOf(raw: unknown, options: HostOptions = {}): string | null {
  if (typeof raw !== 'string') return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.username || url.password) return null;
  if ((options.allowLoopback ?? loopbackAllowed()) && isLoopback(url)) return url.origin;
  if (url.protocol !== 'https:' || url.port !== '') return null;
  return isSalesforceHost(url.hostname) ? url.origin : null;
}
