/**
 * Outlook on the web in the isolated content script: the compose controls and BCC recipients,
 * and the send pipeline fed by the page-world script (entrypoints/outlook-page.content.ts).
 *
 * OWA's compose shows no message id, so the rep's on/off for an email is taken, when its send
 * is seen on the network, from the compose it was sent from (see ComposeWatcher.choiceFor).
 */
import { readBridgeMessage } from '../bridge';
import type { MailPageSession } from '../content-world';
import { startIncomingMail } from '../incoming/content';
import { startSendPipeline } from '../send-pipeline';
import { accountAddressOf } from './compose-dom';
import { watchComposes } from './composes';

/** How many sends' choices a tab remembers (a send is handed off within minutes). */
const REMEMBERED_CHOICES = 200;

export function startOutlook(session: MailPageSession): void {
  /** The sender of the tab's last send: OWA shows the account's address only once its menu was opened. */
  let lastSender: string | null = null;
  const composes = watchComposes(document, {
    settings: () => session.settings,
    mailbox: () => accountAddressOf(document, location.pathname) ?? lastSender,
  });
  session.onSettingsChanged = () => composes.refresh();
  startIncomingMail('outlook', () => accountAddressOf(document, location.pathname) ?? lastSender);

  const choices = new Map<string, boolean>();
  // Registered before the pipeline's listener, so a send's choice is settled when the hand-off first sees it.
  window.addEventListener('message', (event) => {
    if (event.source !== window) return;
    const message = readBridgeMessage(event.data, 'outlook');
    if (message?.kind !== 'sends-detected') return;
    for (const send of message.sends) {
      if (send.from) lastSender = send.from.email.toLowerCase();
      if (choices.has(send.messageId)) continue;
      choices.set(send.messageId, composes.choiceFor(send.subject) ?? session.settings.composeDefaultOn);
      if (choices.size > REMEMBERED_CHOICES) choices.delete(choices.keys().next().value as string);
    }
  });

  startSendPipeline({
    provider: 'outlook',
    session,
    // Each send carries its own mailbox: the From of OWA's request (a shared mailbox or a send-as address included).
    mailbox: () => null,
    loggingOn: (messageId) => choices.get(messageId) ?? session.settings.composeDefaultOn,
  });
}
