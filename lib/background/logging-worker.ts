/**
 * The worker's email and call logging, wired to the browser: one outbox runner, woken by new
 * entries (a timer while the worker is awake), by an alarm (after the worker slept or the
 * browser restarted), when the network or the Salesforce connection comes back, and at start.
 * It keeps the toolbar badge counting failures, and answers the compose preview and the
 * Activity tab's messages.
 */
import { browser } from 'wxt/browser';
import type { CachedPerson, ExtensionDatabase } from '../db';
import { database } from '../db';
import { previewCompose } from '../mail/compose-preview';
import { t } from '../mail/ui-text';
import { type ComposePreview, type Handlers, MessageError, type RequestOf } from '../messages';
import {
  type ActivityView,
  assignActivity,
  chooseForOtherOrg,
  countFailures,
  listActivity,
  retryActivity,
} from '../outbox/activity-actions';
import { ownerOf } from '../outbox/plan';
import { createOutboxRunner, type OutboxRunner, PRODUCT_TIMING, QUICK_TIMING, type RunnerTiming } from '../outbox/runner';
import type { SalesforceClient } from '../salesforce/client';
import type { ConnectionService } from '../salesforce/connection';
import { CONNECTION_STATE_KEY, type ConnectionState } from '../salesforce/connection-state';
import { connectionService } from '../salesforce/worker-connection';
import { loadSettings, type ResolvedSettings } from '../settings';
import { storage } from '../storage';

export const OUTBOX_ALARM = 'outbox:run';
/** Chrome does not fire alarms sooner than this; a timer covers shorter waits while the worker is awake. */
const ALARM_MIN_MS = 30_000;

/** Bumped whenever Activity rows change, so an open Activity tab reloads its list. */
export const activityChangedItem = storage.defineItem<number>('local:activityChanged', { fallback: 0 });

export const LOGGING_MESSAGES = ['activity/list', 'activity/retry', 'activity/assign', 'activity/choose'] as const;
type LoggingMessages = (typeof LOGGING_MESSAGES)[number];

export interface LoggingWorkerDeps {
  db: ExtensionDatabase;
  connection: () => Pick<ConnectionService, 'client' | 'view'>;
  loadSettings: () => Promise<ResolvedSettings>;
  alarms: { create(name: string, info: { when: number }): unknown; clear(name: string): unknown };
  badge: { setBadgeText(details: { text: string }): unknown; setBadgeBackgroundColor(details: { color: string }): unknown };
  now?: () => number;
  timing?: Partial<RunnerTiming>;
  truncatedMarker?: () => string;
}

export function createLoggingWorker(deps: LoggingWorkerDeps) {
  const now = deps.now ?? Date.now;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let badgeShown = -1;

  async function refreshBadge() {
    const failures = await countFailures(deps.db);
    if (failures === badgeShown) return;
    badgeShown = failures;
    await deps.badge.setBadgeText({ text: failures > 0 ? String(Math.min(failures, 999)) : '' });
    if (failures > 0) await deps.badge.setBadgeBackgroundColor({ color: '#c23934' });
  }

  const client = () => deps.connection().client;
  const runner: OutboxRunner = createOutboxRunner({
    db: deps.db,
    // The one client, looked up at each use: it is made on first use of the connection.
    client: {
      request: (...args: Parameters<SalesforceClient['request']>) => client().request(...args),
      queryMore: (...args: Parameters<SalesforceClient['queryMore']>) => client().queryMore(...args),
      currentSession: () => client().currentSession(),
    } as Pick<SalesforceClient, 'request' | 'queryMore' | 'currentSession'>,
    settings: async () => (await deps.loadSettings()).values,
    now,
    timing: deps.timing ?? PRODUCT_TIMING,
    ...(deps.truncatedMarker ? { truncatedMarker: deps.truncatedMarker } : {}),
    schedule: (when) => {
      clearTimeout(timer);
      if (when === null) {
        void deps.alarms.clear(OUTBOX_ALARM);
        return;
      }
      const delay = Math.max(0, when - now());
      if (delay < ALARM_MIN_MS) timer = setTimeout(() => void run(), delay);
      // The alarm stays as the backstop: the worker may be stopped before the timer fires.
      void deps.alarms.create(OUTBOX_ALARM, { when: Math.max(when, now() + ALARM_MIN_MS) });
    },
    onChange: () => {
      void refreshBadge().catch(() => undefined);
      void activityChangedItem.setValue(now()).catch(() => undefined);
    },
  });

  function run(): Promise<void> {
    return runner.run().catch((error) => console.error('Logging to Salesforce failed', error));
  }

  async function view(): Promise<ActivityView> {
    const [rows, failures, connection, backoff] = await Promise.all([
      listActivity(deps.db),
      countFailures(deps.db),
      deps.connection().view(),
      runner.backoff(),
    ]);
    const instanceUrl = connection.state.status === 'notConnected' ? null : (connection.state.profile?.instanceUrl ?? null);
    const waiting =
      backoff && backoff.until > now() ? { kind: backoff.kind, until: Number.isFinite(backoff.until) ? backoff.until : null } : null;
    return { rows, instanceUrl, failures, waiting };
  }

  /** The record the rep picked, with what logging needs of it (its account), read from Salesforce. */
  async function personToAssign(person: RequestOf<'activity/assign'>['person']): Promise<CachedPerson> {
    const fields = person.type === 'Contact' ? 'Id,Name,Email,AccountId' : 'Id,Name,Email';
    const found = await client().request<Record<string, unknown>>(
      { method: 'GET', url: `/sobjects/${person.type}/${person.id}?fields=${fields}` },
      'match',
    );
    if (!found.ok) throw new MessageError({ kind: 'salesforce', message: found.error.message, salesforce: found.error.kind });
    const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
    const email = text(found.value.Email)?.toLowerCase();
    return {
      id: String(found.value.Id ?? person.id),
      type: person.type,
      name: text(found.value.Name) ?? person.name,
      ...(email ? { email } : {}),
      ...(person.type === 'Contact' ? { accountId: text(found.value.AccountId) ?? null } : {}),
    };
  }

  const handlers: Pick<Handlers, LoggingMessages> = {
    'activity/list': () => view(),
    'activity/retry': async ({ key }) => {
      const problem = await retryActivity(deps.db, key, now());
      if (problem) throw new MessageError({ kind: 'invalidMessage', message: `cannot retry ${key}: ${problem}`, field: 'key' });
      await refreshBadge();
      await runner.resume();
      return view();
    },
    'activity/choose': async ({ key, choice }) => {
      const session = await client().currentSession();
      const problem = await chooseForOtherOrg(deps.db, key, choice, session ? ownerOf(session) : null, now());
      if (problem) throw new MessageError({ kind: 'invalidMessage', message: `cannot ${choice} ${key}: ${problem}`, field: 'key' });
      await runner.resume();
      return view();
    },
    'activity/assign': async ({ key, person }) => {
      const record = await personToAssign(person);
      const problem = await assignActivity(deps.db, key, [record], now());
      if (problem) throw new MessageError({ kind: 'invalidMessage', message: `cannot assign ${key}: ${problem}`, field: 'key' });
      await runner.resume();
      return view();
    },
  };

  return {
    runner,
    handlers,
    /** A sent email or a call was queued: log it soon, together with what follows quickly. */
    queued(): void {
      runner.queued();
    },
    /** The compose control's preview, with who the email would be logged to (API mode). */
    async preview({ recipients, mailbox, on }: RequestOf<'compose/preview'>, tab?: number): Promise<ComposePreview> {
      const settings = (await deps.loadSettings()).values;
      const base = previewCompose(recipients, mailbox, on, settings);
      if (!base.willLog || base.mode !== 'api') return base;
      const matches = await runner.previewMatches(recipients, mailbox, tab === undefined ? {} : { tab }).catch(() => null);
      return matches ? { ...base, matches } : base;
    },
    async onAlarm(name: string): Promise<void> {
      if (name === OUTBOX_ALARM) await run();
    },
    /** The network, or the Salesforce connection, came back: try at once. */
    resume(): Promise<void> {
      return runner.resume().catch((error) => console.error('Logging to Salesforce failed', error));
    },
    run,
    refreshBadge,
  };
}

export type LoggingWorker = ReturnType<typeof createLoggingWorker>;

let worker: LoggingWorker | undefined;

/** The worker's one logging service. */
export function loggingWorker(): LoggingWorker {
  worker ??= createLoggingWorker({
    db: database(),
    connection: connectionService,
    loadSettings,
    alarms: browser.alarms,
    badge: browser.action,
    timing: import.meta.env.MODE === 'e2e' ? QUICK_TIMING : PRODUCT_TIMING,
    truncatedMarker: () => t('logging.truncatedMarker'),
  });
  return worker;
}

/** Registers the logging listeners; called synchronously at worker start. */
export function startLoggingWorker(): void {
  const log = (error: unknown) => console.error('Logging to Salesforce failed', error);
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === OUTBOX_ALARM) void loggingWorker().onAlarm(alarm.name).catch(log);
  });
  globalThis.addEventListener?.('online', () => void loggingWorker().resume());
  // Back from "reconnect needed", "unreachable" or a new sign-in: what waited goes now.
  storage.watch<ConnectionState>(CONNECTION_STATE_KEY, (state, previous) => {
    if (state?.status === 'connected' && previous?.status !== 'connected') void loggingWorker().resume();
  });
}

/** Whatever was queued before the browser closed or the worker stopped goes now. */
export async function resumeLogging(): Promise<void> {
  await loggingWorker().refreshBadge();
  await loggingWorker().run();
}
