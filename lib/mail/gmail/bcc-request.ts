/**
 * Where the rep's Email-to-Salesforce address goes in Gmail's send request
 * (lib/mail/network-bcc.ts; docs/gmail.md, "BCC added to the request"): a `[1, address]` entry
 * in the message array's Bcc list, `message[4]`, which Gmail sends as `null` when it is empty.
 */
import type { BccWriter } from '../network-bcc';
import { readGmailSync } from './sync-request';

export const gmailBccWriter: BccWriter = {
  // Send and scheduled-send labels: a draft save never carries them.
  sends: /"\^(?:pfg|scheduled)"/,
  read: (_url, parsed, _body, sources) => readGmailSync(parsed, sources),
  add(message, address) {
    if (!Array.isArray(message) || message.length < 5) return false;
    const bcc: unknown = message[4];
    if (bcc === null) message[4] = [[1, address]];
    else if (Array.isArray(bcc)) bcc.push([1, address]);
    else return false;
    return true;
  },
};
