/**
 * The Gmail reading-pane control, loaded when it is first needed: its code (about 4 KB) is not
 * part of the content script that every Gmail page loads (docs/content-script-size.md). When the
 * page world first reports an open thread, the worker injects entrypoints/gmail-pane.ts into this
 * tab's isolated world (the `scripting` permission and Gmail host permission the extension has
 * already); that script leaves its start function under PANE_SLOT, and the control starts then.
 */
import { browser } from 'wxt/browser';
import { sendToWorker } from '../../messages';
import type { ReadingPane } from '../incoming/content';
import type { IncomingRelay } from '../incoming/relay';
import type { watchGmailReadingPane } from './gmail-pane';

/** Where the injected script leaves watchGmailReadingPane: the isolated world is shared by the extension's scripts in a frame. */
export const PANE_SLOT = Symbol.for('sales-activity-sync.gmail-reading-pane');

type StartPane = typeof watchGmailReadingPane;

export function lazyGmailReadingPane(relay: IncomingRelay, mailbox: () => string | null, doc: Document = document): ReadingPane {
  let pane: ReadingPane | undefined;
  let loading = false;
  const slot = globalThis as unknown as Record<symbol, StartPane | undefined>;

  const load = () => {
    loading = true;
    // Always injected afresh by this script: a start function left by an older version's copy is not used.
    slot[PANE_SLOT] = undefined;
    sendToWorker(browser.runtime, 'reading/load', { provider: 'gmail' }).then(
      () => {
        const start = slot[PANE_SLOT];
        if (!start) {
          // Injected but not started (never seen): say so, and try again at the next thread load.
          loading = false;
          console.warn('Sales Activity Sync: the reading-pane control did not start');
          return;
        }
        pane = start(doc, relay, mailbox);
        pane.messagesLoaded();
      },
      () => {
        // The worker was restarting: the next thread load asks again.
        loading = false;
      },
    );
  };

  return {
    messagesLoaded() {
      if (pane) pane.messagesLoaded();
      else if (!loading) load();
    },
    refresh: () => pane?.refresh(),
  };
}
