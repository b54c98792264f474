/**
 * Whether an email may be logged at all, from the rep's settings alone (README, the
 * `internalDomains`, `neverLog` and `loggedMailboxes` settings, for the API and the BCC way alike). Used by the compose control's preview, the BCC chip and the worker,
 * so that what the rep is shown is what happens.
 */
import { domainOf } from '../address';
import type { MailAddress } from './types';

export interface ExclusionSettings {
  emailLogging: 'off' | 'api' | 'bcc';
  internalDomains: readonly string[];
  /** Addresses and domains whose mail is never logged. */
  neverLog: readonly string[];
  /** Mailboxes to log from; empty means every mailbox. */
  loggedMailboxes: readonly string[];
}

export type ExclusionReason = 'off' | 'mailboxNotLogged' | 'neverLog' | 'internalOnly';

export type LogDecision = { log: true } | { log: false; reason: ExclusionReason };

/** True when the domain is one of the listed domains or a subdomain of one. */
function inDomains(domain: string, domains: readonly string[]): boolean {
  return domains.some((d) => domain === d || domain.endsWith(`.${d}`));
}

/**
 * The decision for one email. A single recipient on the never-log list keeps the whole email
 * out of Salesforce: a BCC copy cannot leave one recipient out, and privacy wins over coverage.
 * `ignore` lists addresses that are not real recipients (the rep's own Email-to-Salesforce address).
 */
export function shouldLog(
  recipients: readonly MailAddress[],
  mailbox: string | null,
  settings: ExclusionSettings,
  ignore: readonly string[] = [],
): LogDecision {
  if (settings.emailLogging === 'off') return { log: false, reason: 'off' };
  const ownMailbox = mailbox?.toLowerCase() ?? null;
  if (settings.loggedMailboxes.length > 0 && (ownMailbox === null || !settings.loggedMailboxes.includes(ownMailbox))) {
    return { log: false, reason: 'mailboxNotLogged' };
  }
  const skip = new Set(ignore.map((a) => a.toLowerCase()));
  const addresses = recipients.map((r) => r.email.toLowerCase()).filter((a) => !skip.has(a));
  const neverLog = settings.neverLog;
  if (addresses.some((a) => neverLog.includes(a) || inDomains(domainOf(a), neverLog))) return { log: false, reason: 'neverLog' };
  if (
    addresses.length > 0 &&
    settings.internalDomains.length > 0 &&
    addresses.every((a) => inDomains(domainOf(a), settings.internalDomains))
  ) {
    return { log: false, reason: 'internalOnly' };
  }
  return { log: true };
}
