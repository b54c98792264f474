// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  accountAddressOf,
  addressOfChip,
  chipsOf,
  findComposeRoot,
  isOnSendButton,
  openBccField,
  recipientFields,
  recipientsOf,
  removeChip,
  sendButtonOf,
  subjectOf,
  typeRecipient,
} from '@/lib/mail/outlook/compose-dom';

interface Labels {
  to: string;
  cc: string;
  bcc: string;
  send: string;
  body: string;
  subject: string;
}

const EN: Labels = { to: 'To', cc: 'Cc', bcc: 'Bcc', send: 'Send', body: 'Message body', subject: 'Subject' };
const FR: Labels = { to: 'À', cc: 'Cc', bcc: 'Cci', send: 'Envoyer', body: 'Corps du message', subject: 'Objet' };
/** A language the selectors do not know (Finnish): only the structure is left to go by. */
const FI: Labels = { to: 'Vastaanottaja', cc: 'Kopio', bcc: 'Piilokopio', send: 'Lähetä', body: 'Viestin leipäteksti', subject: 'Aihe' };

const chip = (text: string, label?: string) =>
  `<div class="fui-InteractionTag" contenteditable="false"><span data-lpc-hover-target-id="lpc-react-target-1"${label ? ` aria-label="${label}"` : ''}><span>${text}</span></span><button type="button" id="fui-InteractionTagSecondary-r1" aria-label="Remove">×</button></div>`;

/** A compose in OWA's markup (docs/outlook.md), in one of the languages above. */
function compose(labels: Labels, options: { bcc?: boolean; to?: string; container?: boolean; stableSend?: boolean } = {}) {
  const send =
    options.stableSend === false
      ? `<button class="ms-Button ms-Button--primary" aria-label="${labels.send}">${labels.send}</button>`
      : `<button data-testid="ComposeSendButton" aria-label="${labels.send}" title="${labels.send} (Ctrl+Enter)">${labels.send}</button>`;
  const inner = `
    <div class="toolbar"><div class="split">${send}<button aria-label="More send options">▾</button></div><button id="discardCompose" aria-label="Discard">Discard</button></div>
    <div contenteditable="true" role="textbox" aria-label="${labels.to}">${options.to ?? ''}</div>
    <div contenteditable="true" role="textbox" aria-label="${labels.cc}"></div>
    ${options.bcc ? `<div contenteditable="true" role="textbox" aria-label="${labels.bcc}"></div>` : `<button type="button">${labels.bcc}</button>`}
    <input type="text" aria-label="${labels.subject}" value="Pricing">
    <div contenteditable="true" role="textbox" aria-label="${labels.body}" aria-multiline="true"><div>Hello</div></div>`;
  document.body.innerHTML =
    options.container === false
      ? `<div id="pane"><div id="reply">${inner}</div></div>`
      : `<div data-app-section="ComposeForm" id="root">${inner}</div>`;
  return document.querySelector(options.container === false ? '#reply' : '#root') as HTMLElement;
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('finding the parts of a compose', () => {
  it.each([
    ['English', EN],
    ['French', FR],
  ])('finds To, Cc and a revealed Bcc by their %s labels', (_, labels) => {
    const root = compose(labels, { bcc: true });
    const fields = recipientFields(root);
    expect(fields.to?.getAttribute('aria-label')).toBe(labels.to);
    expect(fields.cc?.getAttribute('aria-label')).toBe(labels.cc);
    expect(fields.bcc?.getAttribute('aria-label')).toBe(labels.bcc);
  });

  it('finds the fields of an unknown language by their order, never taking the body for one', () => {
    const fields = recipientFields(compose(FI, { bcc: true }));
    expect([fields.to, fields.cc, fields.bcc].map((f) => f?.getAttribute('aria-label'))).toEqual([FI.to, FI.cc, FI.bcc]);
    const hidden = recipientFields(compose(FI));
    expect(hidden.bcc).toBeNull();
    expect(hidden.cc?.getAttribute('aria-label')).toBe(FI.cc);
  });

  it('has no Bcc field until it is revealed', () => {
    expect(recipientFields(compose(EN)).bcc).toBeNull();
  });

  it('finds Send by its test id in any language, never the drop-down next to it nor a button another extension added', () => {
    expect(sendButtonOf(compose(EN))?.getAttribute('aria-label')).toBe('Send');
    expect(sendButtonOf(compose(FR))?.getAttribute('aria-label')).toBe('Envoyer');
    const root = compose(FR);
    expect(isOnSendButton(root.querySelector('[aria-label="Envoyer"]') as Element)).toBe(true);
    expect(isOnSendButton(root.querySelector('[aria-label="More send options"]') as Element)).toBe(false);
    // Without its test id nothing is guessed from the look of a button: another extension's primary button is not Send.
    const old = compose(FI, { stableSend: false });
    old.querySelector('.toolbar')?.insertAdjacentHTML('afterbegin', '<button class="ms-Button ms-Button--primary">Track</button>');
    expect(sendButtonOf(old)).toBeNull();
  });

  it('reads the subject, and none for inline replies', () => {
    expect(subjectOf(compose(EN))).toBe('Pricing');
    document.body.innerHTML = '<div id="r"><button aria-label="Send">Send</button><div contenteditable="true" aria-label="To"></div></div>';
    expect(subjectOf(document.querySelector('#r') as Element)).toBeNull();
  });

  it('finds the compose of a recipient field: its container, or (inline replies) the nearest part with Send', () => {
    const root = compose(EN);
    expect(findComposeRoot(recipientFields(root).to as Element)).toBe(root);
    const inline = compose(FR, { container: false });
    expect(findComposeRoot(recipientFields(inline).cc as Element)).toBe(inline);
    document.body.insertAdjacentHTML('beforeend', '<div><div contenteditable="true" id="notes"></div></div>');
    expect(findComposeRoot(document.querySelector('#notes') as Element)).toBeNull();
  });
});

describe('chips', () => {
  it('reads the address a chip shows, in its text or its label', () => {
    const root = compose(EN, { to: chip('customer@example.com') + chip('Pat Buyer', 'Pat Buyer <pat@buyer.example>') + chip('Someone') });
    expect(chipsOf(recipientFields(root).to).map((c) => c.email)).toEqual(['customer@example.com', 'pat@buyer.example', null]);
    expect(recipientsOf(root)).toEqual([{ email: 'customer@example.com' }, { email: 'pat@buyer.example' }]);
  });

  it('does not read a non-address as one', () => {
    document.body.innerHTML = '<span data-lpc-hover-target-id="x" title="a@b">not@valid</span>';
    expect(addressOfChip(document.querySelector('span') as Element)).toBeNull();
  });

  it('removes a chip with its own dismiss button', () => {
    const root = compose(EN, { to: chip('customer@example.com') });
    const field = recipientFields(root).to as HTMLElement;
    const dismiss = vi.fn();
    field.querySelector('button')?.addEventListener('click', dismiss);
    removeChip(chipsOf(field)[0]?.chip as Element, field);
    expect(dismiss).toHaveBeenCalledOnce();
  });

  it('removes a chip without a dismiss button with Backspace, never Escape', () => {
    const root = compose(EN, { to: '<span data-lpc-hover-target-id="t" tabindex="0">x@y.example</span>' });
    const field = recipientFields(root).to as HTMLElement;
    const keys: string[] = [];
    document.addEventListener('keydown', (e) => keys.push(e.key));
    removeChip(chipsOf(field)[0]?.chip as Element, field);
    expect(keys).toEqual(['Backspace']);
  });
});

describe('adding the BCC recipient', () => {
  it('reveals the Bcc field with its toggle (a plain button in the rep language)', () => {
    const root = compose(FR);
    const toggle = [...root.querySelectorAll('button')].find((b) => b.textContent === 'Cci') as HTMLElement;
    toggle.addEventListener('click', () => {
      const field = document.createElement('div');
      field.setAttribute('contenteditable', 'true');
      field.setAttribute('aria-label', 'Cci');
      toggle.replaceWith(field);
    });
    const field = openBccField(root);
    expect(field?.getAttribute('aria-label')).toBe('Cci');
    expect(openBccField(root)).toBe(field);
  });

  /** Makes a button show a Bcc field in its place when clicked, as OWA does. */
  const revealsBcc = (toggle: HTMLElement, label: string) =>
    toggle.addEventListener('click', () => {
      const field = document.createElement('div');
      field.setAttribute('contenteditable', 'true');
      field.setAttribute('aria-label', label);
      toggle.replaceWith(field);
    });

  it('finds the Bcc button of an unknown language by its place: after To, outside the fields, above the body', () => {
    const root = compose(FI);
    revealsBcc([...root.querySelectorAll('button')].find((b) => b.textContent === FI.bcc) as HTMLElement, FI.bcc);
    expect(openBccField(root)?.getAttribute('aria-label')).toBe(FI.bcc);
    expect(recipientFields(root).cc?.getAttribute('aria-label')).toBe(FI.cc);
  });

  it('clicks the second of a Cc and Bcc pair, never a menu, and tells a Bcc shown alone below To by its label', () => {
    const root = compose(FI);
    // A compose whose Cc is hidden too: To, then the Cc and Bcc buttons (and a menu button between them).
    const cc = root.querySelector(`[aria-label="${FI.cc}"]`) as HTMLElement;
    const bcc = [...root.querySelectorAll('button')].find((b) => b.textContent === FI.bcc) as HTMLElement;
    cc.replaceWith(Object.assign(document.createElement('button'), { textContent: FI.cc }));
    const ccButton = [...root.querySelectorAll('button')].find((b) => b.textContent === FI.cc) as HTMLElement;
    ccButton.insertAdjacentHTML('afterend', '<button aria-haspopup="menu">…</button>');
    const clicked: string[] = [];
    for (const button of root.querySelectorAll('button')) button.addEventListener('click', () => clicked.push(button.textContent ?? ''));
    revealsBcc(bcc, 'BCC');
    const field = openBccField(root);
    expect(clicked).toEqual([FI.bcc]);
    expect(field?.getAttribute('aria-label')).toBe('BCC');
    expect(recipientFields(root)).toMatchObject({ cc: null, bcc: field });
  });

  it('types the address into the field and commits it with Enter, then gives the focus back', () => {
    const root = compose(EN, { bcc: true });
    const body = root.querySelector('[aria-multiline]') as HTMLElement;
    body.focus();
    const field = recipientFields(root).bcc as HTMLElement;
    const seen: string[] = [];
    field.addEventListener('input', () => seen.push(`input:${field.textContent}`));
    document.addEventListener('keydown', (e) => seen.push(`keydown:${e.key}`));
    typeRecipient(root, field, 'emailtosalesforce@abc.le.salesforce.com');
    expect(seen).toEqual(['input:emailtosalesforce@abc.le.salesforce.com', 'keydown:Enter']);
    expect(document.activeElement).toBe(body);
  });

  it('gives the focus back to the field the webmail re-created while the address was committed', () => {
    const root = compose(EN, { bcc: true });
    const body = root.querySelector('[aria-multiline]') as HTMLElement;
    body.textContent = 'Hello';
    body.focus();
    const field = recipientFields(root).bcc as HTMLElement;
    // Like React: Enter re-renders the body as a new node.
    field.addEventListener('keydown', () => body.replaceWith(body.cloneNode(true)));
    typeRecipient(root, field, 'emailtosalesforce@abc.le.salesforce.com');
    expect(document.activeElement?.getAttribute('aria-multiline')).toBe('true');
    expect(document.activeElement).not.toBe(body);
  });

  it('only commits text left from an earlier attempt, without typing it twice', () => {
    const root = compose(EN, { bcc: true });
    const field = recipientFields(root).bcc as HTMLElement;
    field.textContent = 'emailtosalesforce@abc.le.salesforce.com';
    typeRecipient(root, field, 'emailtosalesforce@abc.le.salesforce.com');
    expect(field.textContent).toBe('emailtosalesforce@abc.le.salesforce.com');
  });
});

describe('the mailbox of the tab', () => {
  it('is the shared mailbox in the path, else the account in the header', () => {
    document.body.innerHTML = '<span id="mectrl_currentAccount_secondary">Rep@Example.com</span>';
    expect(accountAddressOf(document, '/mail/shared%40example.com/inbox')).toBe('shared@example.com');
    expect(accountAddressOf(document, '/mail/inbox')).toBe('rep@example.com');
    expect(accountAddressOf(document, '/mail/%E0%A4%A/inbox')).toBe('rep@example.com');
    document.body.innerHTML = '';
    expect(accountAddressOf(document, '/owa/0/')).toBeNull();
  });
});
