/**
 * Outlook on the web in the isolated content script: the compose controls and BCC recipients,
 * and the send pipeline fed by the page-world script (entrypoints/outlook-page.content.ts).
 *
 * OWA's compose shows no message id, so the rep's on/off for an email is taken, when its send
 * is seen on the network, from the compose it was sent from (see ComposeWatcher.choiceFor).
 */
import { watchComposes } from '../compose-watcher';
import type { MailPageSession } from '../content-world';
import { startIncomingMail } from '../incoming/content';
import { startSendPipeline } from '../send-pipeline';
import { outlookComposes } from './compose-adapter';
import { accountAddressOf } from './compose-dom';

export function startOutlook(session: MailPageSession): void {
  /** The sender of the tab's last send: OWA shows the account's address only once its menu was opened. */
  let lastSender: string | null = null;
  const composes = watchComposes(document, outlookComposes, {
    settings: () => session.settings,
    mailbox: () => accountAddressOf(document, location.pathname) ?? lastSender,
    signal: session.signal,
    alive: session.alive,
  });
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
