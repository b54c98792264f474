/**
 * The channel between a mail page's MAIN-world script and the extension's isolated content
 * script: `window.postMessage` on the page's own window. The page itself can post on it too,
 * so the channel carries only data that the isolated script checks, never commands: the worst
 * a page can do is report a send it made up, which the worker still checks against the mailbox.
 */
import { isProviderId, isRfcMessageId, readDetectedSend } from './detected-send';
import type { DetectedSend, MailProvider } from './types';

export const BRIDGE_CHANNEL = 'sales-activity-sync';

/** At most this many sends or draft ids in one bridge message (one request rarely holds more than two). */
export const MAX_SENDS_PER_MESSAGE = 50;

type Envelope = { channel: typeof BRIDGE_CHANNEL; provider: MailProvider };

export type BridgeMessage = Envelope &
  (
    | { kind: 'page-ready' }
    | { kind: 'isolated-ready' }
    /** The webmail asked its server to send these messages (the undo window starts now). */
    | { kind: 'sends-detected'; sends: DetectedSend[] }
    /** The server answered the request that carried a send: ok (2xx) or failed. */
    | { kind: 'send-outcome'; messageId: string; ok: boolean; rfcMessageId?: string }
    /** The webmail saved these messages as drafts: a send of the same id that is still pending was undone. */
    | { kind: 'drafts-saved'; messageIds: string[] }
  );

/** What the page-world script posts, without the envelope. */
export type BridgePayload = BridgeMessage extends infer M ? (M extends Envelope ? Omit<M, keyof Envelope> : never) : never;

function readIdList(value: unknown): string[] | null {
  if (!Array.isArray(value) || value.length > MAX_SENDS_PER_MESSAGE) return null;
  return value.every(isProviderId) ? [...value] : null;
}

/** Whether a message event's data is the given handshake; the page world needs no more (and stays small). */
export function isBridgeHandshake(data: unknown, provider: MailProvider, kind: 'page-ready' | 'isolated-ready'): boolean {
  if (data === null || typeof data !== 'object') return false;
  const record = data as Record<string, unknown>;
  return record.channel === BRIDGE_CHANNEL && record.provider === provider && record.kind === kind;
}

/** Reads a message event's data as a bridge message, or null for anything else on the window. */
export function readBridgeMessage(data: unknown, provider: MailProvider): BridgeMessage | null {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return null;
  const record = data as Record<string, unknown>;
  if (record.channel !== BRIDGE_CHANNEL || record.provider !== provider) return null;
  const envelope: Envelope = { channel: BRIDGE_CHANNEL, provider };
  switch (record.kind) {
    case 'page-ready':
    case 'isolated-ready':
      return { ...envelope, kind: record.kind };
    case 'sends-detected': {
      const raw = record.sends;
      if (!Array.isArray(raw) || raw.length === 0 || raw.length > MAX_SENDS_PER_MESSAGE) return null;
      const sends: DetectedSend[] = [];
      for (const item of raw) {
        const send = readDetectedSend(item);
        if (!send) return null;
        sends.push(send);
      }
      return { ...envelope, kind: 'sends-detected', sends };
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
      return messageIds && messageIds.length > 0 ? { ...envelope, kind: 'drafts-saved', messageIds } : null;
    }
    default:
      return null;
  }
}

export function postBridgeMessage(target: Window, message: BridgeMessage): void {
  target.postMessage(message, target.location.origin);
}
