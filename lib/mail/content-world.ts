/**
 * Shared start-up of the isolated content scripts: waits for the page-world script's
 * handshake, introduces the tab to the worker (which answers the settings it needs), and
 * keeps those settings current as the worker pushes changes.
 */
import { browser } from 'wxt/browser';
import { type ComposeSettings, sendToWorker, type WorkerPush } from '../messages';
import { postBridgeMessage, readBridgeMessage } from './bridge';
import type { MailProvider } from './types';

export interface MailPageSession {
  /** Always the latest settings; read it when needed rather than copying it. */
  settings: ComposeSettings;
  /** Called after the worker pushed new settings (set by the provider's script). */
  onSettingsChanged?: () => void;
}

export function startContentWorld(provider: MailProvider, onReady: (session: MailPageSession) => void): void {
  let session: MailPageSession | undefined;
  let introduced = false;
  browser.runtime.onMessage.addListener((message: unknown) => {
    const push = message as WorkerPush;
    if (session && push?.type === 'settings/changed' && push.settings) {
      session.settings = push.settings;
      session.onSettingsChanged?.();
    }
  });
  window.addEventListener('message', (event) => {
    if (event.source !== window || introduced) return;
    if (readBridgeMessage(event.data, provider)?.kind !== 'page-ready') return;
    introduced = true;
    sendToWorker(browser.runtime, 'content/hello', { provider }).then(
      (settings) => {
        session = { settings };
        onReady(session);
      },
      (error: unknown) => console.warn('Sales Activity Sync: the extension could not start on this page', error),
    );
  });
  postBridgeMessage(window, { channel: 'sales-activity-sync', kind: 'isolated-ready', provider });
}
