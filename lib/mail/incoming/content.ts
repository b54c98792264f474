/**
 * Incoming mail in the isolated content script: relays what the page world read to the worker
 * (relay.ts), and shows the reading-pane control on each open message (lib/mail/reading-pane).
 */
import type { MailProvider } from '../types';
import { relayIncomingMail } from './relay';

export function startIncomingMail(provider: MailProvider, mailbox: () => string | null): void {
  relayIncomingMail(provider, mailbox);
}
