/**
 * Shared start-up of the MAIN-world scripts: answers the isolated script's handshake so that
 * either script may load first at document_start, and reports what the network hook sees.
 */
import { BRIDGE_CHANNEL, type BridgePayload, isBridgeHandshake, postBridgeMessage } from './bridge';
import { installNetworkHook, type SendDetector } from './network-hook';
import type { MailProvider } from './types';

export function startPageWorld(provider: MailProvider, detector?: SendDetector): void {
  const post = (payload: BridgePayload) => postBridgeMessage(window, { channel: BRIDGE_CHANNEL, provider, ...payload } as never);
  const announce = () => post({ kind: 'page-ready' });
  window.addEventListener('message', (event) => {
    if (event.source !== window) return;
    if (isBridgeHandshake(event.data, provider, 'isolated-ready')) announce();
  });
  if (detector) {
    installNetworkHook(window, detector, {
      sends: (sends) => post({ kind: 'sends-detected', sends }),
      outcomes: (outcomes) => {
        for (const o of outcomes) post({ kind: 'send-outcome', ...o });
      },
      drafts: (messageIds) => post({ kind: 'drafts-saved', messageIds }),
    });
  }
  announce();
}
