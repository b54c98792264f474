/**
 * The reading-pane control, loaded when it is first needed: its code (5 to 6.5 KB) is not part of
 * the content script that every mail page loads (docs/content-script-size.md). When the page
 * world first reports messages the rep opened, the worker injects the provider's pane script
 * (entrypoints/gmail-pane.ts, entrypoints/outlook-pane.ts) into this tab's isolated world (the
 * `scripting` permission and mail host permissions the extension has already); that script
 * leaves its start function under PANE_SLOT, and the control starts then.
 */
import { browser } from 'wxt/browser';
import { sendToWorker } from '../../messages';
import type { ReadingPane } from '../incoming/content';
import type { IncomingRelay } from '../incoming/relay';

/** Where the injected script leaves its start function: the isolated world is shared by the extension's scripts in a frame. */
export const PANE_SLOT = Symbol.for('sales-activity-sync.reading-pane');

export type StartPane = (doc: Document, relay: IncomingRelay, mailbox: () => string | null) => ReadingPane;

export function lazyReadingPane(provider: 'gmail' | 'outlook', relay: IncomingRelay, mailbox: () => string | null): ReadingPane {
  let pane: ReadingPane | undefined;
  let loading = false;
  const slot = globalThis as unknown as Record<symbol, StartPane | undefined>;
  const loaded = () => {
    pane = slot[PANE_SLOT]?.(document, relay, mailbox);
    // Not started (the worker was restarting, or the script did not run): the next load of messages asks again.
    loading = false;
    pane?.messagesLoaded();
  };
  return {
    messagesLoaded() {
      if (pane) return pane.messagesLoaded();
      if (loading) return;
      loading = true;
      // Always injected afresh by this script: a start function left by an older version's copy is not used.
      slot[PANE_SLOT] = undefined;
      sendToWorker(browser.runtime, 'reading/load', { provider }).then(loaded, loaded);
    },
  };
}
