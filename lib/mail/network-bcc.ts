/**
 * BCC mode's last line, in the page world: when a send request is about to leave without the
 * rep's Email-to-Salesforce address (the compose's Bcc chip could not be added, or the page took
 * it away) and logging is on for that message, the address is added to the request itself.
 *
 * Never at the send's expense: a body is changed only when it is JSON that writes back byte for
 * byte, every send in it was read with the object its recipients are in, and the changed body
 * reads back as the same sends with exactly that one address more in Bcc. On any doubt the
 * request leaves as the page made it, and the worker's fallback applies (lib/outbox/queue.ts).
 * Provider facts: docs/gmail.md and docs/outlook.md, "BCC added to the request".
 */
import { shouldLog } from './exclusions';
import type { RequestReading } from './network-hook';
import type { DetectedSend } from './types';

/** What the isolated script tells the page world, ahead of any request (lib/mail/bridge.ts carries it). */
export interface BccPolicy {
  /** The rep's Email-to-Salesforce address: the policy exists only in BCC mode with an address. */
  address: string;
  /** The tab's mailbox, when the page shows it; else each send's From. */
  mailbox: string | null;
  /** Messages the rep left on, and switched off, by id. */
  on: string[];
  off: string[];
  /** Whether a message in neither list is on: the default, unless a switched-off compose has no id. */
  others: boolean;
  /** Scheduled sends are not logged. */
  skipScheduled: boolean;
  internalDomains: string[];
  neverLog: string[];
  loggedMailboxes: string[];
}

/** How one provider's send requests are read for writing, and where an address goes. */
export interface BccWriter {
  /** Matches every body that may hold a send: a cheap test before any parsing. */
  sends: RegExp;
  /** Reads a parsed body; `sources` gets, for each send in order, the object its recipients are in. */
  read(url: string, parsed: unknown, body: string, sources: unknown[]): RequestReading;
  /** Adds the address to one send's Bcc, in place; false when that object is not in the shape expected. */
  add(source: unknown, address: string): boolean;
}

export interface RequestChange {
  body: string;
  /** The ids of the sends whose Bcc got the address, as the changed body reads. */
  added: string[];
}

/** Bodies beyond this leave untouched: reading one three times would hold its send up. */
export const MAX_CHANGED_BODY = 3_000_000;

/** Whether a send is one the worker would log by BCC, were the address in its request. */
export function wantsNetworkBcc(policy: BccPolicy, send: DetectedSend): boolean {
  const id = send.messageId;
  if (!(policy.on.includes(id) || (!policy.off.includes(id) && policy.others))) return false;
  if (send.scheduled && policy.skipScheduled) return false;
  const mailbox = policy.mailbox ?? send.from?.email;
  if (!mailbox || (send.from && send.from.email.toLowerCase() !== mailbox.toLowerCase())) return false;
  return shouldLog([...send.to, ...send.cc, ...send.bcc], mailbox, { emailLogging: 'bcc', ...policy }, [policy.address]).log;
}

/** The body with the address added to the Bcc of each send `wanted` picks; null to send the request as it is. */
export function withNetworkBcc(
  url: string,
  body: string,
  writer: BccWriter,
  address: string,
  wanted: (send: DetectedSend) => boolean,
): RequestChange | null {
  if (body.length > MAX_CHANGED_BODY || !writer.sends.test(body)) return null;
  let root: unknown;
  try {
    root = JSON.parse(body);
  } catch {
    return null;
  }
  // Anything JSON does not write back as it was (big numbers, spacing, escapes) would change more than the Bcc.
  if (JSON.stringify(root) !== body) return null;
  const sources: unknown[] = [];
  const before = writer.read(url, root, body, sources);
  if (sources.length !== before.sends.length) return null;
  const lower = address.toLowerCase();
  const targets: number[] = [];
  before.sends.forEach((send, i) => {
    // Anywhere in the recipients, the address gets its copy already.
    if (wanted(send) && ![...send.to, ...send.cc, ...send.bcc].some((r) => r.email.toLowerCase() === lower)) targets.push(i);
  });
  if (targets.length === 0) return null;
  for (const i of targets) if (!writer.add(sources[i], address)) return null;
  const next = JSON.stringify(root);
  const after = writer.read(url, JSON.parse(next), next, []);
  // Ids are left out of the comparison: Outlook names a new message by a hash of its request's body.
  const plain = (send: DetectedSend | undefined) => JSON.stringify(send && { ...send, messageId: '' });
  const same =
    after.sends.length === before.sends.length &&
    JSON.stringify(after.draftIds) === JSON.stringify(before.draftIds) &&
    before.sends.every(
      (send, i) => plain(after.sends[i]) === plain(targets.includes(i) ? { ...send, bcc: [...send.bcc, { email: address }] } : send),
    );
  return same ? { body: next, added: targets.map((i) => (after.sends[i] as DetectedSend).messageId) } : null;
}
