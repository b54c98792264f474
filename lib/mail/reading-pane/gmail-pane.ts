/**
 * The reading-pane control in Gmail's thread view: one per open message, found by the
 * `[data-message-id="#<id>"]` element Gmail puts in each message (InboxSDK's message view reads
 * the same attribute, HEAD a8a6fe2c), placed at the top of the message. The page is scanned when
 * the page world reported a thread load (and briefly after, while Gmail renders it), never on
 * every change of the page.
 */
import type { ReadingPane } from '../incoming/content';
import type { IncomingRelay } from '../incoming/relay';
import { paneSet } from './pane-set';

const MESSAGE = '[data-message-id^="#msg-"]';
const SCANS_MS = [0, 300, 1_000, 3_000];

export function watchGmailReadingPane(doc: Document, relay: IncomingRelay, mailbox: () => string | null): ReadingPane {
  const panes = paneSet(doc, 'gmail', relay, mailbox);

  const scan = () => {
    let added = false;
    for (const element of doc.querySelectorAll(MESSAGE)) {
      const id = element.getAttribute('data-message-id')?.slice(1);
      if (!id || (panes.shown.get(id)?.element === element && element.isConnected)) continue;
      element.prepend(panes.add(id, element).host);
      added = true;
    }
    if (added) panes.refresh();
  };

  return {
    /** The page world reported messages, or the worker answered for them: look for their views. */
    messagesLoaded() {
      for (const delay of SCANS_MS) setTimeout(scan, delay);
    },
  };
}
