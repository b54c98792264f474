/**
 * The isolated script's side of send detection, shared by every provider: reads the page
 * world's reports off the bridge, lets the hand-off wait out the undo window, and reports each
 * released send to the worker with the tab's mailbox and the compose control's choice.
 */
import { browser } from 'wxt/browser';
import { MessageError, sendToWorker } from '../messages';
import type { MailPageSession } from './content-world';
import { countDiagnostic } from './diagnostic-counts';
import { createSendHandoff, type ReleasedSend, type SendHandoff } from './send-handoff';
import type { DetectedSend, MailProvider, SendChoice } from './types';

export interface SendPipelineOptions {
  provider: MailProvider;
  session: MailPageSession;
  /** The address of the mailbox open in this tab, or null when the page does not show it. */
  mailbox: () => string | null;
  /** Whether the rep left logging on for this message (the compose control's switch), and what it relates to, when known. */
  choiceFor: (send: DetectedSend) => SendChoice | undefined;
}

/** How many sends' choices a tab remembers (a send is handed off within minutes). */
const REMEMBERED_CHOICES = 200;

/**
 * Waits between attempts to hand a send to the worker; the last one repeats until
 * MAX_ATTEMPTS (about an hour in all). A worker that restarts, or answers with an internal
 * failure, gets the send again; only a refusal of the request itself ends the attempts.
 */
const RETRY_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 30_000, 60_000, 300_000];
const MAX_ATTEMPTS = 16;

/** Whether the worker refused the report as such (retrying would not change the answer). */
export const isRefusal = (error: unknown) => error instanceof MessageError && error.error.kind !== 'internal';

export function startSendPipeline(options: SendPipelineOptions): SendHandoff {
  const { provider, session } = options;
  /** The rep's choice for each send, taken when the send is seen: the compose is gone soon after. */
  const choices = new Map<string, SendChoice>();

  const report = async (released: ReleasedSend) => {
    const { send } = released;
    const mailbox = options.mailbox() ?? send.from?.email ?? null;
    if (!mailbox) {
      countDiagnostic('droppedNoMailbox');
      console.warn('Sales Activity Sync: a sent email was not logged: its mailbox is not known');
      return;
    }
    const { on, whatId } = choices.get(send.messageId) ?? { on: session.settings.composeDefaultOn };
    const request = {
      provider,
      mailbox,
      send,
      sentAt: released.requestedAt,
      loggingOn: on,
      ...(released.rfcMessageId ? { rfcMessageId: released.rfcMessageId } : {}),
      ...(on && whatId ? { whatId } : {}),
    };
    for (let attempt = 1; ; attempt++) {
      try {
        await sendToWorker(browser.runtime, 'mail/sent', request);
        return;
      } catch (error) {
        // An updated extension's new script takes the send over (the page world repeats it).
        if (!session.alive()) return;
        const refused = isRefusal(error);
        if (refused || attempt >= MAX_ATTEMPTS) {
          countDiagnostic(refused ? 'droppedRefused' : 'droppedUnreachable');
          console.warn('Sales Activity Sync: a sent email was not logged', error);
          return;
        }
        if (attempt === 1) countDiagnostic('reportRetried');
        const delay = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length) - 1] as number;
        await new Promise((resolve) => setTimeout(resolve, delay));
        if (!session.alive()) return;
      }
    }
  };

  const handoff = createSendHandoff({
    undoSeconds: () => session.settings.undoSendSeconds,
    handOff: (released) => void report(released),
  });

  session.onReport((message) => {
    if (message.kind === 'sends-detected') {
      for (const send of message.sends) {
        if (choices.has(send.messageId)) continue;
        const choice = options.choiceFor(send);
        // The rep's switch for this email is not known: it is logged as new composes start.
        if (choice === undefined) countDiagnostic('sendNoCompose');
        // The page world added the Email-to-Salesforce address to the request itself (the compose's chip failed).
        if (send.bccAdded) countDiagnostic('bccInRequest');
        choices.set(send.messageId, choice ?? { on: session.settings.composeDefaultOn });
        if (choices.size > REMEMBERED_CHOICES) choices.delete(choices.keys().next().value as string);
      }
      handoff.detected(message.sends, message.at);
    } else if (message.kind === 'send-outcome') handoff.outcome(message);
    else if (message.kind === 'drafts-saved') handoff.draftsSaved(message.messageIds, message.at);
  });
  return handoff;
}
