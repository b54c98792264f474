/**
 * The Gmail reading-pane control, loaded when it is first needed: its code (about 4 KB) is not
 * part of the content script that every Gmail page loads (docs/content-script-size.md). When the
 * page world first reports an open thread, the worker injects entrypoints/gmail-pane.ts into this
 * tab's isolated world (lib/mail/lazy-script.ts), and the control starts then.
 */
import type { ReadingPane } from '../incoming/content';
import type { IncomingRelay } from '../incoming/relay';
import { loadScript } from '../lazy-script';
import type { watchGmailReadingPane } from './gmail-pane';

export function lazyGmailReadingPane(relay: IncomingRelay, mailbox: () => string | null, doc: Document = document): ReadingPane {
  let pane: ReadingPane | undefined;
  let loading = false;

  const load = () => {
    loading = true;
    loadScript<typeof watchGmailReadingPane>('gmail-pane').then(
      (start) => {
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
