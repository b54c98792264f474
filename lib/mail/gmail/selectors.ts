/**
 * Every Gmail selector the extension uses, in one place. Gmail changes its markup without
 * notice, so each hook is a list of fallbacks tried in order: `name=` attributes, roles and
 * data attributes first, Gmail's obfuscated class names last. When none matches, the compose
 * control simply does not appear; send detection reads the network and does not depend on these.
 *
 * Last checked: 2026-12-01, against docs/gmail.md (public code tracking Gmail: InboxSDK,
 * gmail.js, Mailvelope) and the captured traffic in tests/fixtures/mail/gmail.
 */
export const GMAIL_SELECTORS_CHECKED = '2026-12-01';

// The few hooks the content script that every Gmail page loads reads itself stand apart: the
// bundler keeps all of GMAIL wherever one of its properties is read, and the rest of GMAIL is
// the compose script's (docs/content-script-size.md).

/** Hidden inputs every compose form carries (dialog, full screen, pop-out, inline reply). */
export const GMAIL_COMPOSE_MARKER = 'input[name="draft"],input[name="composeid"]';
/** The toast after a send, and its Undo link. */
export const GMAIL_TOAST = '[role="alert"]';
export const GMAIL_UNDO_LINK = ['#link_undo', '[role="link"][id*="undo"]', '[role="button"][id*="undo"]'];
/** The account button, labelled "Google Account: Name (address)". */
export const GMAIL_ACCOUNT_BUTTON = 'a[aria-label*="@"][href*="accounts.google.com"]';

export const GMAIL = {
  composeMarker: GMAIL_COMPOSE_MARKER,
  /** The compose's draft id, `#msg-a:r…`: the message id its send request will carry. */
  draftInput: 'input[name="draft"]',
  /** The whole compose window; inline replies have none and are found from their Send button. */
  composeDialog: '[role="dialog"]',
  /**
   * Send, in any language: the first of Gmail's own buttons (they carry a data-tooltip; buttons
   * other extensions add do not) in the compose's send cell, not the "more send options" drop-down
   * (aria-haspopup) nor Gmail's other menus there (.Uo); then Gmail's Send class; the English
   * tooltip last. Also in gmail-compose.css, whose animation tells the content script a Send
   * button was rendered.
   */
  sendButton: [
    '.Up div > div[role="button"][data-tooltip]:not(.Uo):not([aria-haspopup="true"])',
    '[role="button"].T-I.aoO',
    '[role="button"][data-tooltip^="Send"]',
  ],
  /** The subject; inline replies carry it in a hidden input. */
  subject: ['input[name="subjectbox"]', 'input[name="subject"]'],
  /** Recipient rows of the chip UI, then the older textarea UI. */
  recipientRow: (kind: 'to' | 'cc' | 'bcc') => [`[name="${kind}"]:not(input)`, `textarea[name="${kind}"]`],
  /** Where a row takes typed or pasted addresses. */
  recipientInput: ['input[role="combobox"]', 'textarea', 'input[type="text"]'],
  /** A recipient chip; its address is in `data-hovercard-id` (older UI: `email`). */
  chip: '[role="option"][data-hovercard-id],span[email]',
  chipAddress: ['data-hovercard-id', 'email'],
  /** The chip's own remove button: the one button inside a chip. */
  chipRemove: ['[role="button"]', '.afX', '[aria-label^="Remove"]'],
  /** The "Bcc" link that opens the Bcc row ("Cci" in French, "Cco" in Spanish: its class before its text). */
  bccToggle: ['span.pB[role="link"]', '.aB.gQ.pB', '[role="link"][aria-label*="Bcc"]'],
  /** The recipient rows with their Cc / Bcc links; hidden in an inline reply until its summary is focused. */
  recipientsSection: '.fX.aiL',
  /** An inline reply's summary of its recipients, which opens the rows when it receives a focus event. */
  recipientsCover: 'div.aoD.hl',
  toast: GMAIL_TOAST,
  undoLink: GMAIL_UNDO_LINK,
  accountButton: GMAIL_ACCOUNT_BUTTON,
} as const;

/** The first element any of the selectors finds inside `root`, or null. */
export function queryFirst(root: ParentNode, selectors: readonly string[]): Element | null {
  for (const selector of selectors) {
    const found = root.querySelector(selector);
    if (found) return found;
  }
  return null;
}

/** Whether the element matches any of the selectors (or sits inside one that does). */
export function closestOf(element: Element, selectors: readonly string[]): Element | null {
  for (const selector of selectors) {
    const found = element.closest(selector);
    if (found) return found;
  }
  return null;
}
