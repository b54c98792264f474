/**
 * Incoming mail in the isolated content script: relays what the page world read to the worker
 * (relay.ts), and shows the reading-pane control on each open message (lib/mail/reading-pane).
 */
import { watchGmailReadingPane } from '../reading-pane/gmail-pane';
import type { MailProvider } from '../types';
import { relayIncomingMail } from './relay';

export function startIncomingMail(provider: MailProvider, mailbox: () => string | null): void {
  let pane: ReturnType<typeof watchGmailReadingPane> | undefined;
  const relay = relayIncomingMail(
    provider,
    mailbox,
    () => pane?.refresh(),
    () => pane?.messagesLoaded(),
  );
  // Outlook's reading pane names no message id in its markup that this extension could read yet.
  if (provider === 'gmail') pane = watchGmailReadingPane(document, relay, mailbox);
}
