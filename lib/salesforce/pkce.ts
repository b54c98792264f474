/**
 * PKCE (RFC 7636, S256) and the OAuth `state` value, made with WebCrypto so the same code runs
 * in the service worker, the browser pages and Node. No Node crypto: the worker has none.
 */

export interface PkcePair {
  /** Kept in the worker until the code is exchanged; never leaves the browser before that. */
  verifier: string;
  /** Sent with the authorize request: base64url(SHA-256(verifier)). */
  challenge: string;
}

export function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** `byteCount` random bytes as base64url; 32 bytes give the 43-character verifier RFC 7636 recommends. */
export function randomToken(byteCount = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(byteCount)));
}

export async function challengeOf(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

export async function createPkcePair(verifier = randomToken()): Promise<PkcePair> {
  // RFC 7636 section 4.1: 43 to 128 characters of [A-Z] [a-z] [0-9] "-" "." "_" "~".
  if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier)) throw new RangeError('a PKCE verifier is 43-128 unreserved characters');
  return { verifier, challenge: await challengeOf(verifier) };
}
