/**
 * The isolated script's side of reading incoming mail: hands each answer the page world saw
 * (a thread or conversation the webmail loaded; checked by the bridge, kept from
 * document_start by the session) to the worker, which reads it and decides what to log
 * (lib/logging/inbound.ts), and keeps the messages it answers for the reading pane.
 */
import { browser } from 'wxt/browser';
import { MessageError, sendToWorker } from '../../messages';
import type { MailPageSession } from '../content-world';
import type { MailProvider } from '../types';
import type { IncomingMessage } from './message';

const REMEMBERED = 2_000;
const RETRY_DELAYS_MS = [1_000, 5_000, 20_000];

export interface IncomingRelay {
  /** The messages as the worker read them from what this tab loaded, by message id, for the reading pane. */
  readonly messages: ReadonlyMap<string, IncomingMessage>;
}

export function relayIncomingMail(
  session: MailPageSession,
  provider: MailProvider,
  mailbox: () => string | null,
  /** The worker answered for messages the page loaded (the reading pane shows them). */
  onMessages: () => void,
): IncomingRelay {
  const loaded = new Map<string, IncomingMessage>();

  const report = async (url: string, text: string) => {
    for (let attempt = 0; session.alive(); attempt++) {
      try {
        const answer = await sendToWorker(browser.runtime, 'mail/received', { provider, mailbox: mailbox(), url, text });
        for (const m of answer.messages) {
          loaded.set(m.messageId, m);
          if (loaded.size > REMEMBERED) loaded.delete(loaded.keys().next().value as string);
        }
        if (answer.messages.length > 0) onMessages();
        return;
      } catch (error) {
        const delay = RETRY_DELAYS_MS[attempt];
        if (error instanceof MessageError || delay === undefined) {
          console.warn('Sales Activity Sync: received email could not be handed to the extension', error);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  };

  session.onReport((message) => {
    if (message.kind === 'answer-loaded') void report(message.url, message.text);
  });

  return { messages: loaded };
}
