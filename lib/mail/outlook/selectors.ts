/**
 * Every Outlook on the web selector the extension uses, in one place. OWA is a React app that
 * changes its markup without notice and localises its labels, so each hook is a list of
 * fallbacks tried in order: stable ids, test ids and data attributes first, then roles and the
 * structure (the order of the recipient fields, where the Cc and Bcc buttons sit), English
 * labels last. What still depends on a label is listed in docs/outlook.md. When nothing
 * matches, the compose control simply does not appear; send detection reads the network and
 * does not depend on these.
 *
 * Last checked: 2026-12-01, against docs/outlook.md and public code that drives OWA
 * (a DOM contract verified on outlook.cloud.microsoft on 2026-07-25: contenteditable To/Cc/Bcc
 * labelled by aria-label, a Bcc toggle that is a <button> with the text "Bcc" and no label,
 * Fluent UI chips with a separate dismiss button, `#discardCompose`).
 */
export const OUTLOOK_SELECTORS_CHECKED = '2026-12-01';

/**
 * The word for Bcc in the languages OWA ships most, matched case-insensitively against trimmed
 * text. The one label still read: it tells a Bcc field shown alone below To from Cc, and finds
 * the Bcc button where its place does not tell (docs/outlook.md, "What stays language-dependent").
 */
const BCC_WORDS = ['bcc', 'cci', 'cco', 'ccn', 'bkp', 'udw', 'skrytá kopie', 'скрытая копия', '密件抄送', '密件副本', '숨은 참조'];

/** Whether a label (aria-label, text, or the part of a title before its shortcut) says Bcc. */
export function isBccLabel(label: string | null | undefined): boolean {
  return (
    !!label &&
    BCC_WORDS.includes(
      label
        .trim()
        .toLowerCase()
        .replace(/\s*\(.*\)$/, ''),
    )
  );
}

// The few hooks the content script that every Outlook page loads reads itself stand apart: the
// bundler keeps all of OUTLOOK wherever one of its properties is read, and the rest of OUTLOOK is
// the compose script's (docs/content-script-size.md).

/** Editable regions: the To / Cc / Bcc fields (contenteditable divs, not inputs) and the body. */
export const OUTLOOK_EDITABLE = '[contenteditable]:not([contenteditable="false"])';
/** The signed-in account in the header (Microsoft's account manager), for the compose preview. */
export const OUTLOOK_ACCOUNT_ADDRESS = [
  '#mectrl_currentAccount_secondary',
  '[id^="mectrl_currentAccount_secondary"]',
  '#O365_MainLink_Me [aria-label*="@"]',
];

/** The animation outlook-compose.css starts on every element of `OUTLOOK.sentinel` the browser renders. */
export const OUTLOOK_COMPOSE_SENTINEL = 'sales-activity-sync-outlook-compose';

export const OUTLOOK = {
  /**
   * What tells the content script a compose appeared: its recipient fields, in any language.
   * outlook-compose.css lists exactly these (a unit test keeps the two the same).
   */
  sentinel: ['[contenteditable="true"][aria-label]', '[contenteditable="true"][role="textbox"]'],
  /** Containers that are a compose when they hold a Send button: new mail (docked, full page), pop-out. */
  composeRoot: [
    '[data-app-section="ComposeForm"]',
    '[data-app-section="MailCompose"]',
    '[id^="docking_InitVisiblePart"]',
    '[role="dialog"]',
  ],
  /**
   * Send by its test id (the same in every language), its stable id in older builds
   * (`#splitButton-ro__primaryActionButton`), then its English label. No guess by look (a
   * primary button): other extensions add buttons to the compose too.
   */
  sendButton: ['button[data-testid="ComposeSendButton"]', 'button[id*="primaryActionButton"]', 'button[aria-label="Send"]'],
  /** A collapsed recipients header (a reading-pane reply): a button that expands, not a menu. */
  expandHeader: 'button[aria-expanded="false"]:not([aria-haspopup])',
  /** Buttons that are never the Cc or Bcc toggle: menus and expanders. */
  notToggle: '[aria-haspopup],[aria-expanded]',
  /** Anything that may be a button, to test against localised labels. */
  button: 'button,[role="button"]',
  editable: OUTLOOK_EDITABLE,
  /**
   * The message body, which is editable too and never a recipient field: multi-line, or in OWA's
   * editor (else the code takes the last editable region, below the recipient fields).
   */
  body: [
    `${OUTLOOK_EDITABLE}[aria-multiline="true"]`,
    `${OUTLOOK_EDITABLE}[id^="editorParent"]`,
    `[id^="editorParent"] ${OUTLOOK_EDITABLE}`,
  ],
  subject: ['input[id$="_SUBJECT"]', 'input[aria-label="Subject"]', 'input[aria-label="Add a subject"]'],
  /** A recipient chip (a Fluent UI persona); its address is in its text, label or tooltip. */
  chip: '[data-lpc-hover-target-id]',
  /** The chip's own dismiss button (Fluent UI InteractionTag), then a labelled remove button. */
  chipRemove: [
    '[id^="fui-InteractionTagSecondary"]',
    '[class*="InteractionTagSecondary"]',
    'button[aria-label^="Remove"]',
    '[role="button"][aria-label^="Remove"]',
  ],
  accountAddress: OUTLOOK_ACCOUNT_ADDRESS,
} as const;

/** The first element any of the selectors finds inside `root`, or null. */
export function queryFirst(root: ParentNode, selectors: readonly string[]): Element | null {
  for (const selector of selectors) {
    const found = root.querySelector(selector);
    if (found) return found;
  }
  return null;
}
