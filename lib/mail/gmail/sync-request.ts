/**
 * Reads Gmail's `POST /sync/u/<N>/i/s` traffic (the JSON-array format Gmail has used since
 * September 2022; see docs/gmail.md and tests/fixtures/mail/gmail).
 *
 * Request: `body[1][0]` lists updates `[n, [threadId, t]]`; a message array sits at
 * `t[2][0][4][…]` (first save of a new thread), `t[1][0]` (reply) or `t[13][0]`. In a message:
 * `[0]` id, `[1]` From, `[2]`/`[3]`/`[4]` To/Cc/Bcc as `[1, address, name?]`, `[7]` subject,
 * `[8][1]` body parts `[kind, html]`, `[10]` labels. Labels decide what the update is:
 * `^r` a draft save, `^pfg` a send, `^scheduled` a scheduled send.
 *
 * Pure and total: explicit imports only, no browser globals; any input returns a value and
 * never throws. It only reads the parsed JSON (which is a fresh copy, never the page's own objects).
 */
import { isEmailAddress } from '../../address';
import { isRfcMessageId, SEND_LIMITS } from '../detected-send';
import type { RequestReading, SendOutcome } from '../network-hook';
import type { DetectedSend, MailAddress } from '../types';

/** Gmail batches a handful of updates per request; anything far beyond is not Gmail. */
const MAX_UPDATES = 200;
const MAX_MESSAGES_PER_THREAD = 50;
const MAX_BODY_PARTS = 50;

const SEND_LABEL = '^pfg';
const SCHEDULED_LABEL = '^scheduled';
const DRAFT_LABEL = '^r';

const EMPTY: RequestReading = { sends: [], draftIds: [] };

const list = (value: unknown): readonly unknown[] | null => (Array.isArray(value) ? value : null);
const at = (value: unknown, index: number): unknown => (Array.isArray(value) ? value[index] : undefined);

/** Strips the `)]}'` line Google prepends to some JSON answers, then parses; undefined when it is not JSON. */
export function parseGoogleJson(text: unknown): unknown {
  if (typeof text !== 'string') return undefined;
  const start = text.startsWith(")]}'") ? text.indexOf('\n') + 1 : 0;
  try {
    return JSON.parse(start > 0 ? text.slice(start) : text);
  } catch {
    return undefined;
  }
}

function isGmailId(value: unknown, prefix: string): value is string {
  return typeof value === 'string' && value.startsWith(prefix) && value.length <= SEND_LIMITS.idLength && /^[\x21-\x7e]+$/.test(value);
}

/** `thread-a:r123|msg-a:r456` (a variant Gmail sends) names the thread before the bar. */
function threadIdOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const id = value.split('|', 1)[0];
  return isGmailId(id, 'thread-') ? id : undefined;
}

/** Gmail's `[1, address, name?]`; null for anything that is not an address. */
export function gmailAddressOf(entry: unknown): MailAddress | null {
  const email = at(entry, 1);
  if (typeof email !== 'string' || !isEmailAddress(email.trim())) return null;
  const name = at(entry, 2);
  const address: MailAddress = { email: email.trim() };
  if (typeof name === 'string' && name.trim() !== '') address.name = name.trim().slice(0, SEND_LIMITS.nameLength);
  return address;
}

/** A recipient list; entries that are not addresses (groups Gmail could not expand) are left out. */
function addressesOf(value: unknown, room: number): MailAddress[] {
  const out: MailAddress[] = [];
  const entries = list(value);
  if (!entries) return out;
  for (const entry of entries) {
    if (out.length >= room) break;
    const address = gmailAddressOf(entry);
    if (address) out.push(address);
  }
  return out;
}

function labelsOf(message: readonly unknown[]): Set<string> {
  const labels = new Set<string>();
  const raw = list(message[10]);
  if (raw) for (const label of raw.slice(0, 200)) if (typeof label === 'string') labels.add(label);
  return labels;
}

/** New text and quoted history, in order; cut to the bound the extension accepts. */
function bodyOf(message: readonly unknown[]): string {
  const parts = list(at(message[8], 1));
  if (!parts) return '';
  let html = '';
  for (const part of parts.slice(0, MAX_BODY_PARTS)) {
    const text = at(part, 1);
    if (typeof text === 'string') html += text;
    if (html.length >= SEND_LIMITS.bodyLength) return html.slice(0, SEND_LIMITS.bodyLength);
  }
  return html;
}

function sendOf(message: readonly unknown[], messageId: string, threadId: string | undefined, scheduled: boolean): DetectedSend {
  const to = addressesOf(message[2], SEND_LIMITS.recipients);
  const cc = addressesOf(message[3], SEND_LIMITS.recipients - to.length);
  const bcc = addressesOf(message[4], SEND_LIMITS.recipients - to.length - cc.length);
  const subject = typeof message[7] === 'string' ? message[7].slice(0, SEND_LIMITS.subjectLength) : '';
  const send: DetectedSend = { messageId, scheduled, to, cc, bcc, subject, bodyHtml: bodyOf(message) };
  if (threadId) send.threadId = threadId;
  const from = gmailAddressOf(message[1]);
  if (from) send.from = from;
  return send;
}

/** The message arrays of one update's thread object, in the slots Gmail uses. */
function messagesOf(thread: unknown): unknown[] {
  const newThreadMessages = list(at(at(at(thread, 2), 0), 4)) ?? [];
  return [...newThreadMessages.slice(0, MAX_MESSAGES_PER_THREAD), at(at(thread, 1), 0), at(at(thread, 13), 0)];
}

/** Every send and every draft save in one request body. */
export function readGmailSyncRequest(body: string): RequestReading {
  return readGmailSync(parseGoogleJson(body));
}

/**
 * Every send and every draft save in a parsed request body. `sources`, when given, gets the
 * message array of each send, in the order of the sends (lib/mail/gmail/bcc-request.ts writes there).
 */
export function readGmailSync(request: unknown, sources?: unknown[]): RequestReading {
  const updates = list(at(request, 1));
  const entries = list(updates?.[0]);
  if (!entries) return EMPTY;
  const sends: DetectedSend[] = [];
  const draftIds: string[] = [];
  const seen = new Set<string>();
  for (const update of entries.slice(0, MAX_UPDATES)) {
    const thread = at(update, 1);
    const threadId = threadIdOf(at(thread, 0));
    for (const candidate of messagesOf(at(thread, 1))) {
      const message = list(candidate);
      const messageId = message?.[0];
      if (!message || !isGmailId(messageId, 'msg-') || seen.has(messageId)) continue;
      const labels = labelsOf(message);
      if (labels.has(DRAFT_LABEL)) {
        seen.add(messageId);
        draftIds.push(messageId);
      } else if (labels.has(SEND_LABEL) || labels.has(SCHEDULED_LABEL)) {
        seen.add(messageId);
        sends.push(sendOf(message, messageId, threadId, !labels.has(SEND_LABEL)));
        sources?.push(message);
      }
    }
  }
  return { sends, draftIds };
}

/** Every send (and scheduled send) in a `/i/s` request body; nothing for draft saves. */
export function parseGmailSyncRequest(body: string): DetectedSend[] {
  return readGmailSyncRequest(body).sends;
}

interface AnsweredMessage {
  labels: Set<string>;
  rfcMessageId?: string;
}

/** The messages Gmail returns in its answer (`resp[1][5][…][0][2][6][0][4]`), by id. */
export function readGmailSyncResponse(text: string): Map<string, AnsweredMessage> {
  const found = new Map<string, AnsweredMessage>();
  const threads = list(at(at(parseGoogleJson(text), 1), 5));
  if (!threads) return found;
  for (const wrapper of threads.slice(0, MAX_UPDATES)) {
    const messages = list(at(at(at(at(at(wrapper, 0), 2), 6), 0), 4));
    if (!messages) continue;
    for (const candidate of messages.slice(0, MAX_MESSAGES_PER_THREAD)) {
      const message = list(candidate);
      const messageId = message?.[0];
      if (!message || !isGmailId(messageId, 'msg-')) continue;
      const answered: AnsweredMessage = { labels: labelsOf(message) };
      const rfcMessageId = message[13];
      if (isRfcMessageId(rfcMessageId)) answered.rfcMessageId = rfcMessageId;
      found.set(messageId, answered);
    }
  }
  return found;
}

/**
 * The outcome of each send from Gmail's answer: accepted on a 2xx answer, unless the answer
 * returns the message as a draft (the send did not happen). The RFC Message-ID comes along.
 */
export function gmailSendOutcomes(sends: readonly DetectedSend[], status: number, responseText: string | null): SendOutcome[] {
  const ok = status >= 200 && status < 300;
  const answered = ok && responseText ? readGmailSyncResponse(responseText) : new Map<string, AnsweredMessage>();
  return sends.map(({ messageId }) => {
    const message = answered.get(messageId);
    if (!ok || (message?.labels.has(DRAFT_LABEL) && !message.labels.has(SEND_LABEL))) return { messageId, ok: false };
    return message?.rfcMessageId ? { messageId, ok: true, rfcMessageId: message.rfcMessageId } : { messageId, ok: true };
  });
}
