/**
 * The channel between a mail page's MAIN-world script and the extension's isolated content
 * script: `window.postMessage` on the page's own window. The page itself can post on it too,
 * so the channel carries only data that the isolated script checks, never commands.
 */
import type { MailProvider } from './types';

export const BRIDGE_CHANNEL = 'sales-activity-sync';

export type BridgeMessage =
  | { channel: typeof BRIDGE_CHANNEL; kind: 'page-ready'; provider: MailProvider }
  | { channel: typeof BRIDGE_CHANNEL; kind: 'isolated-ready'; provider: MailProvider };

/** Reads a message event's data as a bridge message, or null for anything else on the window. */
export function readBridgeMessage(data: unknown, provider: MailProvider): BridgeMessage | null {
  if (data === null || typeof data !== 'object') return null;
  const record = data as Record<string, unknown>;
  if (record.channel !== BRIDGE_CHANNEL || record.provider !== provider) return null;
  if (record.kind === 'page-ready' || record.kind === 'isolated-ready') {
    return { channel: BRIDGE_CHANNEL, kind: record.kind, provider };
  }
  return null;
}

export function postBridgeMessage(target: Window, message: BridgeMessage): void {
  target.postMessage(message, target.location.origin);
}
