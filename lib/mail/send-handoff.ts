/**
 * Decides when a send the page world reported is really sent, in the isolated content
 * script: a send is handed to the worker once, and only after (a) the server accepted it and
 * (b) the rep's undo window passed without an undo. A failed request or an undone send is
 * forgotten, so that sending the same draft again later starts afresh.
 */
import type { SendOutcome } from './network-hook';
import type { DetectedSend } from './types';

/** Gmail starts its undo toast a moment after the request; this margin keeps a late Undo click effective. */
export const UNDO_GRACE_MS = 1_000;

/**
 * A draft save of a message this soon after its send is an autosave racing the send, not an
 * undo: Undo needs the send's answer and a click on the toast that follows it.
 */
export const MIN_UNDO_DELAY_MS = 500;

/** A send whose server answer never came is forgotten after this long (the tab has moved on). */
export const MAX_PENDING_MS = 10 * 60_000;

/** How many handed-off message ids a tab remembers, to hand each one off only once. */
const REMEMBERED_IDS = 2_000;

export interface ReleasedSend {
  send: DetectedSend;
  /** When the webmail asked its server to send (ms since epoch). */
  requestedAt: number;
  rfcMessageId?: string;
}

export interface SendHandoffOptions {
  /** The rep's undo window in seconds, read at each send (settings can change while the tab is open). */
  undoSeconds: () => number;
  handOff: (released: ReleasedSend) => void;
  now?: () => number;
}

interface Pending {
  send: DetectedSend;
  requestedAt: number;
  windowPassed: boolean;
  confirmed: boolean;
  rfcMessageId?: string;
  timer: ReturnType<typeof setTimeout>;
}

export interface SendHandoff {
  /** `at`: when the page world saw the request (a report can reach the isolated script late). */
  detected(sends: readonly DetectedSend[], at?: number): void;
  outcome(outcome: SendOutcome): void;
  /** The rep clicked Undo: undoes the given send, or the most recent one still in its window. */
  undo(messageId?: string): boolean;
  /** The webmail saved these messages as drafts again, which only happens to an undone send. */
  draftsSaved(messageIds: readonly string[], at?: number): void;
  /** Message ids waiting for their window or their server answer. */
  pendingIds(): string[];
}

export function createSendHandoff(options: SendHandoffOptions): SendHandoff {
  const now = options.now ?? Date.now;
  const pending = new Map<string, Pending>();
  const handedOff = new Set<string>();

  const forget = (id: string) => {
    const entry = pending.get(id);
    if (!entry) return;
    clearTimeout(entry.timer);
    pending.delete(id);
  };

  const release = (id: string, entry: Pending) => {
    forget(id);
    handedOff.add(id);
    if (handedOff.size > REMEMBERED_IDS) handedOff.delete(handedOff.values().next().value as string);
    const released: ReleasedSend = { send: entry.send, requestedAt: entry.requestedAt };
    if (entry.rfcMessageId) released.rfcMessageId = entry.rfcMessageId;
    options.handOff(released);
  };

  const windowPassed = (id: string) => {
    const entry = pending.get(id);
    if (!entry) return;
    entry.windowPassed = true;
    if (entry.confirmed) release(id, entry);
    else entry.timer = setTimeout(() => forget(id), MAX_PENDING_MS);
  };

  const undo = (id: string): boolean => {
    const entry = pending.get(id);
    if (!entry || entry.windowPassed) return false;
    forget(id);
    return true;
  };

  return {
    detected(sends, at = now()) {
      for (const send of sends) {
        const id = send.messageId;
        // Gmail may repeat a request; the first sighting starts the window.
        if (pending.has(id) || handedOff.has(id)) continue;
        const seconds = Math.min(Math.max(options.undoSeconds(), 0), 30);
        const windowMs = seconds * 1000 + (seconds > 0 ? UNDO_GRACE_MS : 0);
        const timer = setTimeout(() => windowPassed(id), Math.max(0, at + windowMs - now()));
        pending.set(id, { send, requestedAt: at, windowPassed: false, confirmed: false, timer });
      }
    },
    outcome({ messageId, ok, rfcMessageId }) {
      const entry = pending.get(messageId);
      if (!entry) return;
      if (!ok) return forget(messageId);
      entry.confirmed = true;
      if (rfcMessageId) entry.rfcMessageId = rfcMessageId;
      if (entry.windowPassed) release(messageId, entry);
    },
    undo(messageId) {
      if (messageId !== undefined) return undo(messageId);
      let latest: [string, Pending] | undefined;
      for (const item of pending) if (!item[1].windowPassed && (!latest || item[1].requestedAt >= latest[1].requestedAt)) latest = item;
      return latest ? undo(latest[0]) : false;
    },
    draftsSaved(messageIds, at = now()) {
      for (const id of messageIds) {
        const entry = pending.get(id);
        if (entry && at - entry.requestedAt >= MIN_UNDO_DELAY_MS) undo(id);
      }
    },
    pendingIds: () => [...pending.keys()],
  };
}
