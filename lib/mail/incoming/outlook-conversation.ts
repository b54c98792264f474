/**
 * Reads the messages Outlook on the web loads for the reading pane, from the answers of its
 * `service.svc?action=GetConversationItems` and `action=GetItem` calls (JSON in the shape of
 * Exchange Web Services; docs/incoming-mail.md):
 *
 * - GetConversationItems: `Body.ResponseMessages.Items[i].Conversation` has `ConversationId.Id`
 *   and `ConversationNodes[j]`, each with `InternetMessageId`, `ParentInternetMessageId` and
 *   `Items[k]`, the messages.
 * - GetItem: `Body.ResponseMessages.Items[i].Items[k]`, the messages.
 *
 * A message: `ItemId.Id`, `ConversationId.Id`, `From.Mailbox` (or `Sender.Mailbox`) with
 * `EmailAddress` and `Name`, `ToRecipients` / `CcRecipients` (each `{EmailAddress, Name}` or a
 * `{Mailbox: …}` wrapper), `Subject`, `DateTimeSent` / `DateTimeReceived` (ISO 8601),
 * `InternetMessageId`, `InReplyTo`, and its HTML in `UniqueBody` (the new text only) else `Body`.
 * Drafts (`IsDraft`) and items that are not mail are left out.
 *
 * Pure and total: any input returns a list and never throws; every list is read to a bound.
 */
import { isRfcMessageId, SEND_LIMITS } from '../detected-send';
import { addressOf, itemIdOf, own, text } from '../outlook/service-request';
import type { MailAddress } from '../types';
import { boundedMessages, fitRecipients, type IncomingMessage, isPlausibleMessageTime } from './message';

const MAX_RESPONSES = 50;
const MAX_NODES = 200;
const MAX_ITEMS = 50;
const ACTIONS = new Set(['GetConversationItems', 'GetItem']);
/** Item types a reader shows as mail; meeting requests and others are not logged. */
const MAIL_TYPES = new Set(['Message', '']);

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);
const list = (value: unknown, max: number): readonly unknown[] => (Array.isArray(value) ? value.slice(0, max) : []);
const typeName = (value: unknown): string => (typeof value === 'string' ? (value.split(':', 1)[0] ?? '') : '');

function queryAction(url: string): string | undefined {
  const query = url.indexOf('?');
  if (query < 0) return undefined;
  return new URLSearchParams(url.slice(query + 1).split('#', 1)[0]).get('action') ?? undefined;
}

/** A `service.svc` call that loads mail to read. */
export function isOwaReadingUrl(url: string): boolean {
  if (typeof url !== 'string' || !/\/service\.svc(?:[?#]|$)/.test(url)) return false;
  const action = queryAction(url);
  return action !== undefined && ACTIONS.has(action);
}

function addressesOf(value: unknown): MailAddress[] {
  const out: MailAddress[] = [];
  for (const entry of list(value, SEND_LIMITS.recipients)) {
    const address = addressOf(entry);
    if (address) out.push(address);
  }
  return out;
}

/** ISO 8601 with a zone (`2026-12-01T09:30:00Z`, `…+09:00`); a date without one is not trusted. */
function timeOf(value: unknown): number | undefined {
  if (
    typeof value !== 'string' ||
    value.length > 40 ||
    !/^\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)$/.test(value)
  ) {
    return undefined;
  }
  const ms = Date.parse(value);
  return isPlausibleMessageTime(ms) ? ms : undefined;
}

function escapeHtml(plain: string): string {
  return plain
    .replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'))
    .replace(/\r?\n/g, '<br>');
}

function bodyOf(item: Json): string {
  const body = own(item, 'UniqueBody') ?? own(item, 'Body') ?? own(item, 'NormalizedBody');
  const value = (text(own(body, 'Value')) ?? '').slice(0, SEND_LIMITS.bodyLength);
  return String(own(body, 'BodyType')).toLowerCase() === 'text' ? escapeHtml(value).slice(0, SEND_LIMITS.bodyLength) : value;
}

function messageOf(item: unknown, conversationId: string | undefined, node: unknown): IncomingMessage | null {
  if (!isRecord(item) || !MAIL_TYPES.has(typeName(own(item, '__type'))) || own(item, 'IsDraft') === true) return null;
  const messageId = itemIdOf(own(item, 'ItemId'));
  const from = addressOf(own(item, 'From')) ?? addressOf(own(item, 'Sender'));
  const sentAt = timeOf(own(item, 'DateTimeSent')) ?? timeOf(own(item, 'DateTimeReceived'));
  if (!messageId || !from || sentAt === undefined) return null;
  const message: IncomingMessage = {
    messageId,
    from,
    ...fitRecipients(addressesOf(own(item, 'ToRecipients')), addressesOf(own(item, 'CcRecipients'))),
    subject: (text(own(item, 'Subject')) ?? '').slice(0, SEND_LIMITS.subjectLength),
    bodyHtml: bodyOf(item),
    sentAt,
  };
  const threadId = itemIdOf(own(item, 'ConversationId')) ?? conversationId;
  if (threadId) message.threadId = threadId;
  const rfc = own(item, 'InternetMessageId') ?? own(node, 'InternetMessageId');
  if (isRfcMessageId(rfc)) message.rfcMessageId = rfc;
  const parent = own(item, 'InReplyTo') ?? own(node, 'ParentInternetMessageId');
  if (isRfcMessageId(parent)) message.inReplyTo = parent;
  return message;
}

/** Every readable message in one answer of a reading call; nothing for anything else. */
export function readOwaReadingAnswer(url: string, body: string): IncomingMessage[] {
  try {
    if (!isOwaReadingUrl(url) || typeof body !== 'string') return [];
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return [];
    }
    const out: IncomingMessage[] = [];
    const push = (m: IncomingMessage | null) => m && out.push(m);
    for (const response of list(own(own(own(parsed, 'Body'), 'ResponseMessages'), 'Items'), MAX_RESPONSES)) {
      if (own(response, 'ResponseClass') !== 'Success') continue;
      const conversation = own(response, 'Conversation');
      const conversationId = itemIdOf(own(conversation, 'ConversationId'));
      for (const node of list(own(conversation, 'ConversationNodes'), MAX_NODES)) {
        for (const item of list(own(node, 'Items'), MAX_ITEMS)) push(messageOf(item, conversationId, node));
      }
      for (const item of list(own(response, 'Items'), MAX_ITEMS)) push(messageOf(item, undefined, undefined));
    }
    return boundedMessages(out);
  } catch {
    return [];
  }
}
