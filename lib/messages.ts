/**
 * The one message protocol between the runtimes: content scripts and the popup / options
 * pages send requests, the service worker answers. Every request is checked at runtime in
 * the worker (shape and sender) before a handler sees it: content scripts run next to
 * pages we do not control, and a bad message must get a clear error, never crash the worker.
 *
 * To add a message: describe it in `Protocol`, give it a rule in `RULES`, and register a
 * handler in the worker (entrypoints/background.ts).
 */

import { isEmailAddress } from './address';
import { type CallInput, checkCall } from './calls/model';
import type { PersonMatch } from './calls/search';
import type { ActivityState, LocalTask } from './db';
import { areSentCounts, type DiagnosticCounts } from './diagnostics/counters';
import type { ReceivedAnswerReport, ReceivedMailResult } from './logging/inbound';
import type { MessageStatus, RelatedOption } from './logging/reading-pane';
import { MAX_URL_LENGTH } from './mail/bridge';
import { isProviderId, isRfcMessageId, readAddressList, readDetectedSend } from './mail/detected-send';
import type { ExclusionReason } from './mail/exclusions';
import { mailProviderOf } from './mail/hosts';
import { MAX_ANSWER_LENGTH } from './mail/incoming/answer-hook';
import { type IncomingMessage, readIncomingMessage } from './mail/incoming/message';
import type { DetectedSend, MailAddress, MailProvider } from './mail/types';
import type { ActivityView } from './outbox/activity-actions';
import type { ConnectionView } from './salesforce/connection-state';
import type { SalesforceErrorKind } from './salesforce/errors';
import type { SalesforceEnvironment } from './salesforce/hosts';
import type { SettingKey, SettingProblem, Settings } from './settings';
import type { TaskSyncStatus } from './sync/status';
import { checkNewTask, checkTaskChanges, type TaskInput } from './tasks/model';

// ---------------------------------------------------------------------------------------------
// What each message carries and answers

/**
 * The scripts a mail tab loads when it first needs them (unlisted entrypoints, built as
 * `/<name>.js`), each with the only provider whose tab may ask for it: the worker injects
 * nothing else.
 */
export const LAZY_SCRIPTS = {
  'gmail-pane': 'gmail',
  'gmail-compose': 'gmail',
  'outlook-pane': 'outlook',
  'outlook-compose': 'outlook',
} as const;
export type LazyScript = keyof typeof LAZY_SCRIPTS;

/** What a content script needs to know to run on a mail page. */
export interface ComposeSettings {
  emailLogging: Settings['emailLogging'];
  bccAddress: string;
  composeDefaultOn: boolean;
  undoSendSeconds: number;
  scheduledSends: Settings['scheduledSends'];
  internalDomains: string[];
  neverLog: string[];
  loggedMailboxes: string[];
}

/** Settings as the options page shows them: values plus which ones an admin locked. */
export interface SettingsView {
  values: Settings;
  locked: SettingKey[];
  /** The team policy an administrator deployed (empty when none): the "Admin settings" view. */
  policy: { settings: Partial<Settings>; locked: SettingKey[] };
}

/** Why a compose will not be logged: a settings exclusion, the rep's switch, or BCC mode without an address. */
export type PreviewReason = ExclusionReason | 'turnedOff' | 'noBccAddress';

/** What the compose control shows; structured so each part can be worded (and extended with matches). */
export interface ComposePreview {
  mode: 'api' | 'bcc' | 'off';
  willLog: boolean;
  reason?: PreviewReason;
  /** Salesforce records the recipients match, once known (API mode); `newLeads`: leads that will be created. */
  matches?: { contacts: number; leads: number; unresolved: number; newLeads?: number };
}

/** A send that passed its undo window, as the content script hands it to the worker. */
export interface SentEmailReport {
  provider: MailProvider;
  /** The mailbox the rep sent from (the account of the tab). */
  mailbox: string;
  send: DetectedSend;
  rfcMessageId?: string;
  /** When the webmail sent (or scheduled) it, ms since epoch. */
  sentAt: number;
  /** The compose control's on/off for this email. */
  loggingOn: boolean;
  /** The Account or Opportunity the rep picked in the compose control; the thread's replies follow it. */
  whatId?: string;
}

/** Why a sent email was not handed to Salesforce (shown in the Activity tab). */
export type SkipReason = PreviewReason | 'scheduled' | 'fromNotMailbox' | 'bccMissing';

export interface SentEmailResult {
  state: ActivityState;
  /** For skipped emails: why; for BCC-logged ones: 'bcc'. */
  reason?: SkipReason | 'bcc';
}

export interface WorkerStatus {
  version: string;
  startedAt: number;
}

export interface Protocol {
  /** A content script announcing itself on a mail page; answers what it needs to run. */
  'content/hello': { request: { provider: MailProvider }; response: ComposeSettings };
  'settings/get': { request: Record<string, never>; response: SettingsView };
  'settings/change': { request: { changes: Partial<Record<SettingKey, unknown>> }; response: SettingsView };
  'worker/status': { request: Record<string, never>; response: WorkerStatus };
  /** The compose control asking what will happen to the email being written. */
  'compose/preview': {
    request: { provider: MailProvider; mailbox: string | null; recipients: MailAddress[]; on: boolean };
    response: ComposePreview;
  };
  /** A mail tab's diagnostic counts since its last report (lib/diagnostics/counters.ts); answered once stored. */
  'diag/count': { request: { counts: DiagnosticCounts }; response: null };
  /** A sent email that passed its undo window; answered once it is durably recorded. */
  'mail/sent': { request: SentEmailReport; response: SentEmailResult };
  /** Messages the webmail loaded for the rep to read; answers each one's state (lib/logging/inbound.ts). */
  'mail/received': { request: ReceivedAnswerReport; response: { results: ReceivedMailResult[]; messages: IncomingMessage[] } };
  /** A part of the mail page's script is needed: the worker injects its script into the tab (lib/mail/lazy-script.ts). */
  'script/load': { request: { script: LazyScript }; response: null };
  /** The reading-pane control: where these open messages are logged (lib/logging/reading-pane.ts). */
  'reading/status': {
    request: { provider: MailProvider; mailbox: string; messageIds: string[] };
    response: { statuses: MessageStatus[]; instanceUrl: string | null };
  };
  /** "Log this email" on an open message, sent or received, related to the record the rep picked. */
  'reading/logThis': {
    request: { provider: MailProvider; mailbox: string; message: IncomingMessage; whatId?: string };
    response: MessageStatus;
  };
  /** The Accounts and open Opportunities of the people of an email, with the rule's choice. */
  'reading/related': {
    request: { provider: MailProvider; addresses: string[] };
    response: { options: RelatedOption[]; preselected: string };
  };
  /** The Salesforce connection as the popup and options page show it (never a token). */
  'connection/get': { request: Record<string, never>; response: ConnectionView };
  /** Opens Salesforce's login; answers once the rep signed in, cancelled, or it failed. */
  'connection/connect': { request: { environment: SalesforceEnvironment; myDomain: string }; response: ConnectionView };
  /** Revokes the session at Salesforce and forgets it here. */
  'connection/disconnect': { request: Record<string, never>; response: ConnectionView };
  /** Asks Salesforce again now (the rep's "Check now", or "Try now" while unreachable). */
  'connection/check': { request: Record<string, never>; response: ConnectionView };
  /**
   * The command center's writes. The popup reads tasks (and the sync status) straight from the
   * database; every write goes through the worker, the one writer, which also arms reminders.
   */
  'tasks/create': { request: { task: TaskInput }; response: LocalTask };
  'tasks/update': { request: { id: string; changes: Partial<TaskInput> }; response: LocalTask };
  'tasks/setDone': { request: { id: string; done: boolean }; response: LocalTask };
  /** Marks a task deleted; it can be brought back until `undoUntil`. */
  'tasks/delete': { request: { id: string }; response: { undoUntil: number } };
  'tasks/undoDelete': { request: { id: string }; response: LocalTask };
  /** "Sync now": runs task sync (or joins the run in progress) and answers its status. */
  'taskSync/syncNow': { request: Record<string, never>; response: TaskSyncStatus };
  /** The command center opened: task sync runs now unless it just did (the popup follows the database). */
  'taskSync/opened': { request: Record<string, never>; response: null };
  /** Contacts and Leads matching a name, phone or email, from Salesforce's search. */
  'calls/searchPeople': { request: { query: string }; response: PersonMatch[] };
  /** Queues a call to log; answers once it is durably queued (it reaches Salesforce when it can). */
  'calls/log': { request: { call: CallInput }; response: { key: string } };
  /** The Activity tab: every logged, waiting, unresolved, failed and skipped email and call. */
  'activity/list': { request: Record<string, never>; response: ActivityView };
  /** Tries a failed email or call again. */
  'activity/retry': { request: { key: string }; response: ActivityView };
  /** Logs an unresolved email to the Contact or Lead the rep found (with `calls/searchPeople`). */
  'activity/assign': {
    request: { key: string; person: { id: string; type: 'Contact' | 'Lead'; name: string; email?: string } };
    response: ActivityView;
  };
  /** For an email or call captured for another org: log it to the connected org, or not at all. */
  'activity/choose': { request: { key: string; choice: 'logHere' | 'discard' }; response: ActivityView };
}

/** What the worker pushes to content scripts in open mail tabs. */
export type WorkerPush = { type: 'settings/changed'; settings: ComposeSettings };

export type MessageType = keyof Protocol;
export type RequestOf<T extends MessageType> = Protocol[T]['request'];
export type ResponseOf<T extends MessageType> = Protocol[T]['response'];
export type Message<T extends MessageType = MessageType> = { type: T } & RequestOf<T>;

// ---------------------------------------------------------------------------------------------
// Answers and errors

export type ErrorKind =
  | 'unknownMessage'
  | 'invalidMessage'
  | 'forbiddenSender'
  | 'internal'
  | 'settingLocked'
  | 'settingInvalid'
  /** The browser's sync storage refused the change (its quota); nothing of it was saved. */
  | 'settingsStorageFull'
  /** A task that no longer exists (deleted meanwhile, or its undo window passed). */
  | 'taskNotFound'
  /** Salesforce could not answer; `salesforce` says why. */
  | 'salesforce';

export interface ExtensionError {
  kind: ErrorKind;
  /** For logs and developers; the UI words each kind itself. */
  message: string;
  /** The setting or field the error is about, where there is one. */
  field?: string;
  problem?: SettingProblem;
  /** For kind 'salesforce': the kind of Salesforce failure, which the UI explains. */
  salesforce?: SalesforceErrorKind;
}

export type Answer<T> = { ok: true; value: T } | { ok: false; error: ExtensionError };

export class MessageError extends Error {
  constructor(readonly error: ExtensionError) {
    super(error.message);
    this.name = 'MessageError';
  }
}

/** What went wrong with a request to the worker, as an error the UI can word: a refusal, or an internal failure. */
export function extensionErrorOf(error: unknown): ExtensionError {
  return error instanceof MessageError
    ? error.error
    : { kind: 'internal', message: error instanceof Error ? error.message : String(error) };
}

// ---------------------------------------------------------------------------------------------
// Validation (worker side)

/** Who may send a message: a content script on a mail page, or one of the extension's own pages. */
export type SenderKind = 'content' | 'extension';

export interface SenderInfo {
  /** The sending extension's id; must be ours. */
  id?: string;
  /** URL of the sending frame. */
  url?: string;
  /** Present when the sender is a content script (or an extension page opened in a tab). */
  tab?: { id?: number };
  frameId?: number;
}

interface Rule {
  from: readonly SenderKind[];
  /** Returns an error text, or null when the request is well formed. */
  check: (message: Record<string, unknown>, sender: CheckedSender) => string | null;
}

export interface CheckedSender {
  kind: SenderKind;
  provider: MailProvider | null;
  tabId?: number;
}

const noFields = (allowed: string[]) => (message: Record<string, unknown>) => {
  const extra = Object.keys(message).find((k) => k !== 'type' && !allowed.includes(k));
  return extra ? `unexpected field "${extra.slice(0, 40)}"` : null;
};

const RULES: { [T in MessageType]: Rule } = {
  'content/hello': {
    from: ['content'],
    check: (message, sender) =>
      noFields(['provider'])(message) ??
      (message.provider !== 'gmail' && message.provider !== 'outlook'
        ? 'provider must be "gmail" or "outlook"'
        : message.provider !== sender.provider
          ? 'provider does not match the page'
          : null),
  },
  'settings/get': { from: ['extension'], check: noFields([]) },
  'settings/change': {
    from: ['extension'],
    check: (message) => noFields(['changes'])(message) ?? (isPlainObject(message.changes) ? null : 'changes must be an object'),
  },
  'worker/status': { from: ['extension', 'content'], check: noFields([]) },
  'compose/preview': {
    from: ['content'],
    check: (message, sender) =>
      noFields(['provider', 'mailbox', 'recipients', 'on'])(message) ??
      checkProvider(message.provider, sender) ??
      (message.mailbox !== null && !(typeof message.mailbox === 'string' && isEmailAddress(message.mailbox))
        ? 'mailbox must be an email address or null'
        : !readAddressList(message.recipients)
          ? 'recipients must be a list of at most 500 email addresses'
          : typeof message.on !== 'boolean'
            ? 'on must be a boolean'
            : null),
  },
  'connection/get': { from: ['extension'], check: noFields([]) },
  'connection/connect': {
    from: ['extension'],
    check: (message) =>
      noFields(['environment', 'myDomain'])(message) ??
      (message.environment !== 'production' && message.environment !== 'sandbox' && message.environment !== 'custom'
        ? 'environment must be "production", "sandbox" or "custom"'
        : typeof message.myDomain !== 'string' || message.myDomain.length > 255
          ? 'myDomain must be a string of at most 255 characters'
          : null),
  },
  'connection/disconnect': { from: ['extension'], check: noFields([]) },
  'connection/check': { from: ['extension'], check: noFields([]) },
  'mail/sent': {
    from: ['content'],
    check: (message, sender) =>
      noFields(['provider', 'mailbox', 'send', 'rfcMessageId', 'sentAt', 'loggingOn', 'whatId'])(message) ??
      checkProvider(message.provider, sender) ??
      (!(typeof message.mailbox === 'string' && isEmailAddress(message.mailbox))
        ? 'mailbox must be an email address'
        : !readDetectedSend(message.send)
          ? 'send is malformed (ids, addresses, or a subject, body or recipient list over its limit)'
          : message.rfcMessageId !== undefined && !isRfcMessageId(message.rfcMessageId)
            ? 'rfcMessageId must look like <id@domain>'
            : !isPlausibleTime(message.sentAt)
              ? 'sentAt must be a time in ms since epoch'
              : typeof message.loggingOn !== 'boolean'
                ? 'loggingOn must be a boolean'
                : checkWhatId(message.whatId)),
  },
  'diag/count': {
    from: ['content'],
    check: (message) =>
      noFields(['counts'])(message) ?? (isPlainObject(message.counts) && areSentCounts(message.counts) ? null : 'counts are malformed'),
  },
  'mail/received': {
    from: ['content'],
    check: (message, sender) =>
      noFields(['provider', 'mailbox', 'url', 'text'])(message) ??
      checkProvider(message.provider, sender) ??
      (message.mailbox !== null && !(typeof message.mailbox === 'string' && isEmailAddress(message.mailbox))
        ? 'mailbox must be an email address or null'
        : typeof message.url !== 'string' || message.url.length > MAX_URL_LENGTH
          ? 'url must be the URL of the call'
          : typeof message.text !== 'string' || message.text.length > MAX_ANSWER_LENGTH
            ? 'text must be the answer, of at most 4,000,000 characters'
            : null),
  },
  'script/load': {
    from: ['content'],
    check: (message, sender) =>
      noFields(['script'])(message) ??
      (typeof message.script !== 'string' || LAZY_SCRIPTS[message.script as LazyScript] !== sender.provider || sender.tabId === undefined
        ? 'no such script for this page'
        : null),
  },
  'reading/status': {
    from: ['content'],
    check: (message, sender) =>
      noFields(['provider', 'mailbox', 'messageIds'])(message) ??
      checkProvider(message.provider, sender) ??
      checkMailbox(message.mailbox) ??
      (!Array.isArray(message.messageIds) || message.messageIds.length > 200 || !message.messageIds.every(isProviderId)
        ? 'messageIds must be at most 200 message ids'
        : null),
  },
  'reading/logThis': {
    from: ['content'],
    check: (message, sender) =>
      noFields(['provider', 'mailbox', 'message', 'whatId'])(message) ??
      checkProvider(message.provider, sender) ??
      checkMailbox(message.mailbox) ??
      (!readIncomingMessage(message.message) ? 'message is malformed' : checkWhatId(message.whatId)),
  },
  'reading/related': {
    from: ['content'],
    check: (message, sender) =>
      noFields(['provider', 'addresses'])(message) ??
      checkProvider(message.provider, sender) ??
      (!readAddressList(Array.isArray(message.addresses) ? message.addresses.map((email) => ({ email })) : null, 50)
        ? 'addresses must be at most 50 email addresses'
        : null),
  },
  'tasks/create': {
    from: ['extension'],
    check: (message) => noFields(['task'])(message) ?? taskProblem(checkNewTask(message.task)),
  },
  'tasks/update': {
    from: ['extension'],
    check: (message) => noFields(['id', 'changes'])(message) ?? checkTaskId(message.id) ?? taskProblem(checkTaskChanges(message.changes)),
  },
  'tasks/setDone': {
    from: ['extension'],
    check: (message) =>
      noFields(['id', 'done'])(message) ?? checkTaskId(message.id) ?? (typeof message.done !== 'boolean' ? 'done must be a boolean' : null),
  },
  'tasks/delete': { from: ['extension'], check: (message) => noFields(['id'])(message) ?? checkTaskId(message.id) },
  'tasks/undoDelete': { from: ['extension'], check: (message) => noFields(['id'])(message) ?? checkTaskId(message.id) },
  'taskSync/syncNow': { from: ['extension'], check: noFields([]) },
  'taskSync/opened': { from: ['extension'], check: noFields([]) },
  'calls/searchPeople': {
    from: ['extension'],
    check: (message) =>
      noFields(['query'])(message) ??
      (typeof message.query !== 'string' || message.query.length > 200 ? 'query must be text of at most 200 characters' : null),
  },
  'activity/list': { from: ['extension'], check: noFields([]) },
  'activity/retry': { from: ['extension'], check: (message) => noFields(['key'])(message) ?? checkActivityKey(message.key) },
  'activity/assign': {
    from: ['extension'],
    check: (message) => noFields(['key', 'person'])(message) ?? checkActivityKey(message.key) ?? checkPerson(message.person),
  },
  'activity/choose': {
    from: ['extension'],
    check: (message) =>
      noFields(['key', 'choice'])(message) ??
      checkActivityKey(message.key) ??
      (message.choice === 'logHere' || message.choice === 'discard' ? null : 'choice must be logHere or discard'),
  },
  'calls/log': {
    from: ['extension'],
    check: (message) => {
      const checked = checkCall(message.call);
      return noFields(['call'])(message) ?? (checked.ok ? null : `call.${checked.field} is not valid (${checked.problem})`);
    },
  },
};

/** An Account (001) or Opportunity (006) id, or none: what an email may be related to. */
const checkWhatId = (whatId: unknown) =>
  whatId === undefined || (typeof whatId === 'string' && /^00[16][a-zA-Z0-9]{12}(?:[a-zA-Z0-9]{3})?$/.test(whatId))
    ? null
    : 'whatId must be an Account or Opportunity id';

const checkMailbox = (mailbox: unknown) =>
  typeof mailbox === 'string' && isEmailAddress(mailbox) ? null : 'mailbox must be an email address';

const checkActivityKey = (key: unknown) =>
  typeof key === 'string' && key.length > 0 && key.length <= 600 ? null : 'key must be an activity key';

const PERSON_ID = { Contact: /^003[a-zA-Z0-9]{12}(?:[a-zA-Z0-9]{3})?$/, Lead: /^00Q[a-zA-Z0-9]{12}(?:[a-zA-Z0-9]{3})?$/ } as const;

/** A Contact or Lead the rep picked: its id must be of its type, nothing else is kept. */
function checkPerson(person: unknown): string | null {
  if (!isPlainObject(person)) return 'person must be an object';
  if (Object.keys(person).some((k) => !['id', 'type', 'name', 'email'].includes(k))) return 'person has unexpected fields';
  const { id, type, name, email } = person;
  if (type !== 'Contact' && type !== 'Lead') return 'person.type must be "Contact" or "Lead"';
  if (typeof id !== 'string' || !PERSON_ID[type].test(id)) return `person.id must be a ${type} id`;
  if (typeof name !== 'string' || name.length > 255) return 'person.name must be text of at most 255 characters';
  if (email !== undefined && !(typeof email === 'string' && email.length <= 254)) return 'person.email must be an address';
  return null;
}

const checkTaskId = (id: unknown) => (typeof id === 'string' && id.length > 0 && id.length <= 64 ? null : 'id must be a task id');
const taskProblem = (checked: { ok: true } | { ok: false; field: string; problem: string }) =>
  checked.ok ? null : `task.${checked.field} is not valid (${checked.problem})`;

function checkProvider(provider: unknown, sender: CheckedSender): string | null {
  if (provider !== 'gmail' && provider !== 'outlook') return 'provider must be "gmail" or "outlook"';
  return provider !== sender.provider ? 'provider does not match the page' : null;
}

/** Between 2000-01-01 and a day from now: a clock can be off, but not by years. */
const isPlausibleTime = (value: unknown) =>
  typeof value === 'number' && Number.isFinite(value) && value >= 946_684_800_000 && value <= Date.now() + 86_400_000;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Works out who sent a message; null when it is not a part of this extension we talk to. */
export function classifySender(sender: SenderInfo, extensionId: string, extensionOrigin: string): CheckedSender | null {
  if (sender.id !== extensionId || typeof sender.url !== 'string') return null;
  if (sender.url.startsWith(extensionOrigin)) return { kind: 'extension', provider: null, tabId: sender.tab?.id };
  const provider = mailProviderOf(sender.url);
  // Content scripts run in top frames of mail pages only.
  if (provider && sender.tab && (sender.frameId ?? 0) === 0) return { kind: 'content', provider, tabId: sender.tab.id };
  return null;
}

export type Validated = { ok: true; message: Message; sender: CheckedSender } | { ok: false; error: ExtensionError };

export function validateMessage(raw: unknown, sender: SenderInfo, extensionId: string, extensionOrigin: string): Validated {
  if (!isPlainObject(raw) || typeof raw.type !== 'string') {
    return { ok: false, error: { kind: 'invalidMessage', message: 'a message must be an object with a "type"' } };
  }
  const type = raw.type;
  if (!Object.hasOwn(RULES, type)) {
    return { ok: false, error: { kind: 'unknownMessage', message: `unknown message type "${type.slice(0, 60)}"` } };
  }
  const rule = RULES[type as MessageType];
  const checked = classifySender(sender, extensionId, extensionOrigin);
  if (!checked || !rule.from.includes(checked.kind)) {
    return { ok: false, error: { kind: 'forbiddenSender', message: `"${type}" is not accepted from this sender` } };
  }
  const problem = rule.check(raw, checked);
  if (problem) return { ok: false, error: { kind: 'invalidMessage', message: `${type}: ${problem}` } };
  return { ok: true, message: raw as Message, sender: checked };
}

// ---------------------------------------------------------------------------------------------
// Routing (worker side)

export type Handlers = {
  [T in MessageType]: (request: Message<T>, sender: CheckedSender) => Promise<ResponseOf<T>> | ResponseOf<T>;
};

/**
 * Turns handlers into one `runtime.onMessage` listener body. It never throws: every
 * outcome, including a handler's crash, is an Answer.
 */
export function createMessageRouter(handlers: Handlers, extensionId: string, extensionOrigin: string) {
  return async (raw: unknown, sender: SenderInfo): Promise<Answer<unknown>> => {
    const validated = validateMessage(raw, sender, extensionId, extensionOrigin);
    if (!validated.ok) return validated;
    const { message } = validated;
    try {
      const handler = handlers[message.type] as (m: Message, s: CheckedSender) => unknown;
      return { ok: true, value: await handler(message, validated.sender) };
    } catch (error) {
      if (error instanceof MessageError) return { ok: false, error: error.error };
      console.error(`Handling "${message.type}" failed`, error);
      return { ok: false, error: { kind: 'internal', message: error instanceof Error ? error.message : String(error) } };
    }
  };
}

// ---------------------------------------------------------------------------------------------
// Sending (content scripts, popup, options)

interface RuntimeLike {
  sendMessage(message: unknown): Promise<unknown>;
}

/** Sends a request to the worker and unwraps its answer; a refusal becomes a MessageError. */
export async function sendToWorker<T extends MessageType>(runtime: RuntimeLike, type: T, request: RequestOf<T>): Promise<ResponseOf<T>> {
  const answer = (await runtime.sendMessage({ ...request, type })) as Answer<ResponseOf<T>> | undefined;
  if (!answer || typeof answer !== 'object') {
    throw new MessageError({ kind: 'internal', message: 'the service worker did not answer' });
  }
  if (!answer.ok) throw new MessageError(answer.error);
  return answer.value;
}
