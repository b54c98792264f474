/**
 * Which answers the page world hands on for each webmail (small: it runs on every mail page).
 * The worker reads them with the readers (gmail-thread.ts, outlook-conversation.ts), which
 * check the URL again.
 */
import type { AnswerWatch } from './answer-hook';

/** Gmail's thread calls; a sync answer holds messages only if it names one (most hold label counts). */
export const gmailAnswerWatch: AnswerWatch = {
  wants: (url, method) => method === 'POST' && /\/sync\/u\/\d+\/(?:d\/[^/?#]+\/)?i\/(?:fd|s)(?:[?#]|$)/.test(url),
  mayHold: (text) => text.includes('"msg-'),
};

export const outlookAnswerWatch: AnswerWatch = {
  wants: (url, method) => method === 'POST' && /\/service\.svc\?(?:[^#]*&)?action=Get(?:ConversationItems|Item)(?:[&#]|$)/.test(url),
  mayHold: (text) => text.includes('ItemId'),
};
