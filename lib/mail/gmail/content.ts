/**
 * Gmail in the isolated content script: the mailbox of the tab, the send pipeline fed by the
 * page-world script (entrypoints/gmail-page.content.ts), and the compose controls and BCC chips,
 * whose script loads when a compose first appears (lib/mail/lazy-composes.ts).
 */
import type { MailPageSession } from '../content-world';
import { startIncomingMail } from '../incoming/content';
import { lazyComposes } from '../lazy-composes';
import { startSendPipeline } from '../send-pipeline';
import { GMAIL_COMPOSE_SENTINEL } from './compose-adapter';
import { gmailMailbox } from './mailbox';
import { closestOf, GMAIL_ACCOUNT_BUTTON, GMAIL_COMPOSE_MARKER, GMAIL_TOAST, GMAIL_UNDO_LINK } from './selectors';

export function startGmail(session: MailPageSession): void {
  const mailbox = () =>
    gmailMailbox({
      pathname: location.pathname,
      title: document.title,
      accountLabel: document.querySelector(GMAIL_ACCOUNT_BUTTON)?.getAttribute('aria-label'),
    });
  const composes = lazyComposes(
    document,
    { script: 'gmail-compose', sentinel: GMAIL_COMPOSE_SENTINEL, announcers: GMAIL_COMPOSE_MARKER },
    {
      settings: () => session.settings,
      mailbox,
      signal: session.signal,
      alive: session.alive,
    },
  );
  session.onSettingsChanged = () => composes.refresh();
  startIncomingMail(session, 'gmail', mailbox);
  const handoff = startSendPipeline({ provider: 'gmail', session, mailbox, choiceFor: (send) => composes.choiceFor(send) });

  // "Undo" in the toast after a send; Gmail also saves the message as a draft again, which the page world reports.
  const onUndo = (event: Event) => {
    const target = event.target;
    if (!(target instanceof Element) || !target.closest(GMAIL_TOAST) || !closestOf(target, GMAIL_UNDO_LINK)) return;
    if (event instanceof KeyboardEvent && event.key !== 'Enter' && event.key !== ' ') return;
    handoff.undo();
  };
  const listening = { capture: true, signal: session.signal };
  document.addEventListener('click', onUndo, listening);
  document.addEventListener('keydown', onUndo, listening);
}
