/**
 * The page-world side of reading incoming mail: installs the answer hook with the provider's
 * reader and posts what it finds on the bridge channel (lib/mail/bridge.ts) as a
 * `messages-received` report, which the isolated script checks like everything from the page.
 */
import { BRIDGE_CHANNEL } from '../bridge';
import type { MailProvider } from '../types';
import { type AnswerReader, installAnswerHook } from './answer-hook';
import { isGmailThreadUrl, readGmailThreadAnswer } from './gmail-thread';
import { MAX_MESSAGES_PER_REPORT, RECEIVED_KIND } from './message';
import { isOwaReadingUrl, readOwaReadingAnswer } from './outlook-conversation';

export const gmailAnswerReader: AnswerReader = {
  wants: (url, method) => method === 'POST' && isGmailThreadUrl(url),
  read: readGmailThreadAnswer,
};

export const outlookAnswerReader: AnswerReader = {
  wants: (url, method) => method === 'POST' && isOwaReadingUrl(url),
  read: readOwaReadingAnswer,
};

export function watchIncomingMail(provider: MailProvider, reader: AnswerReader): void {
  installAnswerHook(window, reader, (messages) => {
    for (let i = 0; i < messages.length; i += MAX_MESSAGES_PER_REPORT) {
      const report = { channel: BRIDGE_CHANNEL, provider, kind: RECEIVED_KIND, messages: messages.slice(i, i + MAX_MESSAGES_PER_REPORT) };
      window.postMessage(report, window.location.origin);
    }
  });
}
