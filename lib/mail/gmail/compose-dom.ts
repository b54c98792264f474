/**
 * Reading and changing one Gmail compose through its DOM: its draft id, its recipients, its
 * Send button, and recipient chips. Every lookup goes through selectors.ts; every function
 * copes with a missing element by doing nothing.
 */
import { isEmailAddress } from '../../address';
import type { MailAddress } from '../types';
import { closestOf, GMAIL, queryFirst } from './selectors';

type RecipientKind = 'to' | 'cc' | 'bcc';

/**
 * The element that holds a compose (dialog, pop-out, or inline reply), from any element in it:
 * the nearest ancestor holding both the compose's hidden inputs and a Send button.
 */
export function findComposeRoot(element: Element): Element | null {
  const dialog = element.closest(GMAIL.composeDialog);
  if (dialog?.querySelector(GMAIL.composeMarker) && queryFirst(dialog, GMAIL.sendButton)) return dialog;
  let node: Element | null = element;
  for (let depth = 0; node && depth < 25; depth++, node = node.parentElement) {
    if (node.querySelector(GMAIL.composeMarker) && queryFirst(node, GMAIL.sendButton)) return node;
  }
  return null;
}

/** The message id the compose's send request will carry (`msg-a:r…`), once Gmail has assigned it. */
export function draftIdOf(root: Element): string | null {
  const value = (root.querySelector(GMAIL.draftInput) as HTMLInputElement | null)?.value ?? '';
  const id = value.startsWith('#') ? value.slice(1) : value;
  return /^msg-[\x21-\x7e]{1,200}$/.test(id) ? id : null;
}

export const subjectOf = (root: Element) => (queryFirst(root, GMAIL.subject) as HTMLInputElement | null)?.value ?? null;

export const sendButtonOf = (root: Element) => queryFirst(root, GMAIL.sendButton);

export const rowOf = (root: Element, kind: RecipientKind) => queryFirst(root, GMAIL.recipientRow(kind));

function addressOfChip(chip: Element): string | null {
  for (const attribute of GMAIL.chipAddress) {
    const value = chip.getAttribute(attribute)?.trim();
    if (value && isEmailAddress(value)) return value.toLowerCase();
  }
  return null;
}

/** The chips of one row (To, Cc or Bcc), each with its address. */
export function chipsOf(root: Element, kind: RecipientKind): Array<{ chip: Element; email: string }> {
  const row = rowOf(root, kind);
  // The older UI keeps chips next to its textarea, not inside it.
  const scope = row?.tagName === 'TEXTAREA' ? row.parentElement : row;
  const out: Array<{ chip: Element; email: string }> = [];
  if (!scope) return out;
  for (const chip of scope.querySelectorAll(GMAIL.chip)) {
    const email = addressOfChip(chip);
    if (email) out.push({ chip, email });
  }
  return out;
}

export function recipientsOf(root: Element): MailAddress[] {
  return (['to', 'cc', 'bcc'] as const).flatMap((kind) => chipsOf(root, kind).map(({ email }) => ({ email })));
}

const isShown = (element: Element | null) => !!element && element.getClientRects().length > 0;

/**
 * Opens the Bcc row if it is hidden; true when the row is there to use. An inline reply keeps
 * its rows collapsed behind a summary: a focus event on the summary (not the focus itself, which
 * would take it from where the rep is typing; never Escape) opens them first.
 */
export function openBccRow(root: Element): boolean {
  if (isShown(rowOf(root, 'bcc'))) return true;
  const toggle = queryFirst(root, GMAIL.bccToggle) as HTMLElement | null;
  if (!toggle) return false;
  const section = toggle.closest(GMAIL.recipientsSection);
  if (section && !isShown(section)) root.querySelector(GMAIL.recipientsCover)?.dispatchEvent(new FocusEvent('focus'));
  toggle.click();
  return isShown(rowOf(root, 'bcc'));
}

/**
 * Adds an address to a row the way a person pastes it, which Gmail turns into a chip, and
 * gives the focus back to where the rep was typing. The caller checks that the chip appeared.
 */
export function pasteRecipient(root: Element, kind: RecipientKind, address: string): boolean {
  const row = rowOf(root, kind);
  const input = row && ((row.tagName === 'TEXTAREA' ? row : queryFirst(row, GMAIL.recipientInput)) as HTMLInputElement | null);
  if (!input) return false;
  const doc = root.ownerDocument;
  const previous = doc.activeElement as HTMLElement | null;
  const selection = doc.getSelection();
  const caret = selection && selection.rangeCount > 0 ? selection.getRangeAt(0).cloneRange() : null;
  input.focus();
  const data = new DataTransfer();
  data.setData('text/plain', address);
  const handled = !input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  if (!handled) {
    // Nobody took the paste: type the address and commit it with Enter, as a person would.
    input.value = address;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', keyCode: 13, bubbles: true, cancelable: true }));
  }
  if (previous && previous !== input && previous !== doc.body && previous.isConnected) {
    previous.focus();
    // The caret goes back to where the rep was typing, not to the start of the body.
    if (caret && previous.contains(caret.startContainer)) {
      selection?.removeAllRanges();
      selection?.addRange(caret);
    }
  } else input.blur();
  return true;
}

/** Removes a chip with its own remove button, or with Backspace when it has none. */
export function removeChip(chip: Element): void {
  const button = queryFirst(chip, GMAIL.chipRemove) as HTMLElement | null;
  if (button) {
    button.click();
    return;
  }
  (chip as HTMLElement).focus();
  chip.dispatchEvent(new KeyboardEvent('keydown', { key: 'Backspace', code: 'Backspace', keyCode: 8, bubbles: true, cancelable: true }));
}

/** Whether an event happened inside a compose's Bcc row (the rep editing it by hand). */
export function isInBccRow(target: Element): boolean {
  return !!closestOf(target, GMAIL.recipientRow('bcc'));
}
