/**
 * Where a sent email lands in the worker: a decision (skip it, note it as logged by the BCC
 * copy, or queue it for the API logger) and one durable write. The write is idempotent by
 * the email's key, so a repeated report of the same email is a no-op, and it is one Dexie
 * transaction, so an email is never queued without its Activity row or the other way round.
 */
import type { ActivityRecord, ExtensionDatabase, OutboxOwner } from '../db';
import { readDetectedSend } from '../mail/detected-send';
import { type ExclusionSettings, shouldLog } from '../mail/exclusions';
import type { MailAddress, MailProvider } from '../mail/types';
import type { SentEmailReport, SentEmailResult, SkipReason } from '../messages';

/** What the API logger finds in `db.outbox[key].payload` for `kind: 'email'`: the email as captured. */
export interface OutboxEmailPayload {
  provider: MailProvider;
  /** The rep's mailbox, lower-cased. */
  mailbox: string;
  /** The provider's message id (Gmail `msg-a:r…`). */
  messageId: string;
  threadId?: string;
  /** The RFC 5322 Message-ID, when the provider returned it (Enhanced Email's MessageIdentifier). */
  rfcMessageId?: string;
  /** True when the rep scheduled the email: `sentAt` is then when it was scheduled, not delivered. */
  scheduled: boolean;
  sentAt: number;
  from?: MailAddress;
  to: MailAddress[];
  cc: MailAddress[];
  bcc: MailAddress[];
  subject: string;
  bodyHtml: string;
  /** A received email (lib/logging/inbound.ts): a reply in a logged thread, or any email from a matched person. */
  direction?: 'inbound';
  inbound?: 'reply' | 'fromMatched';
  /** The Account or Opportunity the rep chose for the thread, used instead of the rule's. */
  whatId?: string;
}

export interface SentEmailSettings extends ExclusionSettings {
  bccAddress: string;
  scheduledSends: 'logWhenScheduled' | 'skip';
}

/** `fallback`: queued for the API because the BCC copy did not go out (BCC mode, connected to Salesforce). */
export type SentEmailDecision = { action: 'skip'; reason: SkipReason } | { action: 'bcc' } | { action: 'queue'; fallback?: 'bccMissing' };

/** The stable identity of a sent email, the de-duplication key of the outbox and Activity tab. */
export const emailKey = (provider: MailProvider, mailbox: string, messageId: string) => `${provider}:${mailbox.toLowerCase()}:${messageId}`;

/**
 * What to do with a sent email; pure, so the rules can be read and tested in one place.
 * `connected`: the rep is connected to Salesforce, so a BCC-mode email whose copy did not go out can be logged through the API.
 */
export function decideSentEmail(report: SentEmailReport, settings: SentEmailSettings, connected = false): SentEmailDecision {
  const { send, mailbox } = report;
  // The page world can claim anything; an email not sent from this mailbox is not the rep's to log.
  if (send.from && send.from.email.toLowerCase() !== mailbox.toLowerCase()) return { action: 'skip', reason: 'fromNotMailbox' };
  if (settings.emailLogging === 'off') return { action: 'skip', reason: 'off' };
  if (!report.loggingOn) return { action: 'skip', reason: 'turnedOff' };
  if (send.scheduled && settings.scheduledSends === 'skip') return { action: 'skip', reason: 'scheduled' };
  const bccAddress = settings.bccAddress.toLowerCase();
  const decision = shouldLog([...send.to, ...send.cc, ...send.bcc], mailbox, settings, bccAddress ? [bccAddress] : []);
  if (!decision.log) return { action: 'skip', reason: decision.reason };
  if (settings.emailLogging === 'api') return { action: 'queue' };
  if (!bccAddress) return { action: 'skip', reason: 'noBccAddress' };
  // The request is the truth: Salesforce logs the email only if the BCC copy really went out.
  if (send.bcc.some((r) => r.email.toLowerCase() === bccAddress)) return { action: 'bcc' };
  return connected ? { action: 'queue', fallback: 'bccMissing' } : { action: 'skip', reason: 'bccMissing' };
}

/**
 * Records a sent email and answers once the write is durable. A second report of the same
 * email answers the state recorded the first time and writes nothing.
 */
export async function recordSentEmail(
  db: ExtensionDatabase,
  report: SentEmailReport,
  settings: SentEmailSettings,
  now = Date.now(),
  /** The org and user connected now: the email is theirs to log (lib/outbox/plan.ts, belongsTo). */
  owner?: OutboxOwner,
): Promise<SentEmailResult> {
  // A clean copy: nothing beyond the known fields reaches the database.
  const send = readDetectedSend(report.send);
  if (!send) throw new Error('the sent email is malformed');
  const mailbox = report.mailbox.toLowerCase();
  const key = emailKey(report.provider, mailbox, send.messageId);
  const decision = decideSentEmail({ ...report, send }, settings, !!owner);
  // With logging off altogether the rep asked for nothing to be kept, not even a skipped row.
  if (decision.action === 'skip' && decision.reason === 'off') return { state: 'skipped', reason: 'off' };

  return db.transaction('rw', db.activities, db.outbox, async () => {
    const existing = await db.activities.get(key);
    if (existing) return resultOf(existing);
    const activity: ActivityRecord = {
      key,
      kind: 'email',
      provider: report.provider,
      mailbox,
      subject: send.subject,
      recipients: [...send.to, ...send.cc, ...send.bcc],
      sentAt: report.sentAt,
      updatedAt: now,
      state: decision.action === 'queue' ? 'queued' : decision.action === 'bcc' ? 'logged' : 'skipped',
      loggedIds: [],
      matched: [],
      // Outlook names no conversation in a new email's send: its replies are found through this row (lib/logging/inbound.ts).
      whatId: report.whatId,
    };
    if (decision.action === 'skip') activity.reason = decision.reason;
    if (decision.action === 'bcc') activity.reason = 'bcc';
    if (decision.action === 'queue' && decision.fallback) activity.fallback = decision.fallback;
    await db.activities.add(activity);
    if (decision.action === 'queue') {
      const payload: OutboxEmailPayload = {
        provider: report.provider,
        mailbox,
        messageId: send.messageId,
        scheduled: send.scheduled,
        sentAt: report.sentAt,
        to: send.to,
        cc: send.cc,
        bcc: send.bcc,
        subject: send.subject,
        bodyHtml: send.bodyHtml,
      };
      if (send.threadId) payload.threadId = send.threadId;
      if (report.rfcMessageId) payload.rfcMessageId = report.rfcMessageId;
      if (send.from) payload.from = send.from;
      if (report.whatId) payload.whatId = report.whatId;
      await db.outbox.put({ key, kind: 'email', createdAt: now, nextAttemptAt: now, attempts: 0, payload, ...(owner ? { owner } : {}) });
    }
    return resultOf(activity);
  });
}

function resultOf(activity: ActivityRecord): SentEmailResult {
  return activity.reason ? { state: activity.state, reason: activity.reason as SentEmailResult['reason'] } : { state: activity.state };
}
