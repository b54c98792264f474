/**
 * The isolated script's side of BCC added to the request (lib/mail/network-bcc.ts): the policy
 * built from the settings and the composes' switches, posted to the page world whenever it
 * changes, and again whenever a page world starts (its `page-ready`), so that a page world that
 * loaded after this script, or took over after an update, has it before the rep sends.
 */
import type { ComposeSettings } from '../messages';
import { BRIDGE_CHANNEL, postBridgeMessage } from './bridge';
import type { BccPolicy } from './network-bcc';
import type { MailProvider } from './types';

/** The policy; null outside BCC mode or without an address (the page world then changes nothing). */
export function bccPolicyFor(
  settings: ComposeSettings,
  mailbox: string | null,
  choices: Iterable<[string, boolean]>,
  others: boolean,
): BccPolicy | null {
  if (settings.emailLogging !== 'bcc' || !settings.bccAddress) return null;
  const on: string[] = [];
  const off: string[] = [];
  for (const [id, value] of choices) (value ? on : off).push(id);
  // Sorted: the watcher reorders its choices as it looks at composes, which changes nothing to post.
  on.sort();
  off.sort();
  const { bccAddress: address, internalDomains, neverLog, loggedMailboxes } = settings;
  return {
    address,
    mailbox,
    on,
    off,
    others,
    skipScheduled: settings.scheduledSends === 'skip',
    internalDomains,
    neverLog,
    loggedMailboxes,
  };
}

/** Returns the function that posts the policy `build` makes, when it differs from the last one posted. */
export function bccPolicyPoster(provider: MailProvider, signal: AbortSignal, build: () => BccPolicy | null): () => void {
  let last: string | undefined;
  const post = (again: boolean) => {
    if (signal.aborted) return;
    const policy = build();
    const text = JSON.stringify(policy);
    if (!again && text === last) return;
    last = text;
    postBridgeMessage(window, { channel: BRIDGE_CHANNEL, provider, kind: 'bcc-policy', policy });
  };
  window.addEventListener(
    'message',
    (event) => {
      // Only a re-post can follow, whoever sent it: a plain look, not the bridge's full reader (which this script need not carry).
      const { channel, provider: of, kind } = (event.data ?? {}) as Record<string, unknown>;
      if (event.source === window && channel === BRIDGE_CHANNEL && of === provider && kind === 'page-ready') post(true);
    },
    { signal },
  );
  return () => post(false);
}
