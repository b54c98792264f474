/**
 * What the reading-pane controls of one tab share, whatever the webmail: the controls shown, by
 * message id; asking the worker where those messages are logged (again every two seconds while
 * one is being logged); the related-to choices of one that is not; and "Log this email". Where a
 * control goes is the provider's part (gmail-pane.ts, outlook-pane.ts). Only messages whose data
 * this tab read can be logged by hand.
 */
import { browser } from 'wxt/browser';
import { sendToWorker } from '../../messages';
import type { IncomingRelay } from '../incoming/relay';
import type { MailProvider } from '../types';
import { t } from '../ui-text';
import { createPaneControl, type PaneControl, type PaneState } from './control';

const POLL_MS = 2_000;
const POLL_ROUNDS = 30;

export interface Shown {
  control: PaneControl;
  state: PaneState;
  /** Where the control was put (the provider's message element or list). */
  element: Element;
}

export interface PaneSet {
  readonly shown: ReadonlyMap<string, Shown>;
  /** A new control for the message, in place of an earlier one; the caller puts its host in the page. */
  add(messageId: string, element: Element, label?: string): PaneControl;
  /** Asks the worker for the state of every shown message still in the page. */
  refresh(): void;
}

export function paneSet(doc: Document, provider: MailProvider, relay: IncomingRelay, mailbox: () => string | null): PaneSet {
  const shown = new Map<string, Shown>();
  let polls = 0;
  let pollTimer: ReturnType<typeof setTimeout> | undefined;

  const render = (entry: Shown, change: Partial<PaneState>) => {
    entry.state = { ...entry.state, ...change };
    entry.control.render(entry.state);
  };

  const refresh = async () => {
    const box = mailbox();
    const ids = [...shown.keys()].filter((id) => shown.get(id)?.element.isConnected);
    // Outlook shows the rep's address only once its account menu was opened: say so, rather than "not logged".
    if (!box) for (const id of ids) render(shown.get(id) as Shown, { error: t('reading.noMailbox') });
    if (!box || ids.length === 0) return;
    const answer = await sendToWorker(browser.runtime, 'reading/status', { provider, mailbox: box, messageIds: ids }).catch(() => null);
    if (!answer) return;
    let waiting = false;
    for (const status of answer.statuses) {
      const entry = shown.get(status.messageId);
      if (!entry) continue;
      if (['queued', 'matching', 'logging'].includes(status.state)) waiting = true;
      if (status.state === 'notLogged' && entry.state.related === undefined) void loadRelated(status.messageId);
      render(entry, { status, instanceUrl: answer.instanceUrl, error: undefined });
    }
    clearTimeout(pollTimer);
    if (waiting && polls++ < POLL_ROUNDS) pollTimer = setTimeout(() => void refresh(), POLL_MS);
  };

  const loadRelated = async (messageId: string) => {
    const entry = shown.get(messageId);
    const message = relay.messages.get(messageId);
    if (!entry || !message) return;
    entry.state.related = null;
    const addresses = [message.from, ...message.to, ...message.cc].map((a) => a.email).slice(0, 50);
    const related = await sendToWorker(browser.runtime, 'reading/related', { provider, addresses }).catch(() => null);
    render(entry, { related: related ?? { options: [], preselected: '' } });
  };

  const logThis = async (messageId: string, whatId: string | undefined) => {
    const entry = shown.get(messageId);
    const message = relay.messages.get(messageId);
    const box = mailbox();
    if (!entry) return;
    if (!message || !box) return render(entry, { error: t(box ? 'reading.notLoaded' : 'reading.noMailbox') });
    render(entry, { busy: true });
    try {
      const status = await sendToWorker(browser.runtime, 'reading/logThis', {
        provider,
        mailbox: box,
        message,
        ...(whatId ? { whatId } : {}),
      });
      render(entry, { status, busy: false });
    } catch {
      render(entry, { busy: false, error: t('reading.failed') });
    }
    polls = 0;
    void refresh();
  };

  return {
    shown,
    add(messageId, element, label) {
      const control = createPaneControl(doc, (whatId) => void logThis(messageId, whatId));
      const entry: Shown = { control, state: { status: null, instanceUrl: null, ...(label ? { label } : {}) }, element };
      control.render(entry.state);
      shown.set(messageId, entry);
      return control;
    },
    refresh() {
      polls = 0;
      void refresh();
    },
  };
}
