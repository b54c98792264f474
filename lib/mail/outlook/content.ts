/**
 * Outlook on the web in the isolated content script: the send pipeline fed by the page-world
 * script (entrypoints/outlook-page.content.ts), and the compose controls and BCC recipients,
 * whose script loads when a compose first appears (lib/mail/lazy-composes.ts).
 *
 * OWA's compose shows no message id, so the rep's on/off for an email is taken, when its send
 * is seen on the network, from the compose it was sent from (see ComposeWatcher.choiceFor).
 */
import type { MailPageSession } from '../content-world';
import { startIncomingMail } from '../incoming/content';
import { lazyComposes } from '../lazy-composes';
import { startSendPipeline } from '../send-pipeline';
import { accountAddressOf } from './compose-dom';
import { OUTLOOK_COMPOSE_SENTINEL, OUTLOOK_EDITABLE } from './selectors';

export function startOutlook(session: MailPageSession): void {
  /** The sender of the tab's last send: OWA shows the account's address only once its menu was opened. */
  let lastSender: string | null = null;
  const composes = lazyComposes(
    document,
    { script: 'outlook-compose', sentinel: OUTLOOK_COMPOSE_SENTINEL, announcers: OUTLOOK_EDITABLE },
    {
      settings: () => session.settings,
      mailbox: () => accountAddressOf(document, location.pathname) ?? lastSender,
      signal: session.signal,
      alive: session.alive,
    },
  );
  session.onSettingsChanged = () => composes.refresh();
  startIncomingMail(session, 'outlook', () => accountAddressOf(document, location.pathname) ?? lastSender);
  session.onReport((message) => {
    if (message.kind !== 'sends-detected') return;
    for (const send of message.sends) if (send.from) lastSender = send.from.email.toLowerCase();
  });
  startSendPipeline({
    provider: 'outlook',
    session,
    // Each send carries its own mailbox: the From of OWA's request (a shared mailbox or a send-as address included).
    mailbox: () => null,
    choiceFor: (send) => composes.choiceFor(send),
  });
}
