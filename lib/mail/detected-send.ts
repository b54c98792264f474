/**
 * Checks a send reported by a page-world script before the extension believes any of it. The
 * page can post anything on the bridge, so every field is type-checked, bounded and copied
 * into a fresh object (nothing from the page is kept by reference).
 */
import { isEmailAddress } from '../address';
import type { DetectedSend, MailAddress } from './types';

/** Bounds shared by the bridge and the worker's message rules. */
export const SEND_LIMITS = {
  idLength: 200,
  subjectLength: 10_000,
  /** HTML bodies above this are not accepted from the page; 2 MB of characters. */
  bodyLength: 2_000_000,
  nameLength: 300,
  recipients: 500,
} as const;

const isPlainRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const boundedString = (value: unknown, max: number): value is string => typeof value === 'string' && value.length <= max;

/** A message or thread id: printable, no spaces, bounded. */
export function isProviderId(value: unknown): value is string {
  return boundedString(value, SEND_LIMITS.idLength) && value.length > 0 && /^[\x21-\x7e]+$/.test(value);
}

export function readMailAddress(value: unknown): MailAddress | null {
  if (!isPlainRecord(value) || typeof value.email !== 'string' || !isEmailAddress(value.email)) return null;
  if (value.name !== undefined && !boundedString(value.name, SEND_LIMITS.nameLength)) return null;
  return value.name ? { email: value.email, name: value.name } : { email: value.email };
}

/** Reads a recipient list; null when it is not a list of well-formed addresses within bounds. */
export function readAddressList(value: unknown, max: number = SEND_LIMITS.recipients): MailAddress[] | null {
  if (!Array.isArray(value) || value.length > max) return null;
  const out: MailAddress[] = [];
  for (const item of value) {
    const address = readMailAddress(item);
    if (!address) return null;
    out.push(address);
  }
  return out;
}

/** The send as the extension will use it, or null when anything about it is malformed. */
export function readDetectedSend(value: unknown): DetectedSend | null {
  if (!isPlainRecord(value)) return null;
  const { messageId, threadId, scheduled, from, subject, bodyHtml } = value;
  if (!isProviderId(messageId) || typeof scheduled !== 'boolean') return null;
  if (threadId !== undefined && !isProviderId(threadId)) return null;
  if (!boundedString(subject, SEND_LIMITS.subjectLength) || !boundedString(bodyHtml, SEND_LIMITS.bodyLength)) return null;
  const sender = from === undefined ? undefined : readMailAddress(from);
  if (sender === null) return null;
  const to = readAddressList(value.to);
  const cc = readAddressList(value.cc);
  const bcc = readAddressList(value.bcc);
  if (!to || !cc || !bcc || to.length + cc.length + bcc.length > SEND_LIMITS.recipients) return null;
  const send: DetectedSend = { messageId, scheduled, to, cc, bcc, subject, bodyHtml };
  if (threadId !== undefined) send.threadId = threadId;
  if (sender) send.from = sender;
  if (value.bccAdded === true) send.bccAdded = true;
  return send;
}

/** An RFC 5322 Message-ID as `<local@domain>`, bounded. */
export function isRfcMessageId(value: unknown): value is string {
  return boundedString(value, 998) && /^<[^<>\s]+@[^<>\s]+>$/.test(value);
}
