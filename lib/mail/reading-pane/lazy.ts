/**
 * The reading-pane control, loaded when it is first needed: its code (5 to 6.5 KB) is not part of
 * the content script that every mail page loads (docs/content-script-size.md). When the worker
 * first answers for messages the page loaded, it injects the provider's pane script
 * (entrypoints/gmail-pane.ts, entrypoints/outlook-pane.ts) into this tab's isolated world
 * (lib/mail/lazy-script.ts), and the control starts then.
 */
import type { ReadingPane } from '../incoming/content';
import type { IncomingRelay } from '../incoming/relay';
import { loadScript } from '../lazy-script';
import type { MailProvider } from '../types';

/** What a pane script offers: gmail-pane.ts's and outlook-pane.ts's watch functions. */
export type StartPane = (doc: Document, relay: IncomingRelay, mailbox: () => string | null) => ReadingPane;

export function lazyReadingPane(provider: MailProvider, relay: IncomingRelay, mailbox: () => string | null): ReadingPane {
  let pane: ReadingPane | undefined;
  let loading = false;
  const started = (start?: StartPane) => {
    pane = start?.(document, relay, mailbox);
    // Not started (the worker was restarting, or the script left nothing): the next load of messages asks again.
    loading = false;
    pane?.messagesLoaded();
  };
  return {
    messagesLoaded() {
      if (pane) return pane.messagesLoaded();
      if (loading) return;
      loading = true;
      loadScript<StartPane>(`${provider}-pane` as const).then(started, () => started());
    },
  };
}
