/**
 * Where the rep's Email-to-Salesforce address goes in Outlook's send request
 * (lib/mail/network-bcc.ts; docs/outlook.md, "BCC added to the request"): a Mailbox object in the
 * `BccRecipients` list of a `CreateItem` send's item, written as OWA writes an address typed in.
 * An item without that list, and `UpdateItem` sends (no item with the recipients), are left as they are.
 */
import type { BccWriter } from '../network-bcc';
import { own, readOwaService } from './service-request';

export const outlookBccWriter: BccWriter = {
  // JSON that writes back byte for byte has no spaces: this is how a sending disposition reads.
  sends: /"MessageDisposition":"Send/,
  read: (url, parsed, body, sources) => readOwaService(url, parsed, body, undefined, sources),
  add(item, address) {
    const bcc = own(item, 'BccRecipients');
    if (!Array.isArray(bcc)) return false;
    bcc.push({ Name: address, EmailAddress: address, RoutingType: 'SMTP', MailboxType: 'OneOff' });
    return true;
  },
};
