/**
 * The worker's side of the reading-pane control (lib/mail/reading-pane): where each open message
 * is logged, "Log this email" for one that is not, and the Accounts and open Opportunities the
 * rep can relate it to. A message logged by hand goes through the same outbox as any other, with
 * the same exclusions; its thread then counts as logged, so replies follow, with the rep's choice.
 */
import type { ActivityRecord, ActivityState, ExtensionDatabase, OutboxOwner } from '../db';
import { readMailAddress } from '../mail/detected-send';
import { shouldLog } from '../mail/exclusions';
import type { IncomingMessage } from '../mail/incoming/message';
import type { MailProvider } from '../mail/types';
import { emailKey } from '../outbox/queue';
import type { SalesforceClient } from '../salesforce/client';
import type { SalesforceError } from '../salesforce/errors';
import { soqlId, soqlQuote } from '../salesforce/soql';
import type { Settings } from '../settings';
import { copyKey, loadedEmailPayload, rememberThread } from './inbound';

export interface MessageStatus {
  messageId: string;
  state: ActivityState | 'notLogged';
  reason?: string;
  /** The people and records it is logged to, and the records written (Task, EmailMessage). */
  matched: ActivityRecord['matched'];
  loggedIds: string[];
  direction: 'inbound' | 'outbound';
}

export interface RelatedOption {
  id: string;
  type: 'Account' | 'Opportunity';
  name: string;
}

export async function messageStatuses(
  db: ExtensionDatabase,
  provider: MailProvider,
  mailbox: string,
  messageIds: readonly string[],
): Promise<MessageStatus[]> {
  const keys = messageIds.map((id) => emailKey(provider, mailbox, id));
  // An Outlook sent copy shows the Activity of the send it is a copy of (inbound.ts copyKey).
  const copies = await db.values.bulkGet(keys.map(copyKey));
  const rows = await db.activities.bulkGet(keys.map((key, i) => (copies[i]?.value as string | undefined) ?? key));
  return messageIds.map((messageId, i) => {
    const row = rows[i];
    if (!row) return { messageId, state: 'notLogged', matched: [], loggedIds: [], direction: 'outbound' };
    return {
      messageId,
      state: row.state,
      ...(row.reason ? { reason: row.reason } : {}),
      matched: row.matched,
      loggedIds: row.loggedIds,
      direction: row.direction ?? 'outbound',
    };
  });
}

/**
 * Queues one message the rep chose to log, sent or received, unless its key is known already.
 * The exclusions still apply (the never-log list is the admin's privacy rule); the rule
 * "replies to logged email" does not, the rep asked for this one.
 */
export async function logThisEmail(
  db: ExtensionDatabase,
  provider: MailProvider,
  mailbox: string,
  message: IncomingMessage,
  settings: Pick<Settings, 'emailLogging' | 'internalDomains' | 'neverLog' | 'loggedMailboxes'>,
  whatId: string | undefined,
  now = Date.now(),
  owner?: OutboxOwner,
): Promise<MessageStatus> {
  const own = mailbox.toLowerCase();
  const sent = message.from.email.toLowerCase() === own;
  const key = emailKey(provider, own, message.messageId);
  const decision =
    settings.emailLogging !== 'api'
      ? { log: false as const, reason: 'off' }
      : shouldLog([message.from, ...message.to, ...message.cc], own, settings);
  await db.transaction('rw', db.activities, db.outbox, async () => {
    if (await db.activities.get(key)) return;
    const activity: ActivityRecord = {
      key,
      kind: 'email',
      provider,
      mailbox: own,
      subject: message.subject,
      recipients: sent ? [...message.to, ...message.cc] : [message.from, ...message.to, ...message.cc],
      sentAt: message.sentAt,
      updatedAt: now,
      state: decision.log ? 'queued' : 'skipped',
      loggedIds: [],
      matched: [],
    };
    if (!sent) activity.direction = 'inbound';
    if (!decision.log) activity.reason = decision.reason;
    await db.activities.add(activity);
    if (!decision.log) return;
    const payload = loadedEmailPayload(provider, own, message, sent ? undefined : 'reply', whatId);
    await db.outbox.put({ key, kind: 'email', createdAt: now, nextAttemptAt: now, attempts: 0, payload, ...(owner ? { owner } : {}) });
  });
  if (decision.log && message.threadId) {
    await rememberThread(db, { provider, mailbox: own, since: message.sentAt, threadId: message.threadId, ...(whatId ? { whatId } : {}) });
  }
  const [status] = await messageStatuses(db, provider, own, [message.messageId]);
  return status!;
}

type Rows<T> = { records: T[] };
const MAX_OPTIONS = 50;

/**
 * The Accounts of the Contacts these addresses belong to, and those Accounts' open
 * Opportunities (most recently changed first): what an email to them may be related to.
 * Two queries, every literal escaped.
 */
export async function relatedOptions(
  client: Pick<SalesforceClient, 'request'>,
  addresses: readonly string[],
  rule: Settings['relatedRecords'],
): Promise<{ ok: true; options: RelatedOption[]; preselected: string } | { ok: false; error: SalesforceError }> {
  const emails = [...new Set(addresses.map((a) => a.toLowerCase()).filter((a) => readMailAddress({ email: a })))].slice(0, 50);
  if (emails.length === 0) return { ok: true, options: [], preselected: '' };
  const contacts = await client.request<Rows<{ AccountId: string | null; Account?: { Name?: string } | null }>>(
    {
      method: 'GET',
      url: `/query?q=${encodeURIComponent(`SELECT AccountId, Account.Name FROM Contact WHERE Email IN (${emails.map(soqlQuote).join(', ')}) AND AccountId != null LIMIT 200`)}`,
    },
    'match',
  );
  if (!contacts.ok) return { ok: false, error: contacts.error };
  const accounts = new Map<string, string>();
  for (const c of contacts.value.records)
    if (c.AccountId && !accounts.has(c.AccountId)) accounts.set(c.AccountId, c.Account?.Name ?? c.AccountId);
  const options: RelatedOption[] = [...accounts].map(([id, name]) => ({ id, type: 'Account', name }));
  if (accounts.size === 0) return { ok: true, options, preselected: '' };
  const opportunities = await client.request<Rows<{ Id: string; Name: string }>>(
    {
      method: 'GET',
      url: `/query?q=${encodeURIComponent(
        `SELECT Id, Name FROM Opportunity WHERE AccountId IN (${[...accounts.keys()].map(soqlId).join(', ')}) AND IsClosed = false ORDER BY LastModifiedDate DESC LIMIT ${MAX_OPTIONS}`,
      )}`,
    },
    'match',
  );
  if (!opportunities.ok) return { ok: false, error: opportunities.error };
  const firstAccount = options[0]?.id ?? '';
  for (const o of opportunities.value.records) options.push({ id: o.Id, type: 'Opportunity', name: o.Name });
  // The rule's choice, as the logger would make it for the first contact (lib/logging/related.ts).
  const firstOpportunity = options.find((o) => o.type === 'Opportunity')?.id;
  const preselected = rule === 'none' ? '' : rule === 'account' ? firstAccount : (firstOpportunity ?? firstAccount);
  return { ok: true, options: options.slice(0, MAX_OPTIONS), preselected };
}
