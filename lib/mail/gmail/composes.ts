/**
 * Finds every Gmail compose (new message dialog, full screen, pop-out, inline reply and
 * forward) and keeps its control and its BCC chip right.
 *
 * Cost on the page: composes are discovered by a CSS animation the browser starts when it
 * renders a Send button (gmail-compose.css), so changes elsewhere in Gmail cost nothing; a
 * page-wide MutationObserver would be called for every one of them. One MutationObserver
 * watches only the open composes; its callback notes which changed, and the work runs at most
 * once per animation frame. Nothing polls.
 */
import { browser } from 'wxt/browser';
import { type ComposePreview, type ComposeSettings, sendToWorker } from '../../messages';
import { bccChipAction } from '../bcc-chip';
import { type ComposeControl, createComposeControl } from '../compose-control';
import type { MailAddress } from '../types';
import {
  chipsOf,
  draftIdOf,
  findComposeRoot,
  isInBccRow,
  openBccRow,
  pasteRecipient,
  recipientsOf,
  removeChip,
  sendButtonOf,
} from './compose-dom';
import { closestOf, GMAIL } from './selectors';

export interface ComposeWatcherOptions {
  settings: () => ComposeSettings;
  mailbox: () => string | null;
}

export interface ComposeWatcher {
  /** The rep's on/off for a message id, if a compose with that draft id was seen. */
  choiceFor(messageId: string): boolean | undefined;
  /** Re-reads every open compose (after a settings change). */
  refresh(): void;
}

interface Compose {
  root: Element;
  control: ComposeControl;
  on: boolean;
  draftId: string | null;
  /** The address chip was present at the last look. */
  chipSeen: boolean;
  ours: boolean;
  adds: number;
  /** Last time the rep touched the Bcc row by hand (trusted events only). */
  bccEditedAt: number;
  recipientsKey: string;
  preview: ComposePreview | null;
  previewTimer?: ReturnType<typeof setTimeout>;
}

/** A missing chip counts as removed by the rep when they touched the Bcc row this recently. */
const HAND_EDIT_MS = 2_000;
/** Gmail resets a fresh compose's recipients once or twice; re-adding more often than this is a fight. */
const MAX_ADDS = 5;
/** The animation gmail-compose.css starts on every Send button the browser renders. */
export const COMPOSE_SENTINEL = 'sales-activity-sync-compose';
const PREVIEW_DELAY_MS = 300;

export function watchComposes(doc: Document, options: ComposeWatcherOptions): ComposeWatcher {
  const composes = new Map<Element, Compose>();
  const dirty = new Set<Compose>();
  const choices = new Map<string, boolean>();
  let seen: Element[] = [];
  let scheduled = false;
  let lastIntent: { on: boolean; at: number } | undefined;

  const bccAddress = () => options.settings().bccAddress.toLowerCase();

  const remember = (compose: Compose) => {
    compose.draftId = draftIdOf(compose.root) ?? compose.draftId;
    if (compose.draftId) choices.set(compose.draftId, compose.on);
  };

  const render = (compose: Compose) =>
    compose.control.render({ mode: options.settings().emailLogging, on: compose.on, preview: compose.preview });

  const askPreview = (compose: Compose, recipients: MailAddress[]) => {
    clearTimeout(compose.previewTimer);
    compose.preview = null;
    compose.previewTimer = setTimeout(() => {
      sendToWorker(browser.runtime, 'compose/preview', {
        provider: 'gmail',
        mailbox: options.mailbox(),
        recipients: recipients.slice(0, 500),
        on: compose.on,
      }).then(
        (preview) => {
          compose.preview = preview;
          render(compose);
        },
        () => {},
      );
    }, PREVIEW_DELAY_MS);
  };

  const setOn = (compose: Compose, on: boolean) => {
    compose.on = on;
    if (on) compose.adds = 0;
    remember(compose);
    compose.recipientsKey = '';
    update(compose);
  };

  /** Brings one compose up to date; writes to the page only when something is out of place. */
  const update = (compose: Compose) => {
    const { root, control } = compose;
    const send = sendButtonOf(root);
    // Next to Send, outside the split button that pairs Send with "Schedule send".
    const anchor = send?.parentElement && send.parentElement.querySelectorAll('[role="button"]').length > 1 ? send.parentElement : send;
    if (anchor?.parentElement && control.host.previousElementSibling !== anchor) anchor.after(control.host);
    remember(compose);
    syncBccChip(compose);
    const recipients = recipientsOf(root);
    const key = `${compose.on}|${recipients.map((r) => r.email).join(',')}`;
    if (key !== compose.recipientsKey) {
      compose.recipientsKey = key;
      askPreview(compose, recipients);
    }
    render(compose);
  };

  const syncBccChip = (compose: Compose) => {
    const settings = options.settings();
    const address = bccAddress();
    if (!address) return;
    const chips = (['to', 'cc', 'bcc'] as const).flatMap((kind) => chipsOf(compose.root, kind)).filter((c) => c.email === address);
    if (chips.length === 0 && compose.chipSeen) {
      compose.chipSeen = false;
      // The rep took it out by hand: this email is not to be logged. Otherwise Gmail reset the recipients.
      if (Date.now() - compose.bccEditedAt < HAND_EDIT_MS) {
        compose.on = false;
        compose.ours = false;
        remember(compose);
        return;
      }
    }
    compose.chipSeen = chips.length > 0;
    const recipients = recipientsOf(compose.root).filter((r) => r.email !== address);
    const action = bccChipAction({
      settings,
      on: compose.on,
      mailbox: options.mailbox(),
      recipients,
      chips: chips.length,
      ours: compose.ours,
    });
    if (action === 'remove') {
      for (const { chip } of chips) removeChip(chip);
      compose.ours = false;
      compose.chipSeen = false;
    } else if (action === 'add' && compose.adds < MAX_ADDS) {
      compose.adds++;
      if (!openBccRow(compose.root) || !pasteRecipient(compose.root, 'bcc', settings.bccAddress)) return;
      compose.ours = true;
      compose.chipSeen = chipsOf(compose.root, 'bcc').some((c) => c.email === address);
      // Gmail may make the chip a moment later; look once more then, whether or not the page changes.
      if (!compose.chipSeen) setTimeout(() => markDirty(compose), 500);
    }
  };

  const track = (root: Element) => {
    if (composes.has(root)) return;
    const settings = options.settings();
    const compose: Compose = {
      root,
      control: createComposeControl(doc, (on) => setOn(compose, on)),
      on: settings.composeDefaultOn,
      draftId: null,
      chipSeen: false,
      ours: false,
      adds: 0,
      bccEditedAt: 0,
      recipientsKey: '',
      preview: null,
    };
    // A compose reopened (undo, a draft) keeps the rep's earlier choice.
    const id = draftIdOf(root);
    if (id && choices.has(id)) compose.on = choices.get(id) as boolean;
    composes.set(root, compose);
    observer.observe(root, { childList: true, subtree: true });
    update(compose);
  };

  const flush = () => {
    scheduled = false;
    const found = seen;
    seen = [];
    for (const element of found) {
      const root = element.isConnected ? findComposeRoot(element) : null;
      if (!root) continue;
      const known = composes.get(root);
      // A known compose re-rendered its footer: bring it up to date with the rest.
      if (known) dirty.add(known);
      else track(root);
    }
    let closed = false;
    for (const compose of composes.values()) {
      if (!compose.root.isConnected) {
        clearTimeout(compose.previewTimer);
        composes.delete(compose.root);
        closed = true;
      } else if (dirty.has(compose)) update(compose);
    }
    dirty.clear();
    // A MutationObserver cannot stop watching one node: start over with the composes still open.
    if (closed) {
      observer.disconnect();
      for (const root of composes.keys()) observer.observe(root, { childList: true, subtree: true });
    }
  };

  function schedule() {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(flush);
  }

  function markDirty(compose: Compose) {
    dirty.add(compose);
    schedule();
  }

  const observer = new MutationObserver((records) => {
    for (const record of records) {
      for (const compose of composes.values()) if (compose.root.contains(record.target)) dirty.add(compose);
    }
    schedule();
  });

  doc.addEventListener(
    'animationstart',
    (event) => {
      if (event.animationName !== COMPOSE_SENTINEL || !(event.target instanceof Element)) return;
      seen.push(event.target);
      schedule();
    },
    true,
  );

  const composeOf = (target: EventTarget | null): Compose | undefined => {
    if (!(target instanceof Element)) return undefined;
    for (const compose of composes.values()) if (compose.root.contains(target)) return compose;
    return undefined;
  };

  // A send's choice is noted at the moment of sending, in case Gmail had not shown the draft id yet.
  const noteIntent = (compose: Compose) => {
    remember(compose);
    lastIntent = { on: compose.on, at: Date.now() };
  };
  doc.addEventListener(
    'mousedown',
    (event) => {
      const compose = composeOf(event.target);
      if (compose && event.target instanceof Element && closestOf(event.target, GMAIL.sendButton)) noteIntent(compose);
      if (compose && event.isTrusted && event.target instanceof Element && isInBccRow(event.target)) compose.bccEditedAt = Date.now();
    },
    true,
  );
  doc.addEventListener(
    'keydown',
    (event) => {
      const compose = composeOf(event.target);
      if (!compose) return;
      const onSend = event.target instanceof Element && !!closestOf(event.target, GMAIL.sendButton);
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey || onSend)) noteIntent(compose);
      if (event.isTrusted && event.target instanceof Element && isInBccRow(event.target)) compose.bccEditedAt = Date.now();
    },
    true,
  );
  // A chip's remove button is often inside the row but reached by a click without a mousedown (keyboard).
  doc.addEventListener(
    'click',
    (event) => {
      const compose = composeOf(event.target);
      if (compose && event.isTrusted && event.target instanceof Element && isInBccRow(event.target)) compose.bccEditedAt = Date.now();
    },
    true,
  );

  // Composes already on the page when the extension starts (their animation may have run before we listened).
  for (const marker of doc.querySelectorAll(GMAIL.composeMarker)) {
    const root = findComposeRoot(marker);
    if (root) track(root);
  }

  return {
    choiceFor(messageId) {
      if (choices.has(messageId)) return choices.get(messageId);
      return lastIntent && Date.now() - lastIntent.at < 10_000 ? lastIntent.on : undefined;
    },
    refresh() {
      for (const compose of composes.values()) {
        compose.recipientsKey = '';
        update(compose);
      }
    },
  };
}
