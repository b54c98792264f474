/**
 * Finds every compose of a webmail and keeps its control and its BCC address right, for any
 * provider: what differs between webmails is only DOM facts, which a ComposeAdapter holds
 * (lib/mail/gmail/compose-adapter.ts, lib/mail/outlook/compose-adapter.ts).
 *
 * Cost on the page: composes are discovered by a CSS animation the browser starts when it
 * renders an element that only composes have (the provider's compose CSS), so changes
 * elsewhere cost nothing. One MutationObserver watches only the open composes; its callback
 * notes which changed, and the work runs at most once per animation frame. Nothing polls.
 * No node is kept between passes except each compose root, as a key.
 *
 * Everything it adds to the page goes, and every listener stops, when `signal` aborts (the
 * extension was updated or reloaded: the new version's script takes over the page).
 *
 * In BCC mode it keeps the page world told which messages the rep switched off (lib/mail/bcc-policy.ts),
 * so that a send whose chip did not make it gets the address in its request, and a switched-off one never.
 */
import { browser } from 'wxt/browser';
import { type ComposePreview, type ComposeSettings, sendToWorker } from '../messages';
import { bccChipAction } from './bcc-chip';
import { bccPolicyFor, bccPolicyPoster } from './bcc-policy';
import { type ComposeControl, createComposeControl } from './compose-control';
import { countDiagnostic } from './diagnostic-counts';
import type { RelatedChoices } from './related-select';
import type { DetectedSend, MailAddress, MailProvider, SendChoice } from './types';

/** A chip of the rep's Email-to-Salesforce address found in a compose. */
export interface FoundChip {
  remove(): void;
}

/** What the watcher needs to know about one webmail's composes: DOM facts only, no state. */
export interface ComposeAdapter {
  provider: MailProvider;
  /** The animation the provider's compose CSS starts on elements that announce a compose. */
  sentinel: string;
  /** Elements already on the page when the script starts that may announce a compose. */
  announcers(doc: Document): Iterable<Element>;
  /** The compose an announcing element belongs to, or null. */
  composeRootOf(element: Element): Element | null;
  /** The element the control is placed after (next to Send), or null when none is found. */
  controlAnchor(root: Element): Element | null;
  /** The id of the message the compose will send, when the page shows it (Gmail's draft id). */
  messageIdOf(root: Element): string | null;
  /** The compose's subject, or null when it has no subject field (inline replies). */
  subjectOf(root: Element): string | null;
  /** The recipients whose address the compose shows, in To, Cc and Bcc. */
  recipientsOf(root: Element): MailAddress[];
  /** Chips of the address anywhere in the compose; `chipText`: the text of a chip we added that shows a name only. */
  chipsOf(root: Element, address: string, chipText: string | null): FoundChip[];
  /**
   * Adds the address to Bcc the way a person would (opening a collapsed Bcc row first). Answers
   * false when the Bcc field could not be shown yet; else the text of the chip when it shows no address.
   */
  addBcc(root: Element, address: string): false | { chipText: string | null };
  /** Whether an event target is (inside) the compose's Send button. */
  isSendButton(target: Element): boolean;
  /** Whether an event target is inside the compose's Bcc field. */
  isInBcc(root: Element, target: Element): boolean;
  /** True for webmails that re-create a compose's nodes (a compose replaced this fast keeps its state). */
  recreatesComposes: boolean;
}

export interface ComposeWatcherOptions {
  settings: () => ComposeSettings;
  /** The tab's mailbox for the preview's mailbox rule; null when the page does not show it. */
  mailbox: () => string | null;
  signal: AbortSignal;
  /** Whether the extension is still there; an orphaned script learns it is one only by asking (and then stops). */
  alive: () => boolean;
}

export interface ComposeWatcher {
  /** The rep's on/off and related-to pick for a send just seen on the network, from the compose it was sent from. */
  choiceFor(send: Pick<DetectedSend, 'messageId' | 'subject'>): SendChoice | undefined;
  /** Re-reads every open compose (after a settings change). */
  refresh(): void;
}

/** The rep's choices for one email; `relatedFor`: the recipients the related-to options were asked for. */
interface Choice extends SendChoice {
  relatedFor?: string | undefined;
}

interface ComposeState extends Choice {
  /** What the email may relate to: not asked (undefined), being asked (null), or the answer. */
  related?: RelatedChoices | null | undefined;
  /** The address's chip was present at the last look. */
  chipSeen: boolean;
  /** We put the chip there (ours to take away when the email becomes excluded). */
  ours: boolean;
  /** The text of the chip we added, when the webmail shows it by a contact's name instead of the address. */
  chipText: string | null;
  /** Times the address was typed into the Bcc field, or a click made to show it (a collapsed header, the Bcc button). */
  adds: number;
  /** When the last click to show the Bcc field was made, while the page has not answered it. */
  revealedAt: number;
  /** Last time the rep touched the Bcc field by hand (trusted events only). */
  bccEditedAt: number;
}

interface Compose extends ComposeState {
  root: Element;
  control: ComposeControl;
  recipientsKey: string;
  /** How many recipients it showed at the last look. */
  shown: number;
  preview: ComposePreview | null;
  previewTimer?: ReturnType<typeof setTimeout>;
  /** The control was in the page at some point (one that never was is a diagnostic count). */
  placed: boolean;
}

/** A compose as it was when the rep sent it, or when it went away. */
interface Moment extends Choice {
  subject: string | null;
  at: number;
  /** Its message id, when the page showed it. */
  id: string | null;
}

/** A missing chip counts as removed by the rep when they touched the Bcc field this recently. */
const HAND_EDIT_MS = 2_000;
/**
 * Showing a collapsed Bcc field takes a click or two, and webmails reset a fresh compose's
 * recipients once or twice; trying more often than this is a fight.
 */
const MAX_ADDS = 6;
/**
 * How long a click that shows the Bcc field may go unanswered before it is made again. Changes
 * in the compose are no answer (the rep may be typing); a webmail that re-creates its composes
 * answers by re-creating it, and the next pass goes on at once.
 */
const REVEAL_MS = 500;
/** A compose that disappears and reappears this quickly was re-created by the webmail, not closed. */
const RECREATE_MS = 1_500;
/** An undo delay (up to 30 s) and a draft save can come between Send and the request. */
const SEND_MATCH_MS = 60_000;
const PREVIEW_DELAY_MS = 300;
/** How many message ids' choices are remembered (a send is handed off within minutes). */
const REMEMBERED_CHOICES = 200;

const normal = (subject: string | null) => (subject ?? '').trim().toLowerCase();

export function watchComposes(doc: Document, adapter: ComposeAdapter, options: ComposeWatcherOptions): ComposeWatcher {
  const { signal } = options;
  const composes = new Map<Element, Compose>();
  const dirty = new Set<Compose>();
  /** The rep's choice by message id, for the webmails that show it in the compose. */
  const choices = new Map<string, Choice>();
  /** Sends the rep made (Send, Ctrl/Cmd+Enter) and composes that went away, newest last. */
  const intents: Moment[] = [];
  const closed: Array<Moment & { state: ComposeState; recreated?: boolean }> = [];
  let seen: Element[] = [];
  let frame: number | undefined;

  const bccAddress = () => options.settings().bccAddress.toLowerCase();

  const choiceOf = ({ on, whatId, relatedFor }: Compose): Choice => ({ on, whatId, relatedFor });

  const post = bccPolicyPoster(adapter.provider, signal, () => {
    const now = Date.now();
    // A switched-off compose whose message id is not known could be any send: then only sends known to be on are changed.
    const offUnknown =
      [...composes.values()].some((c) => !c.on && !adapter.messageIdOf(c.root)) ||
      [...intents, ...closed].some((m) => !m.on && m.id === null && now - m.at < SEND_MATCH_MS);
    const settings = options.settings();
    // The choices kept for sends, and every open compose that has an id (those left at the default are not kept).
    const listed = new Map([...choices].map(([id, choice]) => [id, choice.on]));
    for (const c of composes.values()) {
      const id = adapter.messageIdOf(c.root);
      if (id) listed.set(id, c.on);
    }
    return bccPolicyFor(settings, options.mailbox(), [...listed], settings.composeDefaultOn && !offUnknown);
  });
  // An orphaned script (the extension was updated) tells the page world nothing more: the new one does.
  const publish = () => options.alive() && post();

  /**
   * Keeps the compose's choices by its message id, for the send seen on the network after the
   * compose is gone and for the draft reopened later. Choices the rep did not make (logging left
   * at the default, no related-to pick) are kept only once the rep sends (`sending`): anything
   * else would hold the ids of every compose ever opened in the tab, up to the cap
   * (docs/performance.md).
   */
  const remember = (compose: Compose, sending = false) => {
    const id = adapter.messageIdOf(compose.root);
    const chosen = compose.on !== options.settings().composeDefaultOn || compose.whatId !== undefined;
    if (!id || !(sending || chosen || choices.has(id))) return;
    choices.delete(id);
    choices.set(id, choiceOf(compose));
    if (choices.size > REMEMBERED_CHOICES) choices.delete(choices.keys().next().value as string);
  };

  const render = (compose: Compose) =>
    !signal.aborted &&
    // The compose holds the rest of the state shown: on, preview, related, whatId.
    compose.control.render({ ...compose, mode: options.settings().emailLogging, recipients: compose.shown });

  const askPreview = (compose: Compose, recipients: MailAddress[]) => {
    clearTimeout(compose.previewTimer);
    compose.preview = null;
    compose.previewTimer = setTimeout(() => {
      if (!options.alive()) return;
      sendToWorker(browser.runtime, 'compose/preview', {
        provider: adapter.provider,
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

  /** The rep opened the related-to choice: asked once per set of recipients (two Salesforce queries each). */
  const openRelated = (compose: Compose) => {
    if (compose.related !== undefined || !options.alive()) return;
    const addresses = adapter.recipientsOf(compose.root).map((r) => r.email);
    const key = addresses.join(',');
    compose.related = null;
    compose.relatedFor = key;
    render(compose);
    sendToWorker(browser.runtime, 'reading/related', { provider: adapter.provider, addresses: addresses.slice(0, 50) })
      .catch(() => ({ options: [], preselected: '' }))
      .then((related) => {
        // The recipients changed meanwhile: the answer is about other people.
        if (compose.relatedFor !== key || compose.related !== null) return;
        compose.related = related;
        render(compose);
      });
  };

  const setOn = (compose: Compose, on: boolean) => {
    if (!options.alive()) return;
    compose.on = on;
    if (on) compose.adds = 0;
    compose.recipientsKey = '';
    update(compose);
  };

  const syncBcc = (compose: Compose) => {
    const settings = options.settings();
    const address = bccAddress();
    if (!address) return;
    const { root } = compose;
    const chips = adapter.chipsOf(root, address, compose.chipText);
    if (chips.length === 0 && compose.chipSeen) {
      compose.chipSeen = false;
      // The rep took it out by hand: this email is not to be logged. Otherwise the webmail re-rendered the recipients.
      if (Date.now() - compose.bccEditedAt < HAND_EDIT_MS) {
        compose.on = false;
        compose.ours = false;
        return;
      }
    }
    compose.chipSeen = chips.length > 0;
    const action = bccChipAction({
      settings,
      on: compose.on,
      mailbox: options.mailbox(),
      recipients: adapter.recipientsOf(root).filter((r) => r.email !== address),
      chips: chips.length,
      ours: compose.ours,
    });
    if (action === 'remove') {
      for (const chip of chips) chip.remove();
      compose.ours = false;
      compose.chipSeen = false;
    } else if (action === 'add' && compose.adds < MAX_ADDS && Date.now() - compose.revealedAt > REVEAL_MS) {
      // (Not while a click that shows the Bcc field is unanswered: the page re-renders after it, at
      // its own pace, and passes before that would click again and use up the tries.)
      compose.adds++;
      const added = adapter.addBcc(root, settings.bccAddress);
      // The Bcc field is being revealed: it is filled on the pass after the page re-rendered, or tried again.
      if (!added) {
        compose.revealedAt = Date.now();
        setTimeout(() => markDirty(compose), REVEAL_MS);
        return;
      }
      compose.ours = true;
      compose.chipText = added.chipText ?? compose.chipText;
      compose.chipSeen = adapter.chipsOf(root, address, compose.chipText).length > 0;
      // The webmail may make the chip a moment later; look once more then, whether or not the page changes.
      if (!compose.chipSeen) setTimeout(() => markDirty(compose), 500);
    }
  };

  /** Brings one compose up to date; writes to the page only when something is out of place. */
  const update = (compose: Compose) => {
    if (signal.aborted) return;
    const { root, control } = compose;
    const anchor = adapter.controlAnchor(root);
    if (anchor?.parentElement && control.host.previousElementSibling !== anchor) anchor.after(control.host);
    compose.placed ||= control.host.isConnected;
    syncBcc(compose);
    // After syncBcc: the rep taking the chip out by hand switches the message off.
    remember(compose);
    const recipients = adapter.recipientsOf(root);
    compose.shown = recipients.length;
    const emails = recipients.map((r) => r.email).join(',');
    // The related-to choice was made among these people's records: other people are asked about anew.
    if (emails && compose.relatedFor !== undefined && emails !== compose.relatedFor) {
      compose.related = compose.whatId = compose.relatedFor = undefined;
      remember(compose);
    }
    const key = `${compose.on}|${emails}`;
    if (key !== compose.recipientsKey) {
      compose.recipientsKey = key;
      askPreview(compose, recipients);
    }
    render(compose);
    publish();
  };

  const track = (root: Element) => {
    if (composes.has(root)) return;
    const now = Date.now();
    const id = adapter.messageIdOf(root);
    let inherited: ComposeState | undefined;
    if (adapter.recreatesComposes) {
      // A compose the webmail just re-created (docked to full page, a re-render) keeps the rep's choices.
      const subject = normal(adapter.subjectOf(root));
      const index = closed.findLastIndex((c) => now - c.at < RECREATE_MS && normal(c.subject) === subject);
      const [previous] = index >= 0 ? closed.splice(index, 1) : [];
      if (previous) previous.recreated = true;
      inherited = previous?.state;
    }
    const compose: Compose = {
      ...(inherited ?? {
        on: options.settings().composeDefaultOn,
        chipSeen: false,
        ours: false,
        chipText: null,
        adds: 0,
        revealedAt: 0,
        bccEditedAt: 0,
      }),
      root,
      control: createComposeControl(doc, {
        toggle: (on) => setOn(compose, on),
        openRelated: () => openRelated(compose),
        pickRelated: (whatId) => {
          compose.whatId = whatId;
          remember(compose);
        },
      }),
      recipientsKey: '',
      shown: 0,
      preview: null,
      placed: false,
    };
    // A compose reopened (undo, a draft) keeps the rep's earlier choices for that message.
    if (id && choices.has(id)) Object.assign(compose, choices.get(id));
    composes.set(root, compose);
    observer.observe(root, { childList: true, subtree: true });
    update(compose);
  };

  const forget = (compose: Compose) => {
    clearTimeout(compose.previewTimer);
    composes.delete(compose.root);
    compose.control.host.remove();
    const { chipSeen, ours, chipText, adds, bccEditedAt, related } = compose;
    const choice = choiceOf(compose);
    const moment: (typeof closed)[number] = {
      ...choice,
      subject: adapter.subjectOf(compose.root),
      at: Date.now(),
      id: adapter.messageIdOf(compose.root),
      // Re-created: the answer to a reveal click, if one was made.
      state: { ...choice, chipSeen, ours, chipText, adds, revealedAt: 0, bccEditedAt, related },
    };
    closed.push(moment);
    if (closed.length > 20) closed.shift();
    // Counted once the webmail had the time to re-create it: then its successor counts for both.
    if (!compose.placed) setTimeout(() => !signal.aborted && !moment.recreated && countDiagnostic('controlNotPlaced'), RECREATE_MS);
  };

  /** Moves composes that left the page to the closed list. */
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

  const composeOf = (target: EventTarget | null): Compose | undefined => {
    if (!(target instanceof Node)) return undefined;
    for (const compose of composes.values()) if (compose.root.contains(target)) return compose;
    return undefined;
  };

  const flush = () => {
    frame = undefined;
    if (!options.alive()) return;
    const found = seen;
    seen = [];
    // Closed first, so that a compose re-created in the same frame finds its predecessor.
    sweep();
    for (const element of found) {
      if (!element.isConnected) continue;
      const known = composeOf(element);
      if (known) dirty.add(known);
      else {
        const root = adapter.composeRootOf(element);
        if (root) track(root);
      }
    }
    for (const compose of dirty) if (composes.has(compose.root)) update(compose);
    dirty.clear();
    publish();
  };

  function schedule() {
    if (frame === undefined && !signal.aborted) frame = requestAnimationFrame(flush);
  }

  function markDirty(compose: Compose) {
    dirty.add(compose);
    schedule();
  }

  const observer = new MutationObserver((records) => {
    for (const record of records) {
      const compose = composeOf(record.target);
      if (compose) dirty.add(compose);
    }
    schedule();
  });

  const listen = <K extends keyof DocumentEventMap>(type: K, handler: (event: DocumentEventMap[K]) => void) =>
    // Capture phase: seen before the webmail's own handlers act on the event.
    doc.addEventListener(type, handler, { capture: true, signal });

  listen('animationstart', (event) => {
    if (event.animationName !== adapter.sentinel || !(event.target instanceof Element)) return;
    seen.push(event.target);
    schedule();
  });

  // A send's choice is noted at the moment of sending, in case the page showed no message id.
  const noteIntent = (compose: Compose) => {
    remember(compose, true);
    intents.push({ ...choiceOf(compose), subject: adapter.subjectOf(compose.root), at: Date.now(), id: adapter.messageIdOf(compose.root) });
    if (intents.length > 20) intents.shift();
    publish();
  };
  /** The rep editing the Bcc field by hand (a click on a chip's remove button included). */
  const noteHandEdit = (compose: Compose, event: Event) => {
    if (event.isTrusted && event.target instanceof Element && adapter.isInBcc(compose.root, event.target)) compose.bccEditedAt = Date.now();
  };
  // A send starts on mousedown (Gmail) or click (Outlook); a chip's remove button may get a click without a mousedown.
  const onPointer = (event: MouseEvent) => {
    const compose = composeOf(event.target);
    if (!compose || !(event.target instanceof Element)) return;
    if (adapter.isSendButton(event.target)) noteIntent(compose);
    noteHandEdit(compose, event);
  };
  listen('mousedown', onPointer);
  listen('click', onPointer);
  listen('keydown', (event) => {
    const compose = composeOf(event.target);
    if (!compose) return;
    const onSend = event.target instanceof Element && adapter.isSendButton(event.target);
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey || onSend)) noteIntent(compose);
    noteHandEdit(compose, event);
  });

  signal.addEventListener('abort', () => {
    observer.disconnect();
    if (frame !== undefined) cancelAnimationFrame(frame);
    for (const compose of composes.values()) {
      clearTimeout(compose.previewTimer);
      compose.control.host.remove();
    }
    composes.clear();
  });

  // Composes already on the page when the script starts (their animation may have run before it listened).
  seen.push(...adapter.announcers(doc));
  schedule();
  publish();

  return {
    choiceFor(send) {
      if (choices.has(send.messageId)) return choices.get(send.messageId);
      sweep();
      // A compose still open that the rep left as it was (only the rep's choices are remembered).
      for (const compose of composes.values()) if (adapter.messageIdOf(compose.root) === send.messageId) return choiceOf(compose);
      const now = Date.now();
      const wanted = normal(send.subject);
      const pick = <T extends Moment>(moments: T[]) => {
        const candidates = moments.filter((m) => now - m.at < SEND_MATCH_MS);
        // The compose with the same subject; else the most recent (inline replies have no subject field).
        const match = candidates.findLast((m) => m.subject !== null && normal(m.subject) === wanted) ?? candidates.at(-1);
        if (match) moments.splice(moments.indexOf(match), 1);
        return match;
      };
      return pick(intents) ?? pick(closed);
    },
    refresh() {
      for (const compose of composes.values()) {
        compose.recipientsKey = '';
        update(compose);
      }
      publish();
    },
  };
}
