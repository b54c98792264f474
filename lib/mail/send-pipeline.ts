/**
 * The isolated script's side of send detection, shared by every provider: reads the page
 * world's reports off the bridge, lets the hand-off wait out the undo window, and reports each
 * released send to the worker with the tab's mailbox and the compose control's choice.
 */
import { browser } from 'wxt/browser';
import { MessageError, sendToWorker } from '../messages';
import { readBridgeMessage } from './bridge';
import type { MailPageSession } from './content-world';
import { createSendHandoff, type ReleasedSend, type SendHandoff } from './send-handoff';
import type { MailProvider } from './types';

export interface SendPipelineOptions {
  provider: MailProvider;
  session: MailPageSession;
  /** The address of the mailbox open in this tab, or null when the page does not show it. */
  mailbox: () => string | null;
  /** Whether the rep left logging on for this message (the compose control's switch). */
  loggingOn: (messageId: string) => boolean;
}

const RETRY_DELAYS_MS = [1_000, 5_000, 20_000];

export function startSendPipeline(options: SendPipelineOptions): SendHandoff {
  const { provider, session } = options;

  const report = async (released: ReleasedSend) => {
    const { send } = released;
    const mailbox = options.mailbox() ?? send.from?.email ?? null;
    if (!mailbox) {
      console.warn('Sales Activity Sync: a sent email was not logged because the mailbox address is not known');
      return;
    }
    const request = {
      provider,
      mailbox,
      send,
      sentAt: released.requestedAt,
      loggingOn: options.loggingOn(send.messageId),
      ...(released.rfcMessageId ? { rfcMessageId: released.rfcMessageId } : {}),
    };
    for (let attempt = 0; ; attempt++) {
      try {
        await sendToWorker(browser.runtime, 'mail/sent', request);
        return;
      } catch (error) {
        // A refusal will not change on retry; a worker that was restarting will answer soon.
        const delay = RETRY_DELAYS_MS[attempt];
        if (error instanceof MessageError || delay === undefined) {
          console.warn('Sales Activity Sync: a sent email could not be handed to the extension', error);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  };

  const handoff = createSendHandoff({
    undoSeconds: () => session.settings.undoSendSeconds,
    handOff: (released) => void report(released),
  });

  window.addEventListener('message', (event) => {
    if (event.source !== window) return;
    const message = readBridgeMessage(event.data, provider);
    if (!message) return;
    if (message.kind === 'sends-detected') handoff.detected(message.sends);
    else if (message.kind === 'send-outcome') handoff.outcome(message);
    else if (message.kind === 'drafts-saved') handoff.draftsSaved(message.messageIds);
  });
  return handoff;
}
