/**
 * Reading and changing one Outlook on the web compose through its DOM: its Send button, its
 * To / Cc / Bcc fields and their chips, its subject. OWA's React re-creates nodes at will, so
 * nothing here keeps a node: every function looks again from the compose root it is given, and
 * copes with a missing element by doing nothing. Every lookup goes through selectors.ts.
 */
import { isEmailAddress } from '../../address';
import type { MailAddress } from '../types';
import { isBccLabel, OUTLOOK, OUTLOOK_ACCOUNT_ADDRESS, queryFirst } from './selectors';

export type RecipientKind = 'to' | 'cc' | 'bcc';

const KINDS: readonly RecipientKind[] = ['to', 'cc', 'bcc'];
const ADDRESS = /[^\s<>()[\]"',;:]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+/gi;
/** How far up from a recipient field a compose root may be. */
const MAX_DEPTH = 20;

const labelOf = (element: Element) => element.getAttribute('aria-label') ?? element.getAttribute('title');

/** The Send button of a compose, by its test id in every language (see OUTLOOK.sendButton). */
export function sendButtonOf(root: Element): HTMLElement | null {
  return queryFirst(root, OUTLOOK.sendButton) as HTMLElement | null;
}

/** Whether an event target is (inside) a Send button. */
export function isOnSendButton(target: Element): boolean {
  const button = target.closest(OUTLOOK.button);
  return !!button && OUTLOOK.sendButton.some((s) => button.matches(s));
}

/** The body and everything in it, which is never a recipient field. */
function bodyOf(root: Element, editables: readonly Element[]): Element | null {
  // Found by structure (multi-line, OWA's editor ids) in every language.
  const labelled = queryFirst(root, OUTLOOK.body);
  // Unknown language and markup: the body is the last editable region, below the recipient fields.
  return labelled ?? (editables.length > 1 ? (editables.at(-1) ?? null) : null);
}

const before = (a: Node, b: Node) => !!(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);

/** The recipient fields (the editable regions above the body, outermost only) and the body. */
function layoutOf(root: Element): { wells: HTMLElement[]; body: Element | null } {
  const editables = [...root.querySelectorAll<HTMLElement>(OUTLOOK.editable)].filter((e) => !e.parentElement?.closest(OUTLOOK.editable));
  const body = bodyOf(root, editables);
  return { wells: body ? editables.filter((e) => e !== body && !body.contains(e) && before(e, body)) : editables, body };
}

/**
 * The To, Cc and Bcc fields of a compose (null when absent: Bcc exists only once revealed),
 * by their place in every language: OWA shows To first and Cc above Bcc, so one field is To
 * and three are To, Cc, Bcc. Two are To and Cc, or To and a Bcc shown before Cc: only the
 * second one's label tells which (OWA marks them up alike), and an unknown label counts as Cc.
 */
export function recipientFields(root: Element): Record<RecipientKind, HTMLElement | null> {
  const [to = null, second = null, third = null] = layoutOf(root).wells;
  if (third || !second || !isBccLabel(labelOf(second))) return { to, cc: second, bcc: third };
  return { to, cc: null, bcc: second };
}

/** The address a chip shows: in its text for an address without a contact, else in its label or tooltip. */
export function addressOfChip(chip: Element): string | null {
  const texts = [
    chip.textContent,
    chip.getAttribute('aria-label'),
    chip.getAttribute('title'),
    chip.getAttribute('data-lpc-hover-target-id'),
  ];
  const labelled = chip.closest('[aria-label*="@"],[title*="@"]');
  if (labelled) texts.push(labelled.getAttribute('aria-label'), labelled.getAttribute('title'));
  for (const text of texts) {
    for (const match of text?.match(ADDRESS) ?? []) if (isEmailAddress(match)) return match.toLowerCase();
  }
  return null;
}

/** The chips of one field, each with its address when the chip shows one. */
export function chipsOf(field: Element | null): Array<{ chip: Element; email: string | null }> {
  if (!field) return [];
  return [...field.querySelectorAll(OUTLOOK.chip)]
    .filter((c) => !c.parentElement?.closest(OUTLOOK.chip))
    .map((chip) => ({ chip, email: addressOfChip(chip) }));
}

/** The recipients whose address the compose shows (contacts shown by name only are left out). */
export function recipientsOf(root: Element): MailAddress[] {
  const fields = recipientFields(root);
  const out: MailAddress[] = [];
  for (const kind of KINDS) for (const { email } of chipsOf(fields[kind])) if (email) out.push({ email });
  return out;
}

/** The compose's subject, or null for composes without a subject field (inline replies). */
export function subjectOf(root: Element): string | null {
  return (queryFirst(root, OUTLOOK.subject) as HTMLInputElement | null)?.value ?? null;
}

const isBccLabelled = (b: Element) => isBccLabel(b.textContent) || isBccLabel(b.getAttribute('aria-label'));

/**
 * The "Bcc" toggle. By place first: OWA's Cc and Bcc buttons follow the To field, above the
 * body and outside any field, Bcc last; neither is a menu or an expander. So it is the second
 * of the pair, or the only one left once Cc is shown; else a button labelled "Bcc" in a known
 * language, anywhere in the compose.
 */
function bccToggleOf(root: Element): HTMLElement | null {
  const { wells, body } = layoutOf(root);
  const [to, cc] = wells;
  const buttons = [...root.querySelectorAll<HTMLElement>(OUTLOOK.button)];
  const placed = to
    ? buttons.filter((b) => before(to, b) && (!body || before(b, body)) && !b.closest(OUTLOOK.editable) && !b.matches(OUTLOOK.notToggle))
    : [];
  return (placed.length === 2 || (placed.length === 1 && cc) ? placed.at(-1) : buttons.find(isBccLabelled)) ?? null;
}

/**
 * Reveals the Bcc field if it is not there yet; returns it, or null when it cannot be shown yet.
 * A reading-pane reply has neither Cc nor the Bcc button until its recipients header is
 * expanded: that button is clicked first (a click moves no focus; OWA ignores synthetic keys,
 * and Escape would discard the draft). OWA re-renders then, and the next pass goes on.
 */
export function openBccField(root: Element): HTMLElement | null {
  const present = recipientFields(root).bcc;
  if (present) return present;
  const toggle = bccToggleOf(root);
  if (toggle) toggle.click();
  else expanderOf(root)?.click();
  return recipientFields(root).bcc;
}

/** The button that expands a collapsed recipients header: before the body, not a menu. */
function expanderOf(root: Element): HTMLElement | null {
  const { body } = layoutOf(root);
  const buttons = [...root.querySelectorAll<HTMLElement>(OUTLOOK.expandHeader)];
  return buttons.find((b) => !body || before(b, body)) ?? null;
}

/** The element the compose's chips sit in as a unit with their own buttons (the whole Fluent UI tag). */
function chipUnitOf(chip: Element, field: Element): Element {
  let unit = chip;
  while (unit.parentElement && unit.parentElement !== field && unit.parentElement.querySelectorAll(OUTLOOK.chip).length === 1) {
    unit = unit.parentElement;
  }
  return unit;
}

const key = (name: string, code: number) => ({ key: name, code: name, keyCode: code, which: code, bubbles: true, cancelable: true });

/**
 * Adds an address to a recipient field the way a person does, which OWA turns into a chip:
 * types it at the end of the field and commits it with Enter (never Escape: that discards
 * the draft). The focus and the caret go back to where the rep was. The caller checks for the chip.
 */
export function typeRecipient(root: Element, field: HTMLElement, address: string): void {
  const doc = field.ownerDocument;
  const previous = doc.activeElement as HTMLElement | null;
  const label = previous?.getAttribute('aria-label');
  // OWA may re-create the compose while the address is committed: its container stays.
  const scope = root.parentElement ?? doc;
  const selection = doc.getSelection();
  const saved = selection && selection.rangeCount > 0 ? selection.getRangeAt(0).cloneRange() : null;
  field.focus();
  const range = doc.createRange();
  range.selectNodeContents(field);
  range.collapse(false);
  selection?.removeAllRanges();
  selection?.addRange(range);
  // Text left from an earlier attempt that OWA did not turn into a chip only needs committing.
  const typed = (field.textContent ?? '').toLowerCase().includes(address.toLowerCase());
  // execCommand types like the keyboard (OWA's editor sees beforeinput and input); append where it is missing.
  const inField = () => (field.textContent ?? '').toLowerCase().includes(address.toLowerCase());
  // execCommand can answer true and type nothing (a page without focus): then the text is appended.
  if (!typed && !(typeof doc.execCommand === 'function' && doc.execCommand('insertText', false, address) && inField())) {
    field.append(doc.createTextNode(address));
    field.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: address }));
  }
  field.dispatchEvent(new KeyboardEvent('keydown', key('Enter', 13)));
  field.dispatchEvent(new KeyboardEvent('keyup', key('Enter', 13)));
  if (!previous || previous === field || previous === doc.body) return;
  // The element the rep was in, or the one OWA re-created in its place (found by its label).
  const back = previous.isConnected
    ? previous
    : label
      ? [...scope.querySelectorAll<HTMLElement>(OUTLOOK.editable)].find((e) => e.getAttribute('aria-label') === label)
      : undefined;
  if (!back) return;
  back.focus();
  selection?.removeAllRanges();
  if (saved && back.contains(saved.startContainer)) selection?.addRange(saved);
  else if (back.isContentEditable) selection?.collapse(back, back.childNodes.length);
}

/** Removes a chip with its own dismiss button, or with Backspace when it has none. */
export function removeChip(chip: Element, field: Element): void {
  const unit = chipUnitOf(chip, field);
  const button = queryFirst(unit, OUTLOOK.chipRemove) as HTMLElement | null;
  if (button) {
    button.click();
    return;
  }
  const target = (unit.matches(OUTLOOK.button) ? unit : (unit.querySelector(OUTLOOK.button) ?? chip)) as HTMLElement;
  target.focus();
  target.dispatchEvent(new KeyboardEvent('keydown', key('Backspace', 8)));
}

/**
 * The compose a recipient field belongs to: the nearest known compose container holding a Send
 * button, else (inline replies in the reading pane) the nearest ancestor holding a Send button.
 */
export function findComposeRoot(field: Element): Element | null {
  for (const selector of OUTLOOK.composeRoot) {
    const container = field.closest(selector);
    if (container && sendButtonOf(container)) return container;
  }
  let element = field.parentElement;
  for (let depth = 0; element && depth < MAX_DEPTH; depth++, element = element.parentElement) {
    // The first ancestor with a Send button is the compose, if the field is one of its recipient fields.
    if (sendButtonOf(element)) return Object.values(recipientFields(element)).includes(field as HTMLElement) ? element : null;
  }
  return null;
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return '';
  }
}

/** The address of the signed-in mailbox, from a shared mailbox's URL or the account header; null if not shown. */
export function accountAddressOf(doc: Document, pathname: string): string | null {
  // A shared or delegated mailbox opens at /mail/<address>/…
  const fromPath = decoded(/^\/mail\/([^/]+)\//.exec(pathname)?.[1] ?? '');
  if (isEmailAddress(fromPath)) return fromPath.toLowerCase();
  const header = queryFirst(doc, OUTLOOK_ACCOUNT_ADDRESS);
  for (const text of [header?.textContent, header?.getAttribute('aria-label')]) {
    for (const match of text?.match(ADDRESS) ?? []) if (isEmailAddress(match)) return match.toLowerCase();
  }
  return null;
}
