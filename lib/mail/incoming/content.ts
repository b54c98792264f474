/**
 * Incoming mail in the isolated content script: relays what the page world read to the worker
 * (relay.ts) and, once the worker answered for messages the page loaded, drives the provider's
 * reading-pane control, whose code is loaded only then (lib/mail/reading-pane/lazy.ts).
 */
import type { MailPageSession } from '../content-world';
import { lazyReadingPane } from '../reading-pane/lazy';
import type { MailProvider } from '../types';
import { relayIncomingMail } from './relay';

export interface ReadingPane {
  /** The worker answered for messages the page loaded: show them, or their state again. */
  messagesLoaded(): void;
}

export function startIncomingMail(session: MailPageSession, provider: MailProvider, mailbox: () => string | null): void {
  let pane: ReadingPane | undefined;
  // The worker answered for the messages of a loaded thread: show them (the webmail renders the thread meanwhile).
  const relay = relayIncomingMail(session, provider, mailbox, () => pane?.messagesLoaded());
  pane = lazyReadingPane(provider, relay, mailbox);
}
