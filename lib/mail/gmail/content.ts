/**
 * Gmail in the isolated content script: the compose controls and BCC chips, the mailbox of the
 * tab, and the send pipeline fed by the page-world script (entrypoints/gmail-page.content.ts).
 */
import { watchComposes } from '../compose-watcher';
import type { MailPageSession } from '../content-world';
import { startIncomingMail } from '../incoming/content';
import { startSendPipeline } from '../send-pipeline';
import { gmailComposes } from './compose-adapter';
import { gmailMailbox } from './mailbox';
import { closestOf, GMAIL } from './selectors';

export function startGmail(session: MailPageSession): void {
  const mailbox = () =>
    gmailMailbox({
      pathname: location.pathname,
      title: document.title,
      accountLabel: document.querySelector(GMAIL.accountButton)?.getAttribute('aria-label'),
    });
  const composes = watchComposes(document, gmailComposes, {
    settings: () => session.settings,
    mailbox,
    signal: session.signal,
    alive: session.alive,
  });
  session.onSettingsChanged = () => composes.refresh();
  startIncomingMail(session, 'gmail', mailbox);
  const handoff = startSendPipeline({ provider: 'gmail', session, mailbox, choiceFor: (send) => composes.choiceFor(send) });

  // "Undo" in the toast after a send; Gmail also saves the message as a draft again, which the page world reports.
  const onUndo = (event: Event) => {
    const target = event.target;
    if (!(target instanceof Element) || !target.closest(GMAIL.toast) || !closestOf(target, GMAIL.undoLink)) return;
    if (event instanceof KeyboardEvent && event.key !== 'Enter' && event.key !== ' ') return;
    handoff.undo();
  };
  const listening = { capture: true, signal: session.signal };
  document.addEventListener('click', onUndo, listening);
  document.addEventListener('keydown', onUndo, listening);
}
