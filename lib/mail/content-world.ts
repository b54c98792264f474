/**
 * Shared start-up of the isolated content scripts: listens to the page world from
 * document_start and keeps what it reports until the tab is introduced to the worker (which
 * answers the settings it needs), retries that introduction until the worker answers, keeps the
 * settings current as the worker pushes changes, and stops when the extension's context is gone.
 *
 * Nothing the page world reports before the session is ready is lost: reports wait here, and
 * reports made before this script ran at all are repeated by the page world (see page-world.ts).
 */
import { browser } from 'wxt/browser';
import { type ComposeSettings, sendToWorker, type WorkerPush } from '../messages';
import { BRIDGE_CHANNEL, type BridgeMessage, postBridgeMessage, readBridgeMessage } from './bridge';
import type { ScriptContext } from './script-context';
import type { MailProvider } from './types';

export type PageReport = Exclude<BridgeMessage, { kind: 'page-ready' | 'isolated-ready' }>;

export interface MailPageSession {
  /** Always the latest settings; read it when needed rather than copying it. */
  settings: ComposeSettings;
  /** Called after the worker pushed new settings (set by the provider's script). */
  onSettingsChanged?: () => void;
  /** Aborted when this script stops: the extension was updated, reloaded or removed. */
  signal: AbortSignal;
  /** Whether the extension is still there (checks, and stops this script when it is not). */
  alive(): boolean;
  /** Every report of the page world, in order, those that came before the session first. */
  onReport(listener: (report: PageReport) => void): void;
}

/** Reports kept while the worker has not answered yet; a page makes a few per send. */
const MAX_EARLY_REPORTS = 500;
/** Waits between attempts to introduce the tab; the last one repeats. */
const HELLO_RETRY_MS = [500, 1_000, 2_000, 5_000, 10_000, 30_000];

export function startContentWorld(provider: MailProvider, ctx: ScriptContext, onReady: (session: MailPageSession) => void): void {
  const nonce = `${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`.slice(0, 24);
  const early: PageReport[] = [];
  const listeners: Array<(report: PageReport) => void> = [];
  let session: MailPageSession | undefined;

  // An orphaned script (its extension updated or reloaded) only learns so when it looks.
  const alive = () => ctx.isValid;

  window.addEventListener(
    'message',
    (event) => {
      if (event.source !== window || !alive()) return;
      const message = readBridgeMessage(event.data, provider);
      if (!message || message.kind === 'page-ready' || message.kind === 'isolated-ready') return;
      if (message.replayFor !== undefined && message.replayFor !== nonce) return;
      // An older page world does not stamp its reports: they happened no later than now.
      if ((message.kind === 'sends-detected' || message.kind === 'drafts-saved') && message.at === undefined) message.at = Date.now();
      if (!session) {
        if (early.length < MAX_EARLY_REPORTS) early.push(message);
        return;
      }
      for (const listener of listeners) listener(message);
    },
    { signal: ctx.signal },
  );

  const onPush = (message: unknown) => {
    const push = message as WorkerPush;
    if (session && push?.type === 'settings/changed' && push.settings) {
      session.settings = push.settings;
      session.onSettingsChanged?.();
    }
  };
  browser.runtime.onMessage.addListener(onPush);
  ctx.onInvalidated(() => {
    try {
      browser.runtime.onMessage.removeListener(onPush);
    } catch {
      // The runtime of an orphaned script may be gone already.
    }
  });

  const introduce = (attempt: number) => {
    sendToWorker(browser.runtime, 'content/hello', { provider }).then(
      (settings) => {
        if (!alive()) return;
        session = { settings, signal: ctx.signal, alive, onReport: (listener) => void listeners.push(listener) };
        onReady(session);
        for (const report of early.splice(0)) for (const listener of listeners) listener(report);
      },
      () => {
        // A worker that is starting or was restarted answers later; an orphaned script stops here.
        if (!alive()) return;
        ctx.setTimeout(() => introduce(attempt + 1), HELLO_RETRY_MS[Math.min(attempt, HELLO_RETRY_MS.length - 1)] as number);
      },
    );
  };
  introduce(0);
  postBridgeMessage(window, { channel: BRIDGE_CHANNEL, kind: 'isolated-ready', provider, nonce });
}
