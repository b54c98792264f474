/**
 * The rep's Salesforce session, kept by the service worker only.
 *
 * It lives in `storage.local` (never `storage.sync`: tokens must not travel to other devices
 * through the browser account), sealed with AES-GCM under a non-extractable key kept in the
 * extension's own IndexedDB. Content scripts can read `storage.local` but run in the mail
 * page's origin, so they cannot open the extension's IndexedDB: what they could read is
 * ciphertext. No message ever carries a token (lib/messages.ts has none that could).
 */
import { storage } from '../storage';
import { base64url } from './pkce';

export interface StoredSession {
  /** Where tokens are refreshed and revoked: login.salesforce.com, test.salesforce.com or the My Domain. */
  loginUrl: string;
  clientId: string;
  instanceUrl: string;
  accessToken: string;
  refreshToken: string;
  idUrl: string;
  orgId: string;
  userId: string;
  /** When the current access token was issued (ms since epoch). */
  issuedAt: number;
}

interface SealedSession {
  v: 1;
  iv: string;
  data: string;
}

const sessionItem = storage.defineItem<SealedSession | null>('local:salesforceSession', { fallback: null });

const KEY_DB = 'salesforce-token-key';
const KEY_STORE = 'keys';
const KEY_ID = 'session';

function openKeyDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(KEY_DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(KEY_STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function keyRequest<T>(db: IDBDatabase, mode: IDBTransactionMode, run: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(KEY_STORE, mode);
    const request = run(tx.objectStore(KEY_STORE));
    tx.oncomplete = () => resolve(request.result);
    tx.onerror = () => reject(tx.error);
  });
}

/** The sealing key; made once, never extractable, so not even the extension can export it. */
async function sealingKey(create: boolean): Promise<CryptoKey | null> {
  const db = await openKeyDb();
  try {
    const found = await keyRequest<unknown>(db, 'readonly', (s) => s.get(KEY_ID));
    if (found instanceof CryptoKey) return found;
    if (!create) return null;
    const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    await keyRequest(db, 'readwrite', (s) => s.put(key, KEY_ID));
    return key;
  } finally {
    db.close();
  }
}

const fromBase64url = (text: string) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));

export async function saveSession(session: StoredSession): Promise<void> {
  const key = await sealingKey(true);
  if (!key) throw new Error('no key to seal the Salesforce session with');
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new TextEncoder().encode(JSON.stringify(session)));
  await sessionItem.setValue({ v: 1, iv: base64url(iv), data: base64url(new Uint8Array(data)) });
}

const isSession = (v: unknown): v is StoredSession => {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Record<string, unknown>;
  return (['loginUrl', 'clientId', 'instanceUrl', 'accessToken', 'refreshToken', 'idUrl', 'orgId', 'userId'] as const).every(
    (k) => typeof s[k] === 'string',
  );
};

/** The stored session, or null when there is none or it cannot be opened (its key is gone). */
export async function loadSession(): Promise<StoredSession | null> {
  const sealed = await sessionItem.getValue();
  if (sealed?.v !== 1) return null;
  try {
    const key = await sealingKey(false);
    if (!key) return null;
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64url(sealed.iv) }, key, fromBase64url(sealed.data));
    const parsed: unknown = JSON.parse(new TextDecoder().decode(plain));
    return isSession(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

export async function hasStoredSession(): Promise<boolean> {
  return (await sessionItem.getValue()) !== null;
}

export async function clearSession(): Promise<void> {
  await sessionItem.removeValue();
}
