/**
 * Shared start-up of the MAIN-world scripts: answers the isolated script's handshake so that
 * either script may load first at document_start, and reports what the network hook sees.
 *
 * Each report is kept for a while and repeated to every isolated script that introduces itself
 * later (its nonce), so a send made before that script listened is not lost: at page load, or
 * when an updated extension injects a new isolated script into a tab that was already open.
 * A newer page-world script takes over the window's hook and its kept reports (never two hooks).
 *
 * In BCC mode it also keeps the isolated script's latest BCC policy, so that a send request
 * missing the address can have it added before it leaves (lib/mail/network-bcc.ts).
 */
import { BRIDGE_CHANNEL, type BridgePayload, bccPolicyOf, isolatedNonceOf, postBridgeMessage } from './bridge';
import { type AnswerWatch, installAnswerHook } from './incoming/answer-hook';
import { type BccPolicy, wantsNetworkBcc, withNetworkBcc } from './network-bcc';
import { installNetworkHook, type SendDetector } from './network-hook';
import type { MailProvider } from './types';

/** Reports older than this are not repeated: the hand-off forgets a send after the same time. */
const KEPT_MS = 10 * 60_000;
const KEPT_REPORTS = 100;

interface Kept {
  payload: BridgePayload;
  at: number;
}

/** The page world of one provider on this window: whose it is now, and what it saw. */
interface PageWorldSlot {
  owner: object;
  kept: Kept[];
}

const SLOTS = Symbol.for('sales-activity-sync.page-world');

export function startPageWorld(provider: MailProvider, detector?: SendDetector, answers?: AnswerWatch): void {
  const holder = window as unknown as Record<symbol, Partial<Record<MailProvider, PageWorldSlot>> | undefined>;
  holder[SLOTS] ??= {};
  const slots = holder[SLOTS];
  const me = {};
  const slot: PageWorldSlot = { owner: me, kept: slots[provider]?.kept ?? [] };
  slots[provider] = slot;
  const answered = new Set<string>();
  /** None until the isolated script says so: without it every request leaves as the page made it. */
  let policy: BccPolicy | null = null;

  const post = (payload: BridgePayload, replayFor?: string) =>
    postBridgeMessage(window, { channel: BRIDGE_CHANNEL, provider, ...payload, ...(replayFor ? { replayFor } : {}) } as never);
  const report = (payload: BridgePayload) => {
    const at = Date.now();
    post(payload);
    slot.kept.push({ payload, at });
    while (slot.kept.length > KEPT_REPORTS || (slot.kept[0] && at - slot.kept[0].at > KEPT_MS)) slot.kept.shift();
  };

  window.addEventListener('message', (event) => {
    // A script that was taken over stays silent: the newer one answers.
    if (event.source !== window || slots[provider]?.owner !== me) return;
    const told = bccPolicyOf(event.data, provider);
    if (told !== undefined) policy = told;
    const nonce = isolatedNonceOf(event.data, provider);
    if (!nonce || answered.has(nonce)) return;
    answered.add(nonce);
    post({ kind: 'page-ready' });
    const now = Date.now();
    for (const { payload, at } of slot.kept) if (now - at <= KEPT_MS) post(payload, nonce);
  });
  if (detector) {
    installNetworkHook(window, detector, {
      sends: (sends) => report({ kind: 'sends-detected', sends, at: Date.now() }),
      outcomes: (outcomes) => {
        for (const o of outcomes) report({ kind: 'send-outcome', ...o });
      },
      drafts: (messageIds) => report({ kind: 'drafts-saved', messageIds, at: Date.now() }),
      change: (url, body) => {
        const now = policy;
        return now && detector.bcc ? withNetworkBcc(url, body, detector.bcc, now.address, (send) => wantsNetworkBcc(now, send)) : null;
      },
    });
  }
  // Answers can be large: posted once, not kept for repeating (the next thread load is seen again).
  if (answers) installAnswerHook(window, answers, (url, text) => post({ kind: 'answer-loaded', url, text }));
  post({ kind: 'page-ready' });
}
