/**
 * Gmail's composes for the provider-neutral watcher (lib/mail/compose-watcher.ts): DOM facts
 * only, every selector in selectors.ts.
 */
import type { ComposeAdapter } from '../compose-watcher';
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
  subjectOf,
} from './compose-dom';
import { closestOf, GMAIL } from './selectors';

/** The animation gmail-compose.css starts on every Send button the browser renders. */
export const GMAIL_COMPOSE_SENTINEL = 'sales-activity-sync-compose';

export const gmailComposes: ComposeAdapter = {
  provider: 'gmail',
  sentinel: GMAIL_COMPOSE_SENTINEL,
  announcers: (doc) => doc.querySelectorAll(GMAIL.composeMarker),
  composeRootOf: findComposeRoot,
  controlAnchor(root) {
    const send = sendButtonOf(root);
    // Next to Send, outside the split button that pairs Send with "Schedule send".
    return send?.parentElement && send.parentElement.querySelectorAll('[role="button"]').length > 1 ? send.parentElement : send;
  },
  messageIdOf: draftIdOf,
  subjectOf,
  recipientsOf,
  chipsOf: (root, address) =>
    (['to', 'cc', 'bcc'] as const)
      .flatMap((kind) => chipsOf(root, kind))
      .filter((c) => c.email === address)
      .map(({ chip }) => ({ remove: () => removeChip(chip) })),
  addBcc: (root, address) => (openBccRow(root) && pasteRecipient(root, 'bcc', address) ? { chipText: null } : false),
  isSendButton: (target) => !!closestOf(target, GMAIL.sendButton),
  isInBcc: (_root, target) => isInBccRow(target),
  recreatesComposes: false,
};
