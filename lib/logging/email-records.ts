/**
 * The Salesforce records for one sent email, from its match (matching.ts), its related
 * records (related.ts) and what the org supports (capabilities.ts):
 *
 * - Task mode: a Task per group (TaskSubtype Email, Status Completed, ActivityDate the send
 *   date, Subject from the template, Description the header block and the body as text),
 *   with TaskRelation rows for further contacts when Shared Activities is on.
 * - Enhanced Email: one EmailMessage (Status "3" = sent, MessageIdentifier, addresses, bodies)
 *   with EmailMessageRelation rows for the sender and every matched To/Cc recipient.
 *
 * Every Task carries the email's Message-ID in its header block: after a write whose answer
 * was lost, the logger finds it by that line and never writes the email twice.
 */
import type { MailAddress, MailProvider } from '../mail/types';
import type { Fields, FieldValue, RecordRef, WriteUnit } from '../outbox/write-unit';
import { applySubjectTemplate, type Settings } from '../settings';
import type { Capabilities, LoggingMode } from './capabilities';
import { calendarDate, localDateTime } from './dates';
import { htmlToText } from './html-text';
import type { EmailMatch, NewLead } from './matching';
import { MAX_CONTACTS_PER_TASK, type OpportunityInfo, relatedToId, type TaskGroup, taskGroups, type WhoRef } from './related';
import { cutAt, fitHtmlWithMarker, fitWithMarker, oneLine } from './text-fields';

/** A sent email as the logger needs it (the outbox payload, normalised). */
export interface EmailToLog {
  key: string;
  provider: MailProvider;
  mailbox: string;
  from?: MailAddress;
  to: MailAddress[];
  cc: MailAddress[];
  subject: string;
  bodyHtml: string;
  sentAt: number;
  /** The RFC Message-ID when the webmail gave one. */
  rfcMessageId?: string;
  /** Received by the rep rather than sent (lib/logging/inbound.ts); absent for sent email. */
  direction?: 'inbound';
  /** The Account or Opportunity the rep chose for the email's thread, instead of the rule's. */
  whatId?: string;
}

export interface RecordContext {
  settings: Pick<Settings, 'logBody' | 'subjectTemplate' | 'relatedRecords'>;
  capabilities: Capabilities;
  mode: LoggingMode;
  /** The connected Salesforce user (the sender's EmailMessageRelation). */
  userId: string;
  timeZone: string;
  /** Appended where a body was cut to fit; worded in the rep's language. */
  truncatedMarker: string;
  opportunities?: OpportunityInfo;
}

export type LogMatch = Extract<EmailMatch, { kind: 'log' }>;

const NO_SUBJECT = '(no subject)';
const MESSAGE_ID_LENGTH = 255;

/**
 * The identifier that names this email in Salesforce: its RFC Message-ID, or one made from the
 * provider's message id (stable for the same email) when the webmail gave none.
 */
export function messageIdentifier(email: Pick<EmailToLog, 'rfcMessageId' | 'provider' | 'mailbox' | 'key'>): string {
  if (email.rfcMessageId) return cutAt(email.rfcMessageId, MESSAGE_ID_LENGTH);
  const local = email.key.replace(/[^A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]/g, '-');
  return cutAt(`<${local}@sales-activity-sync.invalid>`, MESSAGE_ID_LENGTH);
}

const formatAddress = (a: MailAddress) => (a.name ? `${oneLine(a.name)} <${a.email}>` : a.email);

/** Long recipient lists are shortened, so the header block always fits with its Message-ID line. */
const HEADER_LINE_MAX = 3_000;
const headerLine = (name: string, value: string) => {
  const line = `${name}: ${value}`;
  return line.length <= HEADER_LINE_MAX ? line : `${cutAt(line, HEADER_LINE_MAX - 1)}…`;
};

/** The header block at the top of every logged Task (and the text of a headers-only email). */
export function headerBlock(email: EmailToLog, timeZone: string): string {
  const lines = [headerLine('From', formatAddress(email.from ?? { email: email.mailbox }))];
  if (email.to.length > 0) lines.push(headerLine('To', email.to.map(formatAddress).join(', ')));
  if (email.cc.length > 0) lines.push(headerLine('Cc', email.cc.map(formatAddress).join(', ')));
  lines.push(`Date: ${localDateTime(email.sentAt, timeZone)}`);
  lines.push(headerLine('Subject', oneLine(email.subject) || NO_SUBJECT));
  lines.push(`Message-ID: ${messageIdentifier(email)}`);
  return lines.join('\n');
}

/** Task.Description: headers, then the body as text when the rep logs bodies, cut to fit. */
export function taskDescription(email: EmailToLog, context: RecordContext): string {
  const headers = headerBlock(email, context.timeZone);
  const body = context.settings.logBody ? htmlToText(email.bodyHtml) : '';
  const text = body ? `${headers}\n\n${body}` : headers;
  return fitWithMarker(text, context.capabilities.taskDescriptionLength, `\n\n${context.truncatedMarker}`);
}

export function taskSubject(email: Pick<EmailToLog, 'subject'>, context: Pick<RecordContext, 'settings' | 'capabilities'>): string {
  const subject = applySubjectTemplate(context.settings.subjectTemplate, {
    activity_type: 'Email',
    activity_subject: oneLine(email.subject) || NO_SUBJECT,
  });
  return cutAt(subject || NO_SUBJECT, context.capabilities.taskSubjectLength);
}

const whoValue = (who: WhoRef): FieldValue => ('id' in who ? who.id : ({ ref: 'lead', index: who.newLead } satisfies RecordRef));

function leadFields(lead: NewLead): Fields {
  return {
    ...(lead.firstName ? { FirstName: lead.firstName } : {}),
    LastName: lead.lastName,
    Company: lead.company,
    Email: lead.email,
  };
}

/**
 * The Account or Opportunity the rep chose for the thread replaces the rule's on every contact's
 * task (which then share one task, as far as Shared Activities allows); a lead's task has no WhatId.
 */
function chosenWhat(email: EmailToLog, match: LogMatch, groups: TaskGroup[], sharedActivities: boolean): TaskGroup[] {
  if (!email.whatId) return groups;
  const leads = new Set(match.people.filter((p) => p.type === 'Lead').map((p) => p.id));
  const isLeadGroup = (g: TaskGroup) => g.who.some((w) => !('id' in w) || leads.has(w.id));
  const contactGroups = groups.filter((g) => !isLeadGroup(g));
  const who = contactGroups
    .flatMap((g) => g.who)
    .filter((w, i, all) => all.findIndex((x) => 'id' in x && 'id' in w && x.id === w.id) === i);
  const merged: TaskGroup[] = [];
  const size = sharedActivities ? MAX_CONTACTS_PER_TASK : 1;
  for (let i = 0; i < who.length; i += size) merged.push({ who: who.slice(i, i + size), whatId: email.whatId });
  return [...merged, ...groups.filter(isLeadGroup)];
}

function taskWrite(email: EmailToLog, match: LogMatch, context: RecordContext): WriteUnit {
  const { capabilities } = context;
  const groups = chosenWhat(
    email,
    match,
    taskGroups(match.people, match.newLeads.length, context.settings.relatedRecords, capabilities.sharedActivities, context.opportunities),
    capabilities.sharedActivities,
  );
  const subject = taskSubject(email, context);
  const description = taskDescription(email, context);
  const marker = `Message-ID: ${messageIdentifier(email)}`;
  const common: Fields = {
    Subject: subject,
    Description: description,
    Status: capabilities.completedStatus,
    Priority: 'Normal',
    ActivityDate: calendarDate(email.sentAt, context.timeZone),
    ...(capabilities.taskSubtype.email ? { TaskSubtype: 'Email' } : capabilities.taskTypeEmail ? { Type: 'Email' } : {}),
  };
  const unit: WriteUnit = {
    key: email.key,
    leads: match.newLeads.map(leadFields),
    activities: [],
    children: [],
    proof: { type: 'Task', subject, marker },
  };
  if (email.rfcMessageId && capabilities.emailMessageQueryable) unit.duplicateIdentifier = messageIdentifier(email);
  for (const group of groups) {
    const index = unit.activities.length;
    const [primary, ...others] = group.who;
    unit.activities.push({
      type: 'Task',
      fields: { ...common, WhoId: primary ? whoValue(primary) : null, ...(group.whatId ? { WhatId: group.whatId } : {}) },
    });
    for (const who of others) {
      unit.children.push({
        type: 'TaskRelation',
        fields: { TaskId: { ref: 'activity', index }, RelationId: whoValue(who), IsWhat: false },
      });
    }
  }
  return unit;
}

function enhancedEmailWrite(email: EmailToLog, match: LogMatch, context: RecordContext): WriteUnit {
  const { capabilities, settings } = context;
  const identifier = messageIdentifier(email);
  const inbound = email.direction === 'inbound';
  const fromAddress = (email.from?.email ?? email.mailbox).toLowerCase();
  const textBody = settings.logBody ? htmlToText(email.bodyHtml) : '';
  const what = email.whatId ?? relatedToId(match.people, settings.relatedRecords, context.opportunities);
  // Salesforce relates a message to the records in ToIds/CcIds (EmailMessageRelation rows, and
  // the Task it creates); ToAddress/CcAddress keep only the addresses that are no record.
  const leadIndex = new Map(match.newLeads.map((lead, i) => [lead.email, i]));
  const ids: Record<'to' | 'cc', Array<string | RecordRef>> = { to: [], cc: [] };
  const plain: Record<'to' | 'cc', string[]> = { to: [], cc: [] };
  /** A received email's sender, when matched: its FromAddress relation names the record. */
  const senders: string[] = [];
  for (const recipient of match.recipients) {
    const outcome = recipient.outcome;
    if (inbound && recipient.email === fromAddress) {
      if (outcome.kind === 'matched') senders.push(...outcome.records.map((r) => r.id));
    } else if (outcome.kind === 'matched') ids[recipient.role].push(...outcome.records.map((r) => r.id));
    else if (outcome.kind === 'newLead') ids[recipient.role].push({ ref: 'lead', index: leadIndex.get(outcome.lead.email) ?? 0 });
    else plain[recipient.role].push(recipient.email);
  }
  const listed = new Set(match.recipients.map((r) => r.email));
  // Addresses not matched on (the rep's colleagues, and the rep on a received email) stay visible as plain addresses.
  for (const a of email.to) if (!listed.has(a.email.toLowerCase())) plain.to.push(a.email);
  for (const a of email.cc) if (!listed.has(a.email.toLowerCase())) plain.cc.push(a.email);
  const message: Fields = {
    Subject: cutAt(oneLine(email.subject) || NO_SUBJECT, capabilities.emailSubjectLength),
    // "1" = read: a received email is logged once the rep's webmail loaded it; "3" = sent.
    Status: inbound ? '1' : '3',
    Incoming: inbound,
    MessageDate: new Date(email.sentAt).toISOString(),
    MessageIdentifier: identifier,
    FromAddress: fromAddress,
    ...(email.from?.name ? { FromName: cutAt(oneLine(email.from.name), 1000) } : {}),
    ToAddress: cutAt(plain.to.join('; '), 4000) || null,
    CcAddress: cutAt(plain.cc.join('; '), 4000) || null,
    ...(ids.to.length > 0 ? { ToIds: ids.to } : {}),
    ...(ids.cc.length > 0 ? { CcIds: ids.cc } : {}),
    TextBody: textBody ? fitWithMarker(textBody, capabilities.emailTextBodyLength, `\n\n${context.truncatedMarker}`) : null,
    HtmlBody:
      settings.logBody && email.bodyHtml
        ? fitHtmlWithMarker(email.bodyHtml, capabilities.emailHtmlBodyLength, context.truncatedMarker)
        : null,
    ...(what ? { RelatedToId: what } : {}),
  };
  const relation = (type: 'FromAddress' | 'ToAddress', id: string, address: string) => ({
    type: 'EmailMessageRelation' as const,
    fields: { EmailMessageId: { ref: 'activity', index: 0 } as RecordRef, RelationType: type, RelationId: id, RelationAddress: address },
  });
  const unit: WriteUnit = {
    key: email.key,
    leads: match.newLeads.map(leadFields),
    activities: [{ type: 'EmailMessage', fields: message }],
    // Sent: the rep is the sender, so that Salesforce's reply and forward work from the logged
    // message. Received: the matched sender, and the rep as its recipient. Where the org refused
    // relations added to a sent message (capabilities.ts, fromRelation), none are written.
    children:
      capabilities.fromRelation === false
        ? []
        : inbound
          ? [
              ...senders.slice(0, 1).map((id) => relation('FromAddress', id, fromAddress)),
              relation('ToAddress', context.userId, email.mailbox),
            ]
          : [relation('FromAddress', context.userId, fromAddress)],
    proof: { type: 'EmailMessage', identifier },
  };
  if (email.rfcMessageId) unit.duplicateIdentifier = identifier;
  return unit;
}

/** The write for a matched email, in the mode the org allows. */
export function emailWrite(email: EmailToLog, match: LogMatch, context: RecordContext): WriteUnit {
  return context.mode.as === 'enhancedEmail' ? enhancedEmailWrite(email, match, context) : taskWrite(email, match, context);
}
