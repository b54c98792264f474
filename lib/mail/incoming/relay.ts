/**
 * The isolated script's side of reading incoming mail: takes the page world's
 * `messages-received` reports (checked by the bridge, kept from document_start by the session)
 * and hands the messages this tab has not handed over yet to the worker, which decides what to
 * log (lib/logging/inbound.ts). Each message id goes to the worker once per tab; the worker is
 * idempotent by the message's key in any case.
 */
import { browser } from 'wxt/browser';
import type { ReceivedMailResult } from '../../logging/inbound';
import { MessageError, sendToWorker } from '../../messages';
import type { MailPageSession } from '../content-world';
import type { MailProvider } from '../types';
import type { IncomingMessage } from './message';

const REMEMBERED_IDS = 5_000;
const RETRY_DELAYS_MS = [1_000, 5_000, 20_000];

export interface IncomingRelay {
  /** The worker's answer for a message this tab reported, once it came. */
  resultOf(messageId: string): ReceivedMailResult | undefined;
  /** The message as loaded, for the reading pane. */
  messageOf(messageId: string): IncomingMessage | undefined;
}

export function relayIncomingMail(
  session: MailPageSession,
  provider: MailProvider,
  mailbox: () => string | null,
  onResults: (results: ReceivedMailResult[]) => void = () => {},
  onLoaded: () => void = () => {},
): IncomingRelay {
  const handed = new Set<string>();
  const results = new Map<string, ReceivedMailResult>();
  const loaded = new Map<string, IncomingMessage>();
  const remember = <T>(map: Map<string, T> | Set<string>, key: string, value?: T) => {
    if (map instanceof Map) map.set(key, value as T);
    else map.add(key);
    if (map.size > REMEMBERED_IDS) map.delete(map.keys().next().value as string);
  };

  const report = async (messages: IncomingMessage[]) => {
    for (let attempt = 0; session.alive(); attempt++) {
      try {
        const answered = await sendToWorker(browser.runtime, 'mail/received', { provider, mailbox: mailbox(), messages });
        for (const r of answered) remember(results, r.messageId, r);
        onResults(answered);
        return;
      } catch (error) {
        const delay = RETRY_DELAYS_MS[attempt];
        if (error instanceof MessageError || delay === undefined) {
          // Handed over again when the thread loads again.
          for (const m of messages) handed.delete(m.messageId);
          console.warn('Sales Activity Sync: received email could not be handed to the extension', error);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  };

  session.onReport((message) => {
    if (message.kind !== 'messages-received') return;
    for (const m of message.messages) remember(loaded, m.messageId, m);
    onLoaded();
    const fresh = message.messages.filter((m) => !handed.has(m.messageId));
    if (fresh.length === 0) return;
    for (const m of fresh) remember(handed, m.messageId);
    void report(fresh);
  });

  return { resultOf: (id) => results.get(id), messageOf: (id) => loaded.get(id) };
}
