/**
 * What the answer hook reads on each webmail: the calls that load mail to read, and their
 * readers (the page-world scripts pass them to startPageWorld).
 */
import type { AnswerReader } from './answer-hook';
import { isGmailThreadUrl, readGmailThreadAnswer } from './gmail-thread';
import { isOwaReadingUrl, readOwaReadingAnswer } from './outlook-conversation';

export const gmailAnswerReader: AnswerReader = {
  wants: (url, method) => method === 'POST' && isGmailThreadUrl(url),
  read: readGmailThreadAnswer,
};

export const outlookAnswerReader: AnswerReader = {
  wants: (url, method) => method === 'POST' && isOwaReadingUrl(url),
  read: readOwaReadingAnswer,
};
