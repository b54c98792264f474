/**
 * One email as the webmail loaded it for the rep to read (a thread or conversation the page
 * fetched), in the provider-neutral shape the isolated script and the worker check. Readers of
 * each webmail's responses produce it (gmail-thread.ts, outlook-conversation.ts); the bridge and
 * the worker re-check it with `readIncomingMessage`, since the page can post anything.
 * Format notes: docs/incoming-mail.md.
 */
import { isProviderId, isRfcMessageId, readAddressList, readMailAddress, SEND_LIMITS } from '../detected-send';
import type { MailAddress } from '../types';

export interface IncomingMessage {
  /** The provider's id for the message (Gmail `msg-f:…` / `msg-a:r…`, Outlook item id). */
  messageId: string;
  /** Gmail thread id or Outlook ConversationId. */
  threadId?: string;
  /** RFC 5322 Message-ID, `<local@domain>`. */
  rfcMessageId?: string;
  /** The Message-ID this one answers (In-Reply-To), when the webmail gives it. */
  inReplyTo?: string;
  from: MailAddress;
  to: MailAddress[];
  cc: MailAddress[];
  subject: string;
  /** The message's own HTML (Outlook's UniqueBody, Gmail's body parts); empty when not loaded. */
  bodyHtml: string;
  /** When it was sent or received, ms since epoch. */
  sentAt: number;
}

/** At most this many messages in one report (a long thread is cut, newest kept). */
export const MAX_MESSAGES_PER_REPORT = 100;

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

const boundedString = (value: unknown, max: number): value is string => typeof value === 'string' && value.length <= max;

/** 2000-01-01 to a day from now: what a webmail shows as a message date. */
export const isPlausibleMessageTime = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 946_684_800_000 && value <= Date.now() + 86_400_000;

/** The message as the extension will use it, copied field by field, or null when anything is malformed. */
export function readIncomingMessage(value: unknown): IncomingMessage | null {
  if (!isRecord(value)) return null;
  const { messageId, threadId, rfcMessageId, inReplyTo, subject, bodyHtml, sentAt } = value;
  if (!isProviderId(messageId) || !isPlausibleMessageTime(sentAt)) return null;
  if (threadId !== undefined && !isProviderId(threadId)) return null;
  if (rfcMessageId !== undefined && !isRfcMessageId(rfcMessageId)) return null;
  if (inReplyTo !== undefined && !isRfcMessageId(inReplyTo)) return null;
  if (!boundedString(subject, SEND_LIMITS.subjectLength) || !boundedString(bodyHtml, SEND_LIMITS.bodyLength)) return null;
  const from = readMailAddress(value.from);
  const to = readAddressList(value.to);
  const cc = readAddressList(value.cc);
  if (!from || !to || !cc || to.length + cc.length > SEND_LIMITS.recipients) return null;
  const message: IncomingMessage = { messageId, from, to, cc, subject, bodyHtml, sentAt };
  if (threadId !== undefined) message.threadId = threadId;
  if (rfcMessageId !== undefined) message.rfcMessageId = rfcMessageId;
  if (inReplyTo !== undefined) message.inReplyTo = inReplyTo;
  return message;
}

/** A list of messages, each checked; null when it is not a list within bounds or any entry is malformed. */
export function readIncomingMessages(value: unknown): IncomingMessage[] | null {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_MESSAGES_PER_REPORT) return null;
  const out: IncomingMessage[] = [];
  for (const item of value) {
    const message = readIncomingMessage(item);
    if (!message) return null;
    out.push(message);
  }
  return out;
}

/**
 * What readers share: keeps the newest messages when a response holds more than a report may
 * carry, and drops a repeated id (the same message in two places of one response).
 */
export function boundedMessages(messages: IncomingMessage[]): IncomingMessage[] {
  const seen = new Set<string>();
  const unique = messages.filter((m) => !seen.has(m.messageId) && seen.add(m.messageId));
  if (unique.length <= MAX_MESSAGES_PER_REPORT) return unique;
  return [...unique].sort((a, b) => a.sentAt - b.sentAt).slice(-MAX_MESSAGES_PER_REPORT);
}

/** An address list from any reader, bounded to what the extension accepts. */
export function fitRecipients(to: MailAddress[], cc: MailAddress[]): { to: MailAddress[]; cc: MailAddress[] } {
  const fittedTo = to.slice(0, SEND_LIMITS.recipients);
  return { to: fittedTo, cc: cc.slice(0, SEND_LIMITS.recipients - fittedTo.length) };
}
