/**
 * The channel between a mail page's MAIN-world script and the extension's isolated content
 * script: `window.postMessage` on the page's own window. The page itself can post on it too,
 * so the channel carries only data that the isolated script checks, never commands: the worst
 * a page can do is report a send it made up, which the worker still checks against the mailbox.
 */
import { isEmailAddress } from '../address';
import { isProviderId, isRfcMessageId, readDetectedSend } from './detected-send';
import { MAX_ANSWER_LENGTH } from './incoming/answer-hook';
import type { BccPolicy } from './network-bcc';
import type { DetectedSend, MailProvider } from './types';

export const BRIDGE_CHANNEL = 'sales-activity-sync';

/** At most this many sends or draft ids in one bridge message (one request rarely holds more than two). */
export const MAX_SENDS_PER_MESSAGE = 50;

/**
 * `replayFor`: the page world repeats what it saw for an isolated script that started after it
 * (its `isolated-ready` nonce), so that reports made before that script listened are not lost.
 */
type Envelope = { channel: typeof BRIDGE_CHANNEL; provider: MailProvider; replayFor?: string };

export type BridgeMessage = Envelope &
  (
    | { kind: 'page-ready' }
    /** `nonce`: this isolated script instance (a new one starts after each extension update). */
    | { kind: 'isolated-ready'; nonce: string }
    /** The webmail asked its server to send these messages at `at` (the undo window starts then). */
    | { kind: 'sends-detected'; sends: DetectedSend[]; at?: number }
    /** The server answered the request that carried a send: ok (2xx) or failed. */
    | { kind: 'send-outcome'; messageId: string; ok: boolean; rfcMessageId?: string }
    /** The webmail saved these messages as drafts at `at`: a send of the same id still pending was undone. */
    | { kind: 'drafts-saved'; messageIds: string[]; at?: number }
    /** The answer of a call that loaded mail for the rep to read, as text (the worker reads it: lib/mail/incoming). */
    | { kind: 'answer-loaded'; url: string; text: string }
  );

/**
 * From the isolated script to the page world, ahead of any send: what the page world needs to
 * add the BCC address to a send request (lib/mail/network-bcc.ts); null outside BCC mode.
 * Posted again whenever it changes and after each `page-ready`.
 */
export type BccPolicyMessage = Envelope & { kind: 'bcc-policy'; policy: BccPolicy | null };

/** What the page-world script posts, without the envelope. */
export type BridgePayload = BridgeMessage extends infer M ? (M extends Envelope ? Omit<M, keyof Envelope> : never) : never;

/** Longer URLs are not the webmail's own calls. */
export const MAX_URL_LENGTH = 4_000;

const NONCE = /^[a-z0-9]{8,40}$/;

/** A time the page world stamped: not in the future (with a little clock slack), not older than an hour. */
function readTime(value: unknown, now = Date.now()): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value <= now + 1_000 && value >= now - 3_600_000 ? value : undefined;
}

function readIdList(value: unknown): string[] | null {
  if (!Array.isArray(value) || value.length > MAX_SENDS_PER_MESSAGE) return null;
  return value.every(isProviderId) ? [...value] : null;
}

/** The nonce of an isolated script's handshake, or null; the page world needs no more (and stays small). */
export function isolatedNonceOf(data: unknown, provider: MailProvider): string | null {
  if (data === null || typeof data !== 'object') return null;
  const { channel, provider: of, kind, nonce } = data as Record<string, unknown>;
  return channel === BRIDGE_CHANNEL && of === provider && kind === 'isolated-ready' && typeof nonce === 'string' && NONCE.test(nonce)
    ? nonce
    : null;
}

/** At most this many ids, domains or addresses in each list of a BCC policy. */
const MAX_POLICY_LIST = 500;
const POLICY_LISTS = ['on', 'off', 'internalDomains', 'neverLog', 'loggedMailboxes'] as const;

const isShortText = (value: unknown): value is string => typeof value === 'string' && value.length <= 320;

/**
 * The BCC policy a message carries, for the page world: undefined when it is no policy message,
 * null when it is one without a usable policy (outside BCC mode, or malformed: the page can post
 * on the channel too). A fresh copy, so that a page listener changing the event's data changes nothing.
 */
export function bccPolicyOf(data: unknown, provider: MailProvider): BccPolicy | null | undefined {
  const { channel, provider: of, kind, policy } = (data ?? {}) as Record<string, unknown>;
  if (channel !== BRIDGE_CHANNEL || of !== provider || kind !== 'bcc-policy') return undefined;
  const p = (policy ?? {}) as Record<string, unknown>;
  const { address, mailbox, others, skipScheduled } = p;
  if (
    !isShortText(address) ||
    !isEmailAddress(address) ||
    !(mailbox === null || isShortText(mailbox)) ||
    typeof others !== 'boolean' ||
    typeof skipScheduled !== 'boolean'
  )
    return null;
  const copy = { address, mailbox, others, skipScheduled } as BccPolicy;
  for (const key of POLICY_LISTS) {
    const list = p[key];
    if (!Array.isArray(list) || list.length > MAX_POLICY_LIST || !list.every(isShortText)) return null;
    copy[key] = [...list];
  }
  return copy;
}

/** Reads a message event's data as a bridge message, or null for anything else on the window. */
export function readBridgeMessage(data: unknown, provider: MailProvider): BridgeMessage | null {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return null;
  const record = data as Record<string, unknown>;
  if (record.channel !== BRIDGE_CHANNEL || record.provider !== provider) return null;
  const envelope: Envelope = { channel: BRIDGE_CHANNEL, provider };
  if (record.replayFor !== undefined) {
    if (typeof record.replayFor !== 'string' || !NONCE.test(record.replayFor)) return null;
    envelope.replayFor = record.replayFor;
  }
  const at = readTime(record.at);
  switch (record.kind) {
    case 'page-ready':
      return { ...envelope, kind: record.kind };
    case 'isolated-ready':
      return typeof record.nonce === 'string' && NONCE.test(record.nonce) ? { ...envelope, kind: record.kind, nonce: record.nonce } : null;
    case 'sends-detected': {
      const raw = record.sends;
      if (!Array.isArray(raw) || raw.length === 0 || raw.length > MAX_SENDS_PER_MESSAGE) return null;
      const sends: DetectedSend[] = [];
      for (const item of raw) {
        const send = readDetectedSend(item);
        if (!send) return null;
        sends.push(send);
      }
      return { ...envelope, kind: 'sends-detected', sends, ...(at ? { at } : {}) };
    }
    case 'send-outcome': {
      if (!isProviderId(record.messageId) || typeof record.ok !== 'boolean') return null;
      if (record.rfcMessageId !== undefined && !isRfcMessageId(record.rfcMessageId)) return null;
      const message: BridgeMessage = { ...envelope, kind: 'send-outcome', messageId: record.messageId, ok: record.ok };
      if (record.rfcMessageId !== undefined) message.rfcMessageId = record.rfcMessageId;
      return message;
    }
    case 'drafts-saved': {
      const messageIds = readIdList(record.messageIds);
      return messageIds && messageIds.length > 0 ? { ...envelope, kind: 'drafts-saved', messageIds, ...(at ? { at } : {}) } : null;
    }
    case 'answer-loaded': {
      const { url, text } = record;
      if (typeof url !== 'string' || url.length > MAX_URL_LENGTH || typeof text !== 'string' || text.length > MAX_ANSWER_LENGTH)
        return null;
      return { ...envelope, kind: 'answer-loaded', url, text };
    }
    default:
      return null;
  }
}

export function postBridgeMessage(target: Window, message: BridgeMessage | BccPolicyMessage): void {
  target.postMessage(message, target.location.origin);
}
