/**
 * The small control shown next to Send in every compose: logging on or off for this email
 * (click to switch), the mode (API or BCC), a line saying what will happen, and, when the email
 * goes to a matched contact by the API, a "Related to" button that asks for the Accounts and
 * open Opportunities only when the rep opens it (each answer costs Salesforce calls). It lives in
 * its own shadow root, so the webmail's styles and ours never meet, and it is built with
 * DOM calls and textContent only (mail pages enforce Trusted Types; nothing is parsed as HTML).
 */

import type { ComposePreview } from '../messages';
import { type RelatedChoices, relatedSelect } from './related-select';
import { t } from './ui-text';

export interface ComposeControlState {
  mode: 'api' | 'bcc' | 'off';
  on: boolean;
  /** The worker's answer for the current recipients; null while it is being asked. */
  preview: ComposePreview | null;
  /** How many recipients the compose shows: none yet means there is nothing to log yet. */
  recipients: number;
  /** What the email may relate to: not asked yet (undefined), being asked (null), or the answer. */
  related?: RelatedChoices | null;
  /** The rep's pick among them; none leaves it to the settings' rule. */
  whatId?: string;
}

export interface ComposeControlActions {
  toggle(on: boolean): void;
  /** The rep opened the related-to choice: ask for its options. */
  openRelated(): void;
  /** The record the options show (when they appear, and when the rep picks one); none: the settings' rule. */
  pickRelated(whatId: string | undefined): void;
}

export interface ComposeControl {
  /** The element to place in the page. */
  host: HTMLElement;
  render(state: ComposeControlState): void;
}

/** Marks our host elements, so that our own insertions are recognised (and ignored) by observers. */
export const CONTROL_ATTRIBUTE = 'data-sales-activity-sync';

// Compact: the switch, then a few words that may be cut (never wider than 12em, never wrapping);
// the whole sentence is the words' tooltip and, for screen readers, the status line. In a row
// of the webmail's buttons the control takes only the room they leave (flex from 0, up to its
// own width), so theirs never shrink or wrap; there the words give way before the switch (a grid
// whose minimum is 0, which a table footer can shrink too), then the switch's name, never its
// state, each cut with an ellipsis. The related-to choice, when offered, is the third column.
const STYLE = `:host{display:inline-grid;grid:auto/minmax(0,auto) minmax(0,1fr) minmax(0,auto);align-items:center;flex:1 1 0;max-width:max-content;margin:0 6px;font:12px/1.2 system-ui,sans-serif}
button{display:flex;overflow:hidden;border:1px solid #8a9bb0;border-radius:12px;padding:2px 8px;background:#fff;color:#1f2d3d;font:inherit;cursor:pointer;white-space:nowrap}
[aria-pressed=true]{background:#e3f1fb;border-color:#0b5cab;color:#0b5cab}:disabled{cursor:default;opacity:.7}:focus-visible{outline:2px solid #0b5cab}
button[data-n]::before{content:attr(data-n);min-width:0;overflow:hidden;text-overflow:ellipsis}
.short{margin-left:6px;color:#51606f;max-width:12em;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}
.rel,select{margin-left:6px;max-width:10em;font:inherit;text-overflow:ellipsis}[hidden]{display:none}`;

type Matches = NonNullable<ComposePreview['matches']>;

/** The counts in words: the whole sentence, or (`short`) a few words. */
const matchesText = (m: Matches, short: boolean) =>
  m.newLeads
    ? t(short ? 'compose.short.matchesNewLeads' : 'compose.matchesNewLeads', [m.contacts, m.leads, m.newLeads])
    : t(short ? 'compose.short.matches' : 'compose.matches', [m.contacts, m.leads, m.unresolved]);

/** The whole sentence about what will happen to the email, from the structured preview. */
export function previewSentence(state: ComposeControlState): string {
  const { preview } = state;
  if (state.mode === 'off') return t('compose.reason.off');
  if (!state.on) return t('compose.reason.turnedOff');
  if (state.recipients === 0) return t('compose.noRecipients');
  if (!preview) return t('compose.checking');
  if (!preview.willLog) return t(`compose.reason.${preview.reason ?? 'off'}`);
  if (preview.mode === 'bcc') return t('compose.willLogBcc');
  return preview.matches ? matchesText(preview.matches, false) : t('compose.willLogApi');
}

/** Who will be logged in a few words (the counts), or the sentence when it is short already. */
export function previewWords(state: ComposeControlState): string {
  const m = state.mode !== 'off' && state.on && state.recipients > 0 && state.preview?.willLog ? state.preview.matches : undefined;
  return m ? matchesText(m, true) : previewSentence(state);
}

/** The related-to choice is offered when the API will log the email to at least one contact (whose account it may be). */
export const offersRelated = (state: ComposeControlState) =>
  state.mode === 'api' && state.on && state.recipients > 0 && state.preview?.mode === 'api' && (state.preview.matches?.contacts ?? 0) > 0;

export function createComposeControl(doc: Document, actions: ComposeControlActions): ComposeControl {
  const host = doc.createElement('span');
  host.setAttribute(CONTROL_ATTRIBUTE, 'compose-control');
  const root = host.attachShadow({ mode: 'open' });
  const style = doc.createElement('style');
  style.textContent = STYLE;
  const button = doc.createElement('button');
  button.type = 'button';
  button.title = t('compose.toggleHint');
  // The name is drawn before the state (button::before), so that a narrow compose cuts the name, never the state.
  button.dataset.n = t('compose.name');
  const words = doc.createElement('span');
  words.className = 'short';
  words.setAttribute('aria-hidden', 'true');
  const detail = doc.createElement('span');
  detail.className = 'sr';
  detail.setAttribute('role', 'status');
  const opener = doc.createElement('button');
  opener.type = 'button';
  opener.className = 'rel';
  opener.textContent = t('reading.relatedTo');
  opener.title = t('compose.relatedHint');
  root.append(style, button, words, detail, opener);
  // Clicks and keys in the control are ours: the webmail must not treat them as its compose's (or as shortcuts).
  for (const type of ['click', 'keydown']) root.addEventListener(type, (event) => event.stopPropagation());

  let on = false;
  /** The options shown, and the answer they were made from: made again only for a new answer, so that an open list stays open. */
  let select: HTMLSelectElement | undefined;
  let selectFor: RelatedChoices | undefined;
  // Only the rep switches logging, asks Salesforce or picks a record: what the page made up (isTrusted false) does nothing.
  button.addEventListener('click', (event) => event.isTrusted && actions.toggle(!on));
  opener.addEventListener('click', (event) => event.isTrusted && actions.openRelated());

  return {
    host,
    render(state) {
      on = state.on;
      const off = state.mode === 'off';
      button.disabled = off;
      button.setAttribute('aria-pressed', String(state.on && !off));
      button.textContent = `: ${off || !state.on ? t('compose.off') : t('compose.on')}${off ? '' : ` · ${t(`compose.mode.${state.mode}`)}`}`;
      const sentence = previewSentence(state);
      detail.textContent = sentence;
      words.textContent = previewWords(state);
      words.title = sentence;
      const offered = offersRelated(state);
      const related = offered ? state.related : undefined;
      if (related && related !== selectFor) {
        selectFor = related;
        const made = relatedSelect(doc, related, state.whatId);
        // What the options show is what goes with the email: the rule's choice until the rep picks another.
        const pick = () => actions.pickRelated(made.value || undefined);
        made.addEventListener('change', (event) => event.isTrusted && pick());
        pick();
        select?.remove();
        select = made;
        root.append(made);
        // The rep opened the choice from the button, which now goes: the options take the focus.
        if (root.activeElement === opener) made.focus();
      }
      opener.hidden = !offered || !!related;
      if (select) select.hidden = !related;
    },
  };
}
