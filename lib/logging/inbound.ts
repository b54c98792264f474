/**
 * Where a received email lands in the worker (README "How replies are logged"): the content
 * script reports the messages the webmail loaded for the rep to read, and this decides, for
 * each, whether it is logged as an inbound email activity through the same outbox as sent
 * email, recorded as skipped with its reason, or left alone (the rep's own mail, a thread the
 * extension never logged, history older than the logged email).
 *
 * A thread counts as logged once the extension queued an email of it: it remembers the
 * thread then (`rememberThread`), and it recognises an Outlook thread whose send carried no
 * conversation id by the rep's sent copy inside the conversation (same subject, sent within
 * minutes of the logged email; docs/incoming-mail.md).
 */
import type { ActivityRecord, ActivityState, ExtensionDatabase, OutboxOwner } from '../db';
import { type ExclusionSettings, shouldLog } from '../mail/exclusions';
import { readGmailThreadAnswer } from '../mail/incoming/gmail-thread';
import { type IncomingMessage, readIncomingMessages } from '../mail/incoming/message';
import { readOwaReadingAnswer } from '../mail/incoming/outlook-conversation';
import type { MailProvider } from '../mail/types';
import type { SentEmailReport } from '../messages';
import { emailKey, type OutboxEmailPayload } from '../outbox/queue';
import type { Settings } from '../settings';

/** What a mail page hands on: the text of an answer that loaded mail to read, and the URL it came from. */
export interface ReceivedAnswerReport {
  provider: MailProvider;
  mailbox: string | null;
  url: string;
  text: string;
}

/** The messages of an answer the page world handed on; none for anything that is not such an answer. */
export function readAnswer(provider: MailProvider, url: string, text: string): IncomingMessage[] {
  return provider === 'gmail' ? readGmailThreadAnswer(url, text) : readOwaReadingAnswer(url, text);
}

export interface ReceivedMailReport {
  provider: MailProvider;
  /** The tab's mailbox, or null when the page does not show it (the logged thread's mailbox is used). */
  mailbox: string | null;
  messages: IncomingMessage[];
}

/** Per message: its Activity state, or `notLogged` when it is not the extension's to log. */
export interface ReceivedMailResult {
  messageId: string;
  state: ActivityState | 'notLogged';
  key?: string;
  reason?: string;
}

export type InboundSettings = ExclusionSettings & Pick<Settings, 'replyLogging'>;

/** What the extension remembers of a thread it logged an email of (in `db.values`). */
export interface LoggedThread {
  provider: MailProvider;
  mailbox: string;
  /** When the first logged email of the thread was sent: earlier messages are history, not replies. */
  since: number;
  /** The Account or Opportunity the rep chose for the thread; replies follow it. */
  whatId?: string;
}

/** How far apart the logged send and its copy in an Outlook conversation may be. */
export const SENT_COPY_WINDOW_MS = 10 * 60_000;

const threadKey = (provider: MailProvider, threadId: string) => `thread:${provider}:${threadId}`;

/** "Re: Fwd: AW: Subject" and "RE: Subject" are one conversation's subject. */
export function conversationSubject(subject: string): string {
  let s = subject.trim();
  for (let i = 0; i < 10; i++) {
    const next = s.replace(/^(?:re|fwd?|aw|wg|sv|vs|tr|rv|antw|回复|答复|転送|返信)\s*(?:\[\d+\])?\s*[:：]\s*/i, '');
    if (next === s) break;
    s = next;
  }
  return s.replace(/\s+/g, ' ').toLowerCase();
}

export async function loggedThread(db: ExtensionDatabase, provider: MailProvider, threadId: string): Promise<LoggedThread | undefined> {
  const stored = (await db.values.get(threadKey(provider, threadId)))?.value as LoggedThread | undefined;
  return stored && typeof stored.mailbox === 'string' && typeof stored.since === 'number' ? stored : undefined;
}

/** Notes that the extension logs an email of this thread (keeping the earliest date and the rep's choice). */
export async function rememberThread(db: ExtensionDatabase, thread: LoggedThread & { threadId: string }): Promise<void> {
  const { threadId, ...value } = thread;
  await db.transaction('rw', db.values, async () => {
    const known = await loggedThread(db, thread.provider, threadId);
    const merged: LoggedThread = { ...value, since: Math.min(value.since, known?.since ?? value.since) };
    const whatId = value.whatId ?? known?.whatId;
    if (whatId) merged.whatId = whatId;
    await db.values.put({ key: threadKey(thread.provider, threadId), value: merged });
  });
}

/** A queued sent email makes its thread a logged one (when the webmail named the thread), with the rep's related-to choice. */
export async function rememberSentThread(db: ExtensionDatabase, report: SentEmailReport): Promise<void> {
  if (!report.send.threadId) return;
  await rememberThread(db, {
    provider: report.provider,
    mailbox: report.mailbox.toLowerCase(),
    since: report.sentAt,
    threadId: report.send.threadId,
    whatId: report.whatId,
  });
}

const isLoggedOutbound = (a: ActivityRecord | undefined) => !!a && a.kind === 'email' && a.direction !== 'inbound' && a.state !== 'skipped';

/** Where the Activity of a logged send is found from the key of its sent copy (an Outlook copy has an id of its own). */
export const copyKey = (key: string) => `copy:${key}`;

/**
 * The thread as logged: remembered, or found by a logged sent email among its messages. Each
 * Outlook sent copy found is noted under copyKey, so that the reading pane shows it as logged.
 */
async function threadOf(
  db: ExtensionDatabase,
  provider: MailProvider,
  mailbox: string | null,
  threadId: string | undefined,
  messages: readonly IncomingMessage[],
): Promise<LoggedThread | undefined> {
  let found = threadId ? await loggedThread(db, provider, threadId) : undefined;
  for (const m of messages) {
    // Gmail's sent copy keeps the id its send request carried.
    const known = mailbox ? await db.activities.get(emailKey(provider, mailbox, m.messageId)) : undefined;
    if (known) {
      if (isLoggedOutbound(known)) found ??= { provider, mailbox: mailbox!.toLowerCase(), since: known.sentAt, whatId: known.whatId };
      continue;
    }
    // Outlook's sent copy has an id of its own: the rep's message with the logged one's subject and time.
    if (mailbox && m.from.email.toLowerCase() !== mailbox.toLowerCase()) continue;
    const subject = conversationSubject(m.subject);
    const near = await db.activities
      .where('sentAt')
      .between(m.sentAt - SENT_COPY_WINDOW_MS, m.sentAt + SENT_COPY_WINDOW_MS, true, true)
      .filter((a) => isLoggedOutbound(a) && a.provider === provider && a.mailbox === m.from.email.toLowerCase())
      .toArray();
    const sent = near.find((a) => conversationSubject(a.subject) === subject);
    if (!sent?.mailbox) continue;
    found ??= { provider, mailbox: sent.mailbox, since: sent.sentAt, whatId: sent.whatId };
    await db.values.put({ key: copyKey(emailKey(provider, sent.mailbox, m.messageId)), value: sent.key });
  }
  return found;
}

export type InboundDecision =
  | { action: 'ignore' }
  | { action: 'skip'; reason: string }
  | { action: 'queue'; inbound: 'reply' | 'fromMatched' };

/** What to do with one received message; pure, so the rules read and test in one place. */
export function decideReceived(
  message: IncomingMessage,
  mailbox: string,
  thread: LoggedThread | undefined,
  settings: InboundSettings,
): InboundDecision {
  if (settings.emailLogging !== 'api' || settings.replyLogging === 'off') return { action: 'ignore' };
  // The rep's own mail is logged when it is sent, from the send itself.
  if (message.from.email.toLowerCase() === mailbox.toLowerCase()) return { action: 'ignore' };
  // Outlook dates its messages to the second, the extension its sends to the millisecond.
  const reply = thread !== undefined && message.sentAt >= Math.floor(thread.since / 1000) * 1000;
  if (!reply && settings.replyLogging === 'replies') return { action: 'ignore' };
  const decision = shouldLog([message.from, ...message.to, ...message.cc], mailbox, settings);
  if (!decision.log) {
    // Shown for a reply in a logged thread (the rep expects it); other mail stays out of the list.
    return reply ? { action: 'skip', reason: decision.reason } : { action: 'ignore' };
  }
  return { action: 'queue', inbound: reply ? 'reply' : 'fromMatched' };
}

/**
 * Records the received messages that are the extension's to log, each once (by its key, the
 * same as a sent email's), and answers the state of every message, so that the reading pane
 * can show it. One transaction per message: never an outbox entry without its Activity row.
 */
export async function recordReceivedMail(
  db: ExtensionDatabase,
  report: ReceivedMailReport,
  settings: InboundSettings,
  now = Date.now(),
  owner?: OutboxOwner,
): Promise<ReceivedMailResult[]> {
  const messages = readIncomingMessages(report.messages);
  if (!messages) throw new Error('the received messages are malformed');
  const byThread = new Map<string, IncomingMessage[]>();
  for (const m of messages) {
    const group = byThread.get(m.threadId ?? '') ?? [];
    group.push(m);
    byThread.set(m.threadId ?? '', group);
  }
  const results: ReceivedMailResult[] = [];
  for (const [threadId, group] of byThread) {
    const thread = await threadOf(db, report.provider, report.mailbox, threadId || undefined, group);
    const mailbox = (report.mailbox ?? thread?.mailbox)?.toLowerCase();
    if (thread && threadId) await rememberThread(db, { ...thread, threadId });
    for (const message of group) {
      if (!mailbox) {
        results.push({ messageId: message.messageId, state: 'notLogged', reason: 'mailboxUnknown' });
        continue;
      }
      results.push(await recordOne(db, report.provider, mailbox, message, thread, settings, now, owner));
    }
  }
  return results;
}

async function recordOne(
  db: ExtensionDatabase,
  provider: MailProvider,
  mailbox: string,
  message: IncomingMessage,
  thread: LoggedThread | undefined,
  settings: InboundSettings,
  now: number,
  owner: OutboxOwner | undefined,
): Promise<ReceivedMailResult> {
  const key = emailKey(provider, mailbox, message.messageId);
  const { messageId } = message;
  return db.transaction('rw', db.activities, db.outbox, async () => {
    const existing = await db.activities.get(key);
    if (existing) return { messageId, key, state: existing.state, ...(existing.reason ? { reason: existing.reason } : {}) };
    const decision = decideReceived(message, mailbox, thread, settings);
    if (decision.action === 'ignore') return { messageId, state: 'notLogged' as const };
    const activity: ActivityRecord = {
      key,
      kind: 'email',
      direction: 'inbound',
      provider,
      mailbox,
      subject: message.subject,
      recipients: [message.from, ...message.to, ...message.cc],
      sentAt: message.sentAt,
      updatedAt: now,
      state: decision.action === 'queue' ? 'queued' : 'skipped',
      loggedIds: [],
      matched: [],
    };
    if (decision.action === 'skip') activity.reason = decision.reason;
    await db.activities.add(activity);
    if (decision.action === 'queue') {
      const payload = loadedEmailPayload(provider, mailbox, message, decision.inbound, thread?.whatId);
      await db.outbox.put({ key, kind: 'email', createdAt: now, nextAttemptAt: now, attempts: 0, payload, ...(owner ? { owner } : {}) });
    }
    return { messageId, key, state: activity.state, ...(activity.reason ? { reason: activity.reason } : {}) };
  });
}

/**
 * The outbox payload of a message the webmail loaded: received (with why it is logged) or, with
 * no `inbound`, one the rep sent and logs by hand from the reading pane.
 */
export function loadedEmailPayload(
  provider: MailProvider,
  mailbox: string,
  message: IncomingMessage,
  inbound: OutboxEmailPayload['inbound'],
  whatId: string | undefined,
): OutboxEmailPayload {
  const payload: OutboxEmailPayload = {
    provider,
    mailbox,
    messageId: message.messageId,
    scheduled: false,
    sentAt: message.sentAt,
    from: message.from,
    to: message.to,
    cc: message.cc,
    bcc: [],
    subject: message.subject,
    bodyHtml: message.bodyHtml,
    ...(inbound ? { direction: 'inbound' as const, inbound } : {}),
  };
  if (message.threadId) payload.threadId = message.threadId;
  if (message.rfcMessageId) payload.rfcMessageId = message.rfcMessageId;
  if (whatId) payload.whatId = whatId;
  return payload;
}
