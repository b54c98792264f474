/**
 * Incoming mail in the isolated content script: relays what the page world read to the worker
 * (relay.ts) and, where the provider has one, drives its reading-pane control
 * (lib/mail/reading-pane), which is passed in so that a provider without one does not carry it.
 */
import type { MailPageSession } from '../content-world';
import type { MailProvider } from '../types';
import { type IncomingRelay, relayIncomingMail } from './relay';

export interface ReadingPane {
  /** The worker answered for messages the page loaded: show them, or their state again. */
  messagesLoaded(): void;
}

export function startIncomingMail(
  session: MailPageSession,
  provider: MailProvider,
  mailbox: () => string | null,
  readingPane?: (relay: IncomingRelay) => ReadingPane,
): void {
  let pane: ReadingPane | undefined;
  // The worker answered for the messages of a loaded thread: show them (Gmail renders the thread meanwhile).
  const relay = relayIncomingMail(session, provider, mailbox, () => pane?.messagesLoaded());
  pane = readingPane?.(relay);
}
