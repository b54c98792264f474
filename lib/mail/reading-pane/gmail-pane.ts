/**
 * The reading-pane control in Gmail's thread view: one per open message, found by the
 * `[data-message-id="#<id>"]` element Gmail puts in each message (InboxSDK's message view reads
 * the same attribute, HEAD a8a6fe2c), placed at the top of the message. The page is scanned when
 * the page world reported a thread load (and briefly after, while Gmail renders it), never on
 * every change of the page. Only messages whose data this tab read can be logged by hand.
 */
import { browser } from 'wxt/browser';
import { sendToWorker } from '../../messages';
import type { IncomingRelay } from '../incoming/relay';
import { t } from '../ui-text';
import { createPaneControl, type PaneControl, type PaneState } from './control';

const MESSAGE = '[data-message-id^="#msg-"]';
const SCANS_MS = [0, 300, 1_000, 3_000];
const POLL_MS = 2_000;
const POLL_ROUNDS = 30;

interface Shown {
  control: PaneControl;
  state: PaneState;
  element: Element;
}

export function watchGmailReadingPane(doc: Document, relay: IncomingRelay, mailbox: () => string | null) {
  const shown = new Map<string, Shown>();
  let polls = 0;
  let pollTimer: ReturnType<typeof setTimeout> | undefined;

  const refresh = async () => {
    const box = mailbox();
    const ids = [...shown.keys()].filter((id) => shown.get(id)?.element.isConnected);
    if (!box || ids.length === 0) return;
    const answer = await sendToWorker(browser.runtime, 'reading/status', { provider: 'gmail', mailbox: box, messageIds: ids }).catch(
      () => null,
    );
    if (!answer) return;
    let waiting = false;
    for (const status of answer.statuses) {
      const entry = shown.get(status.messageId);
      if (!entry) continue;
      entry.state = { ...entry.state, status, instanceUrl: answer.instanceUrl };
      if (['queued', 'matching', 'logging'].includes(status.state)) waiting = true;
      if (status.state === 'notLogged' && entry.state.related === undefined) void loadRelated(status.messageId);
      entry.control.render(entry.state);
    }
    clearTimeout(pollTimer);
    if (waiting && polls++ < POLL_ROUNDS) pollTimer = setTimeout(() => void refresh(), POLL_MS);
  };

  const loadRelated = async (messageId: string) => {
    const entry = shown.get(messageId);
    const message = relay.messageOf(messageId);
    if (!entry || !message) return;
    entry.state.related = null;
    const addresses = [message.from, ...message.to, ...message.cc].map((a) => a.email).slice(0, 50);
    const related = await sendToWorker(browser.runtime, 'reading/related', { provider: 'gmail', addresses }).catch(() => null);
    entry.state = { ...entry.state, related: related ?? { options: [], preselected: '' } };
    entry.control.render(entry.state);
  };

  const logThis = async (messageId: string, whatId: string | undefined) => {
    const entry = shown.get(messageId);
    const message = relay.messageOf(messageId);
    const box = mailbox();
    if (!entry) return;
    if (!message || !box) {
      entry.state = { ...entry.state, error: t('reading.notLoaded') };
      entry.control.render(entry.state);
      return;
    }
    entry.state = { ...entry.state, busy: true };
    entry.control.render(entry.state);
    try {
      const status = await sendToWorker(browser.runtime, 'reading/logThis', {
        provider: 'gmail',
        mailbox: box,
        message,
        ...(whatId ? { whatId } : {}),
      });
      entry.state = { ...entry.state, status, busy: false };
    } catch {
      entry.state = { ...entry.state, busy: false, error: t('reading.failed') };
    }
    entry.control.render(entry.state);
    polls = 0;
    void refresh();
  };

  const scan = () => {
    let added = false;
    for (const element of doc.querySelectorAll(MESSAGE)) {
      const id = element.getAttribute('data-message-id')?.slice(1);
      if (!id || (shown.get(id)?.element === element && element.isConnected)) continue;
      const control = createPaneControl(doc, (whatId) => void logThis(id, whatId));
      const state: PaneState = { status: null, instanceUrl: null };
      control.render(state);
      element.prepend(control.host);
      shown.set(id, { control, state, element });
      added = true;
    }
    if (added) {
      polls = 0;
      void refresh();
    }
  };

  return {
    /** The page world reported messages, or the worker answered for them: look for their views. */
    messagesLoaded() {
      for (const delay of SCANS_MS) setTimeout(scan, delay);
    },
    refresh: () => void refresh(),
  };
}
