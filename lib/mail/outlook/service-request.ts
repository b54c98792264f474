/**
 * Reads Outlook on the web's `POST …/service.svc?action=…` traffic (JSON bodies in the shape of
 * Exchange Web Services; see docs/outlook.md and tests/fixtures/mail/outlook).
 *
 * What sends: `Body.MessageDisposition` `SendAndSaveCopy` (or `SendOnly`), never the action name.
 * - `CreateItem`: `Body.Items[i]` is the message: `Message:#Exchange` (new mail),
 *   `ReplyToItem` / `ReplyAllToItem` / `ForwardItem`. Body in `Body.Value` or `NewBodyContent.Value`.
 * - `UpdateItem`: sends an already-saved draft; `Body.ItemChanges[i]` names the draft
 *   (`ItemId.Id`) and carries its fields as `SetItemField` updates, each holding a partial `Item`;
 *   fields not changed since the last save (the recipients, often) are left out, and are taken
 *   from the draft's earlier saves when a DraftMemory is given.
 * Draft saves use `SaveOnly` (or no disposition). `SendItem` names a stored draft by id only;
 * it carries no recipients, so it gives nothing to log.
 *
 * Pure and total: explicit imports only, no browser globals; any input returns a value and
 * never throws. It only reads the parsed JSON, a fresh copy, and never writes into it.
 */
import { isEmailAddress } from '../../address';
import { SEND_LIMITS } from '../detected-send';
import type { RequestReading, SendOutcome } from '../network-hook';
import type { DetectedSend, MailAddress } from '../types';

/** OWA sends one item per request; anything far beyond is not OWA. */
const MAX_ITEMS = 50;
const MAX_UPDATES = 200;
const MAX_EXTENDED_PROPERTIES = 100;

const EMPTY: RequestReading = { sends: [], draftIds: [] };

/** Item types that are email the rep writes; meeting responses, calendar items and others are not. */
const MAIL_ITEM_TYPES = new Set(['Message', 'ReplyToItem', 'ReplyAllToItem', 'ForwardItem']);
const SEND_DISPOSITIONS = new Set(['SendAndSaveCopy', 'SendOnly']);
const ACTIONS = new Set(['CreateItem', 'UpdateItem', 'SendItem']);
/** Fields whose change makes an `UpdateItem` a draft save (as opposed to, say, marking mail read). */
const DRAFT_FIELDS = ['Subject', 'Body', 'NewBodyContent', 'ToRecipients', 'CcRecipients', 'BccRecipients'];

type Json = Record<string, unknown>;

/**
 * What the page world remembers of each saved draft, by its ItemId: OWA sends a saved draft
 * with `UpdateItem` carrying only the fields changed since its last save, so its recipients
 * are often only in the earlier saves (docs/outlook.md).
 */
export type DraftMemory = Map<string, Json>;
const REMEMBERED_FIELDS = ['ToRecipients', 'CcRecipients', 'BccRecipients', 'Subject', 'From', 'sendAs'] as const;
const MAX_REMEMBERED_DRAFTS = 100;

function rememberDraft(memory: DraftMemory, id: string, fields: Json): void {
  const known = memory.get(id) ?? {};
  for (const key of REMEMBERED_FIELDS) if (Object.hasOwn(fields, key)) known[key] = fields[key];
  memory.delete(id);
  memory.set(id, known);
  if (memory.size > MAX_REMEMBERED_DRAFTS) memory.delete(memory.keys().next().value as string);
}

/** The fields of a send, with what its earlier saves held where the send leaves a field out. */
function withRemembered(memory: DraftMemory | undefined, id: string, fields: Json): Json {
  const known = memory?.get(id);
  if (!known) return fields;
  const merged: Json = { ...fields };
  for (const key of REMEMBERED_FIELDS) if (!Object.hasOwn(fields, key) && Object.hasOwn(known, key)) merged[key] = known[key];
  return merged;
}

const isRecord = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);

/** An own property only: a key named like something on Object.prototype never reads the prototype. */
export const own = (value: unknown, key: string): unknown => (isRecord(value) && Object.hasOwn(value, key) ? value[key] : undefined);

const list = (value: unknown, max: number): readonly unknown[] => (Array.isArray(value) ? value.slice(0, max) : []);

export const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** `Message:#Exchange` → `Message`. */
const typeName = (value: unknown): string => (typeof value === 'string' ? (value.split(':', 1)[0] ?? '') : '');

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** The query parameters of a service URL (OWA puts the action and its request number `n` there). */
function queryOf(url: string): URLSearchParams {
  const query = url.indexOf('?');
  return new URLSearchParams(query < 0 ? '' : url.slice(query + 1).split('#', 1)[0]);
}

/** The service action of a request: the URL's, else the body's `Body.__type`; they must agree when both are given. */
function actionOf(url: string, request: unknown): string | undefined {
  const fromUrl = queryOf(url).get('action') ?? undefined;
  const bodyType = typeName(own(own(request, 'Body'), '__type'));
  const fromBody = bodyType.endsWith('Request') ? bodyType.slice(0, -'Request'.length) : undefined;
  if (fromUrl !== undefined && fromBody !== undefined && fromUrl !== fromBody) return undefined;
  const action = fromUrl ?? fromBody;
  return action !== undefined && ACTIONS.has(action) ? action : undefined;
}

/** An EWS id as the extension accepts provider ids (printable, bounded). */
export function itemIdOf(value: unknown): string | undefined {
  const id = own(value, 'Id');
  return typeof id === 'string' && id.length > 0 && id.length <= SEND_LIMITS.idLength && /^[\x21-\x7e]+$/.test(id) ? id : undefined;
}

/** `{EmailAddress, Name}`, or a `{Mailbox: {…}}` wrapper (`From`, `sendAs`); null for anything else. */
export function addressOf(entry: unknown): MailAddress | null {
  const box = own(entry, 'Mailbox') ?? entry;
  const email = text(own(box, 'EmailAddress'))?.trim();
  // Exchange-internal routing (`EX`) carries a directory path, not an address.
  if (!email || !isEmailAddress(email)) return null;
  const address: MailAddress = { email };
  const name = text(own(box, 'Name'))?.trim();
  if (name && name.toLowerCase() !== email.toLowerCase()) address.name = name.slice(0, SEND_LIMITS.nameLength);
  return address;
}

function addressesOf(value: unknown, room: number): MailAddress[] {
  const out: MailAddress[] = [];
  for (const entry of list(value, SEND_LIMITS.recipients)) {
    if (out.length >= room) break;
    const address = addressOf(entry);
    if (address) out.push(address);
  }
  return out;
}

function escapeHtml(plain: string): string {
  return plain
    .replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'))
    .replace(/\r?\n/g, '<br>');
}

/** The HTML the rep wrote: `NewBodyContent` for replies and forwards, else `Body`; plain text becomes HTML. */
function bodyHtmlOf(fields: Json): string {
  const body = own(fields, 'NewBodyContent') ?? own(fields, 'Body');
  const value = text(own(body, 'Value')) ?? '';
  const html = String(own(body, 'BodyType')).toLowerCase() === 'text' ? escapeHtml(value) : value;
  return html.slice(0, SEND_LIMITS.bodyLength);
}

/** True when a deferred delivery time (MAPI PidTagDeferredSendTime, 0x3FEF) is set: a scheduled send. */
function isScheduled(fields: Json): boolean {
  for (const property of list(own(fields, 'ExtendedProperty'), MAX_EXTENDED_PROPERTIES)) {
    const uri = own(property, 'ExtendedFieldURI');
    const tag = String(own(uri, 'PropertyTag') ?? '').toLowerCase();
    if ((tag === '0x3fef' || tag === '16367') && typeof own(property, 'Value') === 'string' && own(property, 'Value') !== '') return true;
  }
  return false;
}

/** Two FNV-1a passes: a stable, compact id for content that has no id of its own. */
function hashOf(input: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return (a >>> 0).toString(36) + (b >>> 0).toString(36);
}

function sendOf(fields: Json, messageId: string): DetectedSend | null {
  const to = addressesOf(own(fields, 'ToRecipients'), SEND_LIMITS.recipients);
  const cc = addressesOf(own(fields, 'CcRecipients'), SEND_LIMITS.recipients - to.length);
  const bcc = addressesOf(own(fields, 'BccRecipients'), SEND_LIMITS.recipients - to.length - cc.length);
  // Nothing can be logged against a message none of whose recipients has an address.
  if (to.length + cc.length + bcc.length === 0) return null;
  const send: DetectedSend = {
    messageId,
    scheduled: isScheduled(fields),
    to,
    cc,
    bcc,
    subject: (text(own(fields, 'Subject')) ?? '').slice(0, SEND_LIMITS.subjectLength),
    bodyHtml: bodyHtmlOf(fields),
  };
  const conversation = itemIdOf(own(fields, 'ConversationId'));
  if (conversation) send.threadId = conversation;
  const from = addressOf(own(fields, 'From')) ?? addressOf(own(fields, 'sendAs'));
  if (from) send.from = from;
  return send;
}

/** `CreateItem`: each mail item of a send request; `sources` gets the item each send was read from. */
function readCreateItem(
  url: string,
  body: string,
  request: Json,
  sending: boolean,
  out: RequestReading,
  memory?: DraftMemory,
  sources?: unknown[],
): void {
  const items = list(own(request, 'Items'), MAX_ITEMS);
  if (!sending) {
    // A first save creates the draft: its ItemId comes in the answer, its fields are here.
    if (memory) out.answered = (status, text) => learnCreatedDrafts(memory, items, status, text);
    return;
  }
  items.forEach((item, index) => {
    if (!isRecord(item) || !MAIL_ITEM_TYPES.has(typeName(own(item, '__type')))) return;
    // A reply or forward updates its saved draft; new mail may have none, and then the request itself
    // (with OWA's per-request number `n`) names it, so a repeat of the same request is the same email.
    const messageId =
      itemIdOf(own(item, 'UpdateResponseItemId')) ??
      itemIdOf(own(item, 'ItemId')) ??
      `owa-${hashOf(`${queryOf(url).get('n') ?? ''}|${index}|${body}`)}`;
    const send = sendOf(item, messageId);
    if (!send) return;
    out.sends.push(send);
    sources?.push(item);
  });
}

/** Remembers the drafts a `CreateItem` save made, by the ItemId of each item in Exchange's answer. */
function learnCreatedDrafts(memory: DraftMemory, items: readonly unknown[], status: number, text: string | null): void {
  if (status < 200 || status >= 300 || text === null) return;
  const answers = list(own(own(own(parseJson(text), 'Body'), 'ResponseMessages'), 'Items'), MAX_ITEMS);
  answers.forEach((answer, index) => {
    const item = items[index];
    const id = itemIdOf(own(list(own(answer, 'Items'), 1)[0], 'ItemId'));
    if (id && isRecord(item) && own(answer, 'ResponseClass') === 'Success') rememberDraft(memory, id, item);
  });
}

/** `UpdateItem`: a send of a saved draft, or a draft save whose ids may undo a pending send. */
function readUpdateItem(request: Json, sending: boolean, out: RequestReading, memory?: DraftMemory): void {
  for (const change of list(own(request, 'ItemChanges'), MAX_ITEMS)) {
    const messageId = itemIdOf(own(change, 'ItemId'));
    if (!messageId) continue;
    // Merge the partial items of every field update into one fresh record of the draft's fields.
    const fields: Json = {};
    let mail = false;
    for (const update of list(own(change, 'Updates'), MAX_UPDATES)) {
      const item = own(update, 'Item');
      if (!isRecord(item) || !MAIL_ITEM_TYPES.has(typeName(own(item, '__type')))) continue;
      mail = true;
      // defineProperty, so that even a key named `__proto__` stays a plain own field.
      for (const key of Object.keys(item)) {
        Object.defineProperty(fields, key, { value: item[key], enumerable: true, writable: true, configurable: true });
      }
    }
    if (!mail && !sending) continue;
    const complete = withRemembered(memory, messageId, fields);
    if (memory) rememberDraft(memory, messageId, complete);
    if (sending) {
      const send = sendOf(complete, messageId);
      if (send) out.sends.push(send);
    } else if (DRAFT_FIELDS.some((key) => Object.hasOwn(fields, key))) {
      out.draftIds.push(messageId);
    }
  }
}

/** Every send and every draft save in one service request. */
export function readOwaServiceRequest(url: string, body: string, memory?: DraftMemory): RequestReading {
  return typeof body === 'string' ? readOwaService(url, parseJson(body), body, memory) : EMPTY;
}

/**
 * The same from the parsed body. `sources`, when given, gets the item of each `CreateItem` send,
 * in the order of the sends (lib/mail/outlook/bcc-request.ts writes there); `UpdateItem` sends
 * have none, as their recipients may not be in the request.
 */
export function readOwaService(url: string, parsed: unknown, body: string, memory?: DraftMemory, sources?: unknown[]): RequestReading {
  try {
    if (typeof url !== 'string') return EMPTY;
    const action = actionOf(url, parsed);
    const request = own(parsed, 'Body');
    if (!action || !isRecord(request)) return EMPTY;
    const sending = SEND_DISPOSITIONS.has(String(own(request, 'MessageDisposition')));
    const out: RequestReading = { sends: [], draftIds: [] };
    if (action === 'CreateItem') readCreateItem(url, body, request, sending, out, memory, sources);
    else if (action === 'UpdateItem') readUpdateItem(request, sending, out, memory);
    // The same id twice in one request is one email.
    const seen = new Set<string>();
    out.sends = out.sends.filter((s) => !seen.has(s.messageId) && seen.add(s.messageId));
    return out;
  } catch {
    return EMPTY;
  }
}

/** Every send in a service request; nothing for draft saves or other actions. */
export function parseOwaServiceRequest(url: string, body: string): DetectedSend[] {
  return readOwaServiceRequest(url, body).sends;
}

/**
 * Whether the server accepted the sends of a request. OWA answers HTTP 200 even when Exchange
 * refused the item, so the answer must be 2xx and every response message `ResponseClass: "Success"`.
 * An answer that could not be read at all (but was 2xx) counts as accepted: the request went through.
 */
export function owaSendOutcomes(sends: readonly DetectedSend[], status: number, responseText: string | null): SendOutcome[] {
  let ok = status >= 200 && status < 300;
  if (ok && responseText !== null) {
    const messages = list(own(own(own(parseJson(responseText), 'Body'), 'ResponseMessages'), 'Items'), MAX_ITEMS);
    ok = messages.length > 0 && messages.every((m) => own(m, 'ResponseClass') === 'Success');
  }
  return sends.map(({ messageId }) => ({ messageId, ok }));
}
