/**
 * Reads the messages of the threads Gmail loads for the rep to read, from the answers of its
 * `/sync/u/<N>/i/fd` (fetch thread details) and `/sync/u/<N>/i/s` (sync) calls, both in the
 * JSON-array format Gmail has used since September 2022 (docs/incoming-mail.md):
 *
 * - `i/s` answers hold threads at `resp[1][5][k][0]` (thread id at `[0]`), their messages at
 *   `[2][6][0][4]`, each a message array: `[0]` id, `[1]` From `[_, address, name]`, `[2]`/`[3]`
 *   To/Cc, `[6]` date (ms), `[7]` subject, `[8][1]` body parts `[kind, html]`, `[10]` labels,
 *   `[13]` Message-ID, `[15]` In-Reply-To.
 * - `i/fd` answers hold threads at `resp[1][k]` (thread id at `[0]`); message details at `[2][j]`:
 *   `[0]` id, `[1][0]`/`[1][1]` To/Cc, `[1][4]` subject, `[1][5][1][…][2][1]` HTML, `[1][7]`
 *   Message-ID, `[1][16]` date (ms); the From and labels of each sit in a second list at
 *   `[1][1][j]`: `[0]` id, `[1]` From, `[3]` labels.
 *
 * Drafts (`^r`) are left out. Pure and total: any input returns a list and never throws; every
 * list is read to a bound, so the work is linear in the answer's size.
 */
import { isRfcMessageId, SEND_LIMITS } from '../detected-send';
import { gmailAddressOf, parseGoogleJson } from '../gmail/sync-request';
import type { MailAddress } from '../types';
import { boundedMessages, fitRecipients, type IncomingMessage, isPlausibleMessageTime } from './message';

const MAX_THREADS = 100;
const MAX_MESSAGES_PER_THREAD = 200;
const MAX_BODY_PARTS = 50;
const MAX_LABELS = 200;
const DRAFT_LABEL = '^r';

/** `/sync/u/<N>/i/fd` and `/i/s`, also under a delegated mailbox (`/sync/u/<N>/d/<id>/…`). */
const THREAD_PATH = /^(?:https:\/\/mail\.google\.com)?\/sync\/u\/\d+\/(?:d\/[^/?#]+\/)?i\/(?:fd|s)(?:[?#]|$)/;

export const isGmailThreadUrl = (url: string): boolean => THREAD_PATH.test(url);

const list = (value: unknown, max: number): readonly unknown[] => (Array.isArray(value) ? value.slice(0, max) : []);
const at = (value: unknown, index: number): unknown => (Array.isArray(value) ? value[index] : undefined);

function gmailId(value: unknown, prefix: string): string | undefined {
  if (typeof value !== 'string') return undefined;
  const id = prefix === 'thread-' ? value.split('|', 1)[0] : value;
  return id?.startsWith(prefix) && id.length <= SEND_LIMITS.idLength && /^[\x21-\x7e]+$/.test(id) ? id : undefined;
}

function addressesOf(value: unknown): MailAddress[] {
  const out: MailAddress[] = [];
  for (const entry of list(value, SEND_LIMITS.recipients)) {
    const address = gmailAddressOf(entry);
    if (address) out.push(address);
  }
  return out;
}

function isDraft(labels: unknown): boolean {
  return list(labels, MAX_LABELS).includes(DRAFT_LABEL);
}

/** Gmail writes dates as numbers or as strings of digits. */
function timeOf(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value;
  return isPlausibleMessageTime(n) ? n : undefined;
}

function joinParts(parts: unknown, htmlOf: (part: unknown) => unknown): string {
  let html = '';
  for (const part of list(parts, MAX_BODY_PARTS)) {
    const text = htmlOf(part);
    if (typeof text === 'string') html += text;
    if (html.length >= SEND_LIMITS.bodyLength) return html.slice(0, SEND_LIMITS.bodyLength);
  }
  return html;
}

const subjectOf = (value: unknown) => (typeof value === 'string' ? value.slice(0, SEND_LIMITS.subjectLength) : '');

function build(fields: {
  id: string | undefined;
  threadId: string | undefined;
  from: MailAddress | null;
  to: MailAddress[];
  cc: MailAddress[];
  subject: string;
  bodyHtml: string;
  sentAt: number | undefined;
  rfcMessageId: unknown;
  inReplyTo?: unknown;
}): IncomingMessage | null {
  const { id, from, sentAt } = fields;
  if (!id || !from || sentAt === undefined) return null;
  const message: IncomingMessage = {
    messageId: id,
    from,
    ...fitRecipients(fields.to, fields.cc),
    subject: fields.subject,
    bodyHtml: fields.bodyHtml,
    sentAt,
  };
  if (fields.threadId) message.threadId = fields.threadId;
  if (isRfcMessageId(fields.rfcMessageId)) message.rfcMessageId = fields.rfcMessageId;
  if (isRfcMessageId(fields.inReplyTo)) message.inReplyTo = fields.inReplyTo;
  return message;
}

/** Message arrays of an `i/s` answer (the shape the send request uses too). */
function fromSyncAnswer(parsed: unknown, out: IncomingMessage[]): void {
  for (const wrapper of list(at(at(parsed, 1), 5), MAX_THREADS)) {
    const thread = at(wrapper, 0);
    const threadId = gmailId(at(thread, 0), 'thread-');
    for (const m of list(at(at(at(at(thread, 2), 6), 0), 4), MAX_MESSAGES_PER_THREAD)) {
      if (!Array.isArray(m) || isDraft(m[10])) continue;
      const message = build({
        id: gmailId(m[0], 'msg-'),
        threadId,
        from: gmailAddressOf(m[1]),
        to: addressesOf(m[2]),
        cc: addressesOf(m[3]),
        subject: subjectOf(m[7]),
        bodyHtml: joinParts(at(m[8], 1), (part) => at(part, 1)),
        sentAt: timeOf(m[6]),
        rfcMessageId: m[13],
        inReplyTo: m[15],
      });
      if (message) out.push(message);
    }
  }
}

/** Message details of an `i/fd` answer, with each one's From and labels from the thread's second list. */
function fromFetchAnswer(parsed: unknown, out: IncomingMessage[]): void {
  for (const thread of list(at(parsed, 1), MAX_THREADS)) {
    const threadId = gmailId(at(thread, 0), 'thread-');
    if (!threadId) continue;
    const heads = new Map<string, unknown[]>();
    for (const head of list(at(at(thread, 1), 1), MAX_MESSAGES_PER_THREAD)) {
      const id = gmailId(at(head, 0), 'msg-');
      if (id && Array.isArray(head) && !heads.has(id)) heads.set(id, head);
    }
    for (const entry of list(at(thread, 2), MAX_MESSAGES_PER_THREAD)) {
      const id = gmailId(at(entry, 0), 'msg-');
      const details = at(entry, 1);
      const head = id ? heads.get(id) : undefined;
      if (!id || !Array.isArray(details) || isDraft(at(head, 3))) continue;
      const senderAddress = at(at(details, 10), 16);
      const from = gmailAddressOf(at(head, 1)) ?? gmailAddressOf([null, senderAddress]);
      const message = build({
        id,
        threadId,
        from,
        to: addressesOf(details[0]),
        cc: addressesOf(details[1]),
        subject: subjectOf(details[4]),
        bodyHtml: joinParts(at(details[5], 1), (part) => at(at(part, 2), 1)),
        sentAt: timeOf(details[16]),
        rfcMessageId: details[7],
      });
      if (message) out.push(message);
    }
  }
}

/** Every readable message in one answer of a thread call; nothing for anything else. */
export function readGmailThreadAnswer(url: string, text: string): IncomingMessage[] {
  try {
    if (typeof url !== 'string' || !isGmailThreadUrl(url)) return [];
    const parsed = parseGoogleJson(text);
    if (!Array.isArray(parsed)) return [];
    const out: IncomingMessage[] = [];
    fromSyncAnswer(parsed, out);
    fromFetchAnswer(parsed, out);
    return boundedMessages(out);
  } catch {
    return [];
  }
}
