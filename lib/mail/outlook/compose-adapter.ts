/**
 * Outlook on the web's composes for the provider-neutral watcher (lib/mail/compose-watcher.ts):
 * DOM facts only, every selector in selectors.ts. OWA re-creates nodes, its compose included,
 * and shows no message id in a compose: a send's choice is found by its subject.
 */
import type { ComposeAdapter } from '../compose-watcher';
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

export const outlookComposes: ComposeAdapter = {
  provider: 'outlook',
  sentinel: OUTLOOK_COMPOSE_SENTINEL,
  announcers: (doc) => doc.querySelectorAll(OUTLOOK.editable),
  composeRootOf: findComposeRoot,
  controlAnchor(root) {
    const send = sendButtonOf(root);
    // Next to Send, outside the split button that pairs Send with its drop-down (schedule send).
    const group = send?.parentElement;
    return group && group !== root && group.querySelectorAll(OUTLOOK.button).length > 1 ? group : send;
  },
  messageIdOf: () => null,
  subjectOf,
  recipientsOf,
  chipsOf(root, address, chipText) {
    const fields = recipientFields(root);
    // The address counts once wherever the rep moved it; OWA may show our chip by a contact's name.
    return (['to', 'cc', 'bcc'] as RecipientKind[]).flatMap((kind) => {
      const field = fields[kind] as Element;
      return chipsOf(field)
        .filter(
          ({ chip, email }) =>
            email === address || (email === null && kind === 'bcc' && chipText !== null && chip.textContent === chipText),
        )
        .map(({ chip }) => ({ remove: () => removeChip(chip, field) }));
    });
  },
  addBcc(root, address) {
    // Revealing the Bcc field re-renders the compose; the field is filled on the pass that follows.
    const field = openBccField(root);
    if (!field) return false;
    const before = new Set(chipsOf(field).map(({ chip }) => chip));
    typeRecipient(root, field, address);
    const fresh = chipsOf(recipientFields(root).bcc).find(({ chip }) => !before.has(chip));
    return { chipText: fresh && fresh.email === null ? fresh.chip.textContent : null };
  },
  isSendButton: isOnSendButton,
  isInBcc: (root, target) => !!recipientFields(root).bcc?.contains(target),
  recreatesComposes: true,
};
