/**
 * Shared start-up of the MAIN-world scripts: answers the isolated script's handshake so that
 * either script may load first at document_start.
 */
import { postBridgeMessage, readBridgeMessage } from './bridge';
import type { MailProvider } from './types';

export function startPageWorld(provider: MailProvider): void {
  const announce = () => postBridgeMessage(window, { channel: 'sales-activity-sync', kind: 'page-ready', provider });
  window.addEventListener('message', (event) => {
    if (event.source !== window) return;
    if (readBridgeMessage(event.data, provider)?.kind === 'isolated-ready') announce();
  });
  announce();
}
