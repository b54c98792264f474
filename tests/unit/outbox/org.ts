/**
 * The logger's test rig: the org emulator, a rep connected to it through the real connection
 * service (the only stand-in is the browser's login window), the extension's database, and
 * sent emails queued the way the worker queues them.
 */
import { type ExtensionDatabase, type OutboxOwner, openDatabase } from '@/lib/db';
import type { SentEmailReport } from '@/lib/messages';
import { recordSentEmail } from '@/lib/outbox/queue';
import { createOutboxRunner, type RunnerDeps } from '@/lib/outbox/runner';
import { createConnectionService } from '@/lib/salesforce/connection';
import { defaultSettings, type Settings } from '@/lib/settings';
import type { Emulator } from '../../emulator';
import { EXTENSION_REDIRECT_URI } from '../../emulator/client';

const loginWindow = {
  async launchWebAuthFlow({ url }: { url: string; interactive: boolean }): Promise<string | undefined> {
    const answer = await fetch(url, { redirect: 'manual' });
    return answer.headers.get('location') ?? undefined;
  },
};

/** A rep connected to the emulator; the session is stored as the worker stores it. */
export async function connectRep(sf: Emulator, options: { callTimeoutMs?: number } = {}) {
  const service = createConnectionService({
    ...options,
    identity: loginWindow,
    redirectUri: () => EXTENSION_REDIRECT_URI,
    fetch: (input, init) => fetch(input, init),
    hosts: { allowLoopback: true },
    alarms: { create: () => undefined, clear: () => undefined },
  });
  const view = await service.connect({ environment: 'custom', myDomain: sf.url });
  if (view.state.status !== 'connected') throw new Error(`could not connect: ${JSON.stringify(view.state)}`);
  return service.client;
}

/** The connection service itself, connected (for the worker's logging service). */
export async function connectedService(sf: Emulator) {
  const service = createConnectionService({
    identity: loginWindow,
    redirectUri: () => EXTENSION_REDIRECT_URI,
    fetch: (input, init) => fetch(input, init),
    hosts: { allowLoopback: true },
    alarms: { create: () => undefined, clear: () => undefined },
  });
  await service.connect({ environment: 'custom', myDomain: sf.url });
  return service;
}

let databases = 0;
/** Dexie keeps the IndexedDB it found at load, so each test opens a database of its own. */
export const freshDatabase = () => openDatabase(`logging-test-${++databases}`);

export function loggingSettings(over: Partial<Settings> = {}): Settings {
  return { ...defaultSettings(), internalDomains: ['demo-org.example'], ...over };
}

/** A clock the test moves, so back-off and waiting need no real time. */
export function testClock(start = Date.parse('2026-11-28T01:00:00Z')) {
  let t = start;
  return { now: () => t, set: (ms: number) => (t = Math.max(t, ms)), advance: (ms: number) => (t += ms) };
}

export type Clock = ReturnType<typeof testClock>;

interface RunnerOptions extends Partial<Omit<RunnerDeps, 'settings'>> {
  db: ExtensionDatabase;
  client: RunnerDeps['client'];
  clock: Clock;
  settings?: () => Settings | Promise<Settings>;
}

export function makeRunner({ clock, settings, ...rest }: RunnerOptions) {
  return createOutboxRunner({
    now: clock.now,
    random: () => 0.5,
    timeZone: () => 'Asia/Tokyo',
    settings: async () => (settings ? settings() : loggingSettings()),
    timing: { settleMs: 1_000, rideAlongMs: 60_000, verifyDelayMs: 30_000 },
    ...rest,
  });
}

/** Runs the runner and follows its wake-ups (moving the clock) until nothing waits, or `max` runs. */
export async function drain(runner: ReturnType<typeof createOutboxRunner>, clock: Clock, max = 20): Promise<void> {
  for (let i = 0; i < max; i++) {
    await runner.run();
    const wake = runner.nextWakeAt();
    if (wake === null) return;
    clock.set(wake);
  }
}

let sends = 0;
export interface SendOptions {
  to?: Array<string | { email: string; name?: string }>;
  cc?: Array<string | { email: string; name?: string }>;
  subject?: string;
  bodyHtml?: string;
  rfcMessageId?: string | null;
  messageId?: string;
  /** The org and user connected when it was sent, as the worker records it. */
  owner?: OutboxOwner;
}

const addresses = (list: SendOptions['to']) => (list ?? []).map((a) => (typeof a === 'string' ? { email: a } : a));

/** Queues a sent email exactly as the worker's `mail/sent` handler does. */
export async function send(db: ExtensionDatabase, clock: Clock, options: SendOptions = {}): Promise<string> {
  const n = ++sends;
  const messageId = options.messageId ?? `msg-a:r${1000 + n}`;
  const report: SentEmailReport = {
    provider: 'gmail',
    mailbox: 'aiko.tanaka@demo-org.example',
    send: {
      messageId,
      scheduled: false,
      from: { email: 'aiko.tanaka@demo-org.example', name: 'Aiko Tanaka' },
      to: addresses(options.to ?? ['hiroshi.suzuki@sakura-seiki.example']),
      cc: addresses(options.cc),
      bcc: [],
      subject: options.subject ?? `Proposal ${n}`,
      bodyHtml: options.bodyHtml ?? `<p>Hello, here is proposal ${n}.</p>`,
    },
    ...(options.rfcMessageId === null ? {} : { rfcMessageId: options.rfcMessageId ?? `<m${n}.${clock.now()}@mail.gmail.com>` }),
    sentAt: clock.now(),
    loggingOn: true,
  };
  const settings = defaultSettings();
  await recordSentEmail(db, report, { ...settings, internalDomains: ['demo-org.example'] }, clock.now(), options.owner);
  return `gmail:aiko.tanaka@demo-org.example:${messageId}`;
}
