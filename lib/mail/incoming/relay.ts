/**
 * The isolated script's side of reading incoming mail: checks each `messages-received` report
 * the page world posts, and hands the messages this tab has not handed over yet to the worker,
 * which decides what to log (lib/logging/inbound.ts). Each message id goes to the worker once
 * per tab; the worker is idempotent by the message's key in any case.
 */
import { browser } from 'wxt/browser';
import type { ReceivedMailResult } from '../../logging/inbound';
import { MessageError, sendToWorker } from '../../messages';
import { BRIDGE_CHANNEL } from '../bridge';
import type { MailProvider } from '../types';
import { type IncomingMessage, RECEIVED_KIND, readIncomingMessages } from './message';

const REMEMBERED_IDS = 5_000;
const RETRY_DELAYS_MS = [1_000, 5_000, 20_000];

export interface IncomingRelay {
  /** The worker's answer for a message this tab reported, once it came. */
  resultOf(messageId: string): ReceivedMailResult | undefined;
  /** The message as loaded, for the reading pane. */
  messageOf(messageId: string): IncomingMessage | undefined;
}

/** Reports that arrive before the tab is introduced to the worker are kept, up to this many. */
const EARLY_REPORTS = 20;

interface Listener {
  attach(deliver: (messages: IncomingMessage[]) => void): void;
}
const listeners = new Map<MailProvider, Listener>();

/**
 * Starts taking the page world's reports at once (the entrypoint calls it at document_start):
 * a thread can load before the worker answered the tab's hello, and its report must not be lost.
 */
export function listenForIncomingMail(provider: MailProvider): Listener {
  const known = listeners.get(provider);
  if (known) return known;
  let deliver: ((messages: IncomingMessage[]) => void) | undefined;
  const early: IncomingMessage[][] = [];
  window.addEventListener('message', (event) => {
    if (event.source !== window) return;
    const data: unknown = event.data;
    if (data === null || typeof data !== 'object') return;
    const record = data as Record<string, unknown>;
    if (record.channel !== BRIDGE_CHANNEL || record.provider !== provider || record.kind !== RECEIVED_KIND) return;
    const messages = readIncomingMessages(record.messages);
    if (!messages) return;
    if (deliver) deliver(messages);
    else if (early.length < EARLY_REPORTS) early.push(messages);
  });
  const listener: Listener = {
    attach(next) {
      deliver = next;
      for (const messages of early.splice(0)) next(messages);
    },
  };
  listeners.set(provider, listener);
  return listener;
}

export function relayIncomingMail(
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
    for (let attempt = 0; ; attempt++) {
      try {
        const answered = await sendToWorker(browser.runtime, 'mail/received', { provider, mailbox: mailbox(), messages });
        for (const r of answered) remember(results, r.messageId, r);
        onResults(answered);
        return;
      } catch (error) {
        const delay = RETRY_DELAYS_MS[attempt];
        if (error instanceof MessageError || delay === undefined) {
          for (const m of messages) handed.delete(m.messageId);
          console.warn('Sales Activity Sync: received email could not be handed to the extension', error);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  };

  listenForIncomingMail(provider).attach((messages) => {
    for (const m of messages) remember(loaded, m.messageId, m);
    onLoaded();
    const fresh = messages.filter((m) => !handed.has(m.messageId));
    if (fresh.length === 0) return;
    for (const m of fresh) remember(handed, m.messageId);
    void report(fresh);
  });

  return { resultOf: (id) => results.get(id), messageOf: (id) => loaded.get(id) };
}
