/**
 * Finds every Outlook on the web compose (new mail docked or full page, inline reply or forward
 * in the reading pane, pop-out window) and keeps its control and its BCC recipient right.
 *
 * Cost on the page: composes are discovered by a CSS animation the browser starts when it
 * renders a recipient field (outlook-compose.css), so changes elsewhere in OWA cost nothing.
 * One MutationObserver watches only the open composes; its callback notes which changed, and
 * the work runs at most once per animation frame. Nothing polls.
 *
 * OWA re-creates nodes, its compose included: no node is kept between passes except the compose
 * root as a key, and a compose that is re-created hands its state to its successor.
 */
import { browser } from 'wxt/browser';
import { type ComposePreview, type ComposeSettings, sendToWorker } from '../../messages';
import { bccChipAction } from '../bcc-chip';
import { type ComposeControl, createComposeControl } from '../compose-control';
import type { MailAddress } from '../types';
import {
  chipsOf,
  findComposeRoot,
  isOnSendButton,
  openBccField,
  type RecipientKind,
  recipientFields,
  recipientsOf,
  removeChip,
  sendButtonOf,
  subjectOf,
  typeRecipient,
} from './compose-dom';
import { OUTLOOK, OUTLOOK_COMPOSE_SENTINEL } from './selectors';

export interface ComposeWatcherOptions {
  settings: () => ComposeSettings;
  /** The tab's mailbox for the preview's mailbox rule; null when the page does not show it. */
  mailbox: () => string | null;
}

export interface ComposeWatcher {
  /** The rep's on/off for a send just seen on the network, from the compose it was sent from. */
  choiceFor(subject: string): boolean | undefined;
  /** Re-reads every open compose (after a settings change). */
  refresh(): void;
}

interface ComposeState {
  on: boolean;
  /** The address's chip was present at the last look. */
  chipSeen: boolean;
  /** We put the chip there (ours to take away when the email becomes excluded). */
  ours: boolean;
  /** The text of the chip we added, in case OWA shows it by a contact's name instead of the address. */
  ourChipText: string | null;
  adds: number;
  /** Last time the rep touched the Bcc field by hand (trusted events only). */
  bccEditedAt: number;
}

interface Compose extends ComposeState {
  root: Element;
  control: ComposeControl;
  recipientsKey: string;
  preview: ComposePreview | null;
  previewTimer?: ReturnType<typeof setTimeout>;
}

/** A compose as it was when the rep sent it, or when it went away. */
interface Moment {
  on: boolean;
  subject: string | null;
  at: number;
}

/** A missing chip counts as removed by the rep when they touched the Bcc field this recently. */
const HAND_EDIT_MS = 2_000;
/** OWA may reset a fresh compose's recipients; re-adding more often than this is a fight. */
const MAX_ADDS = 5;
/** A compose that disappears and reappears this quickly was re-created by OWA, not closed. */
const RECREATE_MS = 1_500;
/** OWA's own undo delay (at most 10 s) plus a save come between Send and the request. */
const SEND_MATCH_MS = 60_000;
const PREVIEW_DELAY_MS = 300;

const normal = (subject: string | null) => (subject ?? '').trim().toLowerCase();

export function watchComposes(doc: Document, options: ComposeWatcherOptions): ComposeWatcher {
  const composes = new Map<Element, Compose>();
  const dirty = new Set<Compose>();
  /** Sends the rep made (Send, Ctrl/Cmd+Enter) and composes that went away, newest last. */
  const intents: Moment[] = [];
  const closed: Array<Moment & { state: ComposeState }> = [];
  let seen: Element[] = [];
  let scheduled = false;

  const bccAddress = () => options.settings().bccAddress.toLowerCase();

  const render = (compose: Compose) =>
    compose.control.render({ mode: options.settings().emailLogging, on: compose.on, preview: compose.preview });

  const askPreview = (compose: Compose, recipients: MailAddress[]) => {
    clearTimeout(compose.previewTimer);
    compose.preview = null;
    compose.previewTimer = setTimeout(() => {
      sendToWorker(browser.runtime, 'compose/preview', {
        provider: 'outlook',
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
    compose.recipientsKey = '';
    update(compose);
  };

  /** Our address's chips in every recipient field (it counts once wherever the rep moved it). */
  const ourChips = (compose: Compose) => {
    const address = bccAddress();
    const fields = recipientFields(compose.root);
    return (['to', 'cc', 'bcc'] as RecipientKind[]).flatMap((kind) => {
      const field = fields[kind];
      return chipsOf(field)
        .filter(({ chip, email }) => email === address || (email === null && kind === 'bcc' && chip.textContent === compose.ourChipText))
        .map(({ chip }) => ({ chip, field: field as Element }));
    });
  };

  const syncBcc = (compose: Compose) => {
    const settings = options.settings();
    const address = bccAddress();
    if (!address) return;
    const chips = ourChips(compose);
    if (chips.length === 0 && compose.chipSeen) {
      compose.chipSeen = false;
      // The rep took it out by hand: this email is not to be logged. Otherwise OWA re-rendered the recipients.
      if (Date.now() - compose.bccEditedAt < HAND_EDIT_MS) {
        compose.on = false;
        compose.ours = false;
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
      for (const { chip, field } of chips) removeChip(chip, field);
      compose.ours = false;
      compose.chipSeen = false;
    } else if (action === 'add' && compose.adds < MAX_ADDS) {
      compose.adds++;
      // Revealing the Bcc field re-renders the compose; the field is filled on the pass that follows.
      const field = openBccField(compose.root);
      if (!field) return;
      const before = new Set(chipsOf(field).map(({ chip }) => chip));
      typeRecipient(field, settings.bccAddress);
      compose.ours = true;
      const fresh = chipsOf(recipientFields(compose.root).bcc).find(({ chip }) => !before.has(chip));
      if (fresh && fresh.email === null) compose.ourChipText = fresh.chip.textContent;
      compose.chipSeen = ourChips(compose).length > 0;
      // OWA may resolve the address a moment later; look once more then, whether or not the page changes.
      if (!compose.chipSeen) setTimeout(() => markDirty(compose), 500);
    }
  };

  /** Brings one compose up to date; writes to the page only when something is out of place. */
  const update = (compose: Compose) => {
    const { root, control } = compose;
    const send = sendButtonOf(root);
    // Next to Send, outside the split button that pairs Send with its drop-down (schedule send).
    const group = send?.parentElement;
    const anchor = group && group !== root && group.querySelectorAll(OUTLOOK.button).length > 1 ? group : send;
    if (anchor?.parentElement && control.host.previousElementSibling !== anchor) anchor.after(control.host);
    syncBcc(compose);
    const recipients = recipientsOf(root);
    const key = `${compose.on}|${recipients.map((r) => r.email).join(',')}`;
    if (key !== compose.recipientsKey) {
      compose.recipientsKey = key;
      askPreview(compose, recipients);
    }
    render(compose);
  };

  const track = (root: Element) => {
    if (composes.has(root)) return;
    const now = Date.now();
    // A compose OWA just re-created (docked to full page, a re-render) keeps the rep's choices.
    const subject = normal(subjectOf(root));
    const index = closed.findLastIndex((c) => now - c.at < RECREATE_MS && normal(c.subject) === subject);
    const inherited = index >= 0 ? closed.splice(index, 1)[0]?.state : undefined;
    const compose: Compose = {
      ...(inherited ?? {
        on: options.settings().composeDefaultOn,
        chipSeen: false,
        ours: false,
        ourChipText: null,
        adds: 0,
        bccEditedAt: 0,
      }),
      root,
      control: createComposeControl(doc, (on) => setOn(compose, on)),
      recipientsKey: '',
      preview: null,
    };
    composes.set(root, compose);
    observer.observe(root, { childList: true, subtree: true });
    update(compose);
  };

  const forget = (compose: Compose) => {
    clearTimeout(compose.previewTimer);
    composes.delete(compose.root);
    const { on, chipSeen, ours, ourChipText, adds, bccEditedAt } = compose;
    closed.push({ on, subject: subjectOf(compose.root), at: Date.now(), state: { on, chipSeen, ours, ourChipText, adds, bccEditedAt } });
    if (closed.length > 20) closed.shift();
  };

  /** Moves composes that left the page to the closed list; true when there were any. */
  const sweep = () => {
    let gone = false;
    for (const compose of composes.values()) {
      if (compose.root.isConnected) continue;
      forget(compose);
      gone = true;
    }
    // A MutationObserver cannot stop watching one node: start over with the composes still open.
    if (gone) {
      observer.disconnect();
      for (const root of composes.keys()) observer.observe(root, { childList: true, subtree: true });
    }
  };

  const flush = () => {
    scheduled = false;
    const found = seen;
    seen = [];
    // Closed first, so that a compose OWA re-created in the same frame finds its predecessor.
    sweep();
    for (const element of found) {
      if (!element.isConnected) continue;
      const known = [...composes.values()].find((c) => c.root.contains(element));
      if (known) dirty.add(known);
      else {
        const root = findComposeRoot(element);
        if (root) track(root);
      }
    }
    for (const compose of dirty) if (composes.has(compose.root)) update(compose);
    dirty.clear();
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
      if (event.animationName !== OUTLOOK_COMPOSE_SENTINEL || !(event.target instanceof Element)) return;
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

  const noteIntent = (compose: Compose) => {
    intents.push({ on: compose.on, subject: subjectOf(compose.root), at: Date.now() });
    if (intents.length > 20) intents.shift();
  };

  /** Whether the rep is editing the Bcc field by hand (a click on a chip's dismiss button included). */
  const noteHandEdit = (compose: Compose, event: Event) => {
    const field = recipientFields(compose.root).bcc;
    if (event.isTrusted && field && event.target instanceof Node && field.contains(event.target)) compose.bccEditedAt = Date.now();
  };

  // Capture phase: seen before OWA's own handlers act on the click or key.
  doc.addEventListener(
    'click',
    (event) => {
      const compose = composeOf(event.target);
      if (!compose || !(event.target instanceof Element)) return;
      if (isOnSendButton(event.target)) noteIntent(compose);
      noteHandEdit(compose, event);
    },
    true,
  );
  doc.addEventListener(
    'keydown',
    (event) => {
      const compose = composeOf(event.target);
      if (!compose) return;
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) noteIntent(compose);
      noteHandEdit(compose, event);
    },
    true,
  );
  doc.addEventListener(
    'mousedown',
    (event) => {
      const compose = composeOf(event.target);
      if (compose) noteHandEdit(compose, event);
    },
    true,
  );

  // Composes already on the page when the extension starts (their animation may have run before we listened).
  seen.push(...doc.querySelectorAll(OUTLOOK.editable));
  schedule();

  return {
    choiceFor(subject) {
      sweep();
      const now = Date.now();
      const wanted = normal(subject);
      const recent = <T extends Moment>(moments: T[]) => moments.filter((m) => now - m.at < SEND_MATCH_MS);
      const pick = <T extends Moment>(moments: T[]) => {
        const candidates = recent(moments);
        // The compose with the same subject; else the most recent (inline replies have no subject field).
        const match = candidates.findLast((m) => m.subject !== null && normal(m.subject) === wanted) ?? candidates.at(-1);
        if (match) moments.splice(moments.indexOf(match), 1);
        return match?.on;
      };
      return pick(intents) ?? pick(closed);
    },
    refresh() {
      for (const compose of composes.values()) {
        compose.recipientsKey = '';
        update(compose);
      }
    },
  };
}
