/**
 * The reading-pane control in Outlook on the web: OWA's markup names no message, so the open
 * conversation or message is read from the URL (lib/mail/outlook/open-item.ts), its messages are
 * the ones the page world saw OWA load (GetConversationItems, GetItem), and their controls are
 * listed, newest first and each labelled with its sender and date, at the top of the reading
 * pane (`#ReadingPaneContainerId`, else the page's `[role="main"]` region: a pop-out window).
 *
 * OWA is a single-page app that changes its URL with the History API, which the isolated world
 * cannot hook, and React re-creates the reading pane at will: a timer compares the URL (one
 * string) and checks the list is still in the pane twice a second, which costs next to nothing;
 * it stops when the extension was updated or removed, which ends this script's connection.
 */
import { browser } from 'wxt/browser';
import { CONTROL_ATTRIBUTE } from '../compose-control';
import type { ReadingPane } from '../incoming/content';
import type { IncomingMessage } from '../incoming/message';
import type { IncomingRelay } from '../incoming/relay';
import { openOwaIds, owaIdKey } from '../outlook/open-item';
import { paneSet } from './pane-set';

const CHECK_MS = 500;
/** A long conversation shows its newest messages only. */
const MAX_SHOWN = 10;

function paneOf(doc: Document): Element | null {
  return doc.getElementById('ReadingPaneContainerId') ?? doc.querySelector('[role="main"]');
}

/** The loaded messages of the open conversation or message, newest first. */
export function openMessages(messages: Iterable<IncomingMessage>, ids: readonly string[]): IncomingMessage[] {
  if (ids.length === 0) return [];
  const out: IncomingMessage[] = [];
  for (const m of messages) {
    if (ids.includes(owaIdKey(m.messageId)) || (m.threadId !== undefined && ids.includes(owaIdKey(m.threadId)))) out.push(m);
  }
  return out.sort((a, b) => b.sentAt - a.sentAt).slice(0, MAX_SHOWN);
}

const labelOf = (m: IncomingMessage) =>
  `${m.from.name || m.from.email}, ${new Date(m.sentAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}`;

export function watchOutlookReadingPane(doc: Document, relay: IncomingRelay, mailbox: () => string | null): ReadingPane {
  const panes = paneSet(doc, 'outlook', relay, mailbox);
  const list = doc.createElement('div');
  list.setAttribute(CONTROL_ATTRIBUTE, 'reading-pane-list');
  let href = '';
  let shownIds = '';
  /** The shown messages' state is to be asked for. */
  let stale = false;
  /** Whether the page showed the rep's address at the last check (the state is asked again once it does). */
  let knownMailbox = false;

  /** Builds the list for what is open now, keeping the controls of messages already shown. */
  const build = () => {
    const messages = openMessages(relay.messages.values(), openOwaIds(href));
    const ids = messages.map((m) => m.messageId).join(' ');
    if (ids !== shownIds) {
      shownIds = ids;
      list.replaceChildren(
        ...messages.map((m) => panes.shown.get(m.messageId)?.control.host ?? panes.add(m.messageId, list, labelOf(m)).host),
      );
    }
  };

  /** Follows the URL and the rep's address, and puts the list back where React removed it from. */
  const check = (loaded = false) => {
    const known = mailbox() !== null;
    if (location.href !== href || loaded || known !== knownMailbox) {
      href = location.href;
      knownMailbox = known;
      build();
      // Also when the same messages loaded again: the worker may have just logged one.
      stale = shownIds !== '';
    }
    const pane = shownIds ? paneOf(doc) : null;
    if (!pane) list.remove();
    else if (list.parentElement !== pane) pane.prepend(list);
    // Asked once the controls are in the page (the pane set asks only for those).
    if (stale && list.isConnected) {
      stale = false;
      panes.refresh();
    }
  };

  const timer = setInterval(() => {
    if (browser.runtime?.id) check();
    else clearInterval(timer);
  }, CHECK_MS);

  return {
    messagesLoaded: () => check(true),
  };
}
