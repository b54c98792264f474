// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { type ComposeControlState, createComposeControl, offersRelated, previewSentence, previewWords } from '@/lib/mail/compose-control';
import { previewCompose } from '@/lib/mail/compose-preview';
import { useLocale } from '../support/locale';

const state = (over: Partial<ComposeControlState>): ComposeControlState => ({
  mode: 'api',
  on: true,
  preview: null,
  recipients: 1,
  ...over,
});

describe('what the compose control says', () => {
  it('words each structured preview', () => {
    expect(previewSentence(state({}))).toBe('Checking what will be logged…');
    expect(previewSentence(state({ preview: { mode: 'api', willLog: true } }))).toBe('This email will be logged to Salesforce.');
    expect(previewSentence(state({ mode: 'bcc', preview: { mode: 'bcc', willLog: true } }))).toBe('A copy goes to Salesforce by BCC.');
    expect(previewSentence(state({ preview: { mode: 'api', willLog: true, matches: { contacts: 2, leads: 1, unresolved: 0 } } }))).toBe(
      'Will log to contacts: 2, leads: 1. Addresses with no match: 0.',
    );
    expect(previewSentence(state({ preview: { mode: 'api', willLog: false, reason: 'internalOnly' } }))).toBe(
      'Not logged: every recipient is internal.',
    );
    expect(previewSentence(state({ on: false, preview: { mode: 'api', willLog: true } }))).toBe('You switched logging off for this email.');
    expect(previewSentence(state({ mode: 'off' }))).toBe("Email logging is off in the extension's settings.");
  });

  it('says what to do while there is no recipient yet, and says who is logged in a few words', () => {
    expect(previewSentence(state({ recipients: 0, preview: { mode: 'api', willLog: true } }))).toBe(
      'Add a recipient to see who will be logged.',
    );
    const matched = state({ preview: { mode: 'api', willLog: true, matches: { contacts: 2, leads: 1, unresolved: 0 } } });
    expect(previewWords(matched)).toBe('Contacts 2 · Leads 1 · No match 0');
    expect(previewWords(state({ preview: { mode: 'api', willLog: false, reason: 'internalOnly' } }))).toBe(
      'Not logged: every recipient is internal.',
    );
  });

  it('ignores a click the page made up, and shows the words with the whole sentence on demand', () => {
    const toggled: boolean[] = [];
    const control = createComposeControl(document, { toggle: (on) => toggled.push(on), openRelated: () => {}, pickRelated: () => {} });
    control.render(state({ preview: { mode: 'api', willLog: true, matches: { contacts: 1, leads: 0, unresolved: 2 } } }));
    const button = control.host.shadowRoot?.querySelector('button') as HTMLElement;
    button.click();
    expect(toggled).toEqual([]);
    // Its name and its state apart, so that a narrow compose cuts the name, never the state.
    expect([button.dataset.n, button.textContent]).toEqual(['Log to Salesforce', ': On · API']);
    const words = control.host.shadowRoot?.querySelector('.short') as HTMLElement;
    expect(words.textContent).toBe('Contacts 1 · Leads 0 · No match 2');
    expect(words.title).toBe('Will log to contacts: 1, leads: 0. Addresses with no match: 2.');
    expect(control.host.shadowRoot?.querySelector('[role="status"]')?.textContent).toBe(words.title);
  });

  const matched = (contacts: number) => ({ mode: 'api' as const, willLog: true, matches: { contacts, leads: 0, unresolved: 0 } });

  it('offers the related-to choice only when the API will log the email to a contact', () => {
    expect(offersRelated(state({ preview: matched(1) }))).toBe(true);
    expect(offersRelated(state({ preview: matched(0) }))).toBe(false);
    // No counts: not connected, or the tab asked too often.
    expect(offersRelated(state({ preview: { mode: 'api', willLog: true } }))).toBe(false);
    expect(offersRelated(state({ preview: null }))).toBe(false);
    expect(offersRelated(state({ on: false, preview: matched(1) }))).toBe(false);
    expect(offersRelated(state({ recipients: 0, preview: matched(1) }))).toBe(false);
    expect(offersRelated(state({ mode: 'bcc', preview: { mode: 'bcc', willLog: true } }))).toBe(false);
  });

  it("shows the related-to choice as a button until the rep opens it, then as the options with the rule's choice preselected", () => {
    const asked: string[] = [];
    const control = createComposeControl(document, {
      toggle: () => {},
      openRelated: () => asked.push('open'),
      pickRelated: (whatId) => asked.push(`pick ${whatId}`),
    });
    const root = control.host.shadowRoot as ShadowRoot;
    const shown = () => root.querySelector('.rel:not([hidden]), select:not([hidden])');
    control.render(state({ preview: matched(0) }));
    expect(shown()).toBeNull();
    control.render(state({ preview: matched(1) }));
    const opener = shown() as HTMLButtonElement;
    expect(opener.textContent).toBe('Related to');
    // A click the page made up asks Salesforce nothing.
    opener.click();
    expect(asked).toEqual([]);
    control.render(state({ preview: matched(1), related: null }));
    expect(shown()).toBe(opener);
    const related = {
      options: [
        { id: '001000000000001AAA', type: 'Account' as const, name: 'Globex' },
        { id: '006000000000001AAA', type: 'Opportunity' as const, name: 'Globex renewal' },
      ],
      preselected: '006000000000001AAA',
    };
    control.render(state({ preview: matched(1), related }));
    const select = shown() as HTMLSelectElement;
    expect(select.tagName).toBe('SELECT');
    expect([...select.options].map((o) => o.text)).toEqual([
      'As my settings relate it',
      'Globex (Account)',
      'Globex renewal (Opportunity)',
    ]);
    // What the options show goes with the email: at first the rule's choice.
    expect(select.value).toBe('006000000000001AAA');
    expect(asked).toEqual(['pick 006000000000001AAA']);
    // Kept while the rep uses it (the compose re-renders on every change of the page).
    select.value = '001000000000001AAA';
    control.render(state({ preview: matched(1), related, whatId: '006000000000001AAA' }));
    expect(shown()).toBe(select);
    // A change the page made up picks nothing.
    select.dispatchEvent(new Event('change'));
    expect(asked).toEqual(['pick 006000000000001AAA']);
    // Switched off: no choice shown.
    control.render(state({ on: false, preview: matched(1), related }));
    expect(shown()).toBeNull();
  });

  it("shows a pick made earlier (a reopened draft) when it is among the options, else the rule's choice", () => {
    const picks: Array<string | undefined> = [];
    const control = createComposeControl(document, { toggle: () => {}, openRelated: () => {}, pickRelated: (id) => picks.push(id) });
    const options = [{ id: '001000000000001AAA', type: 'Account' as const, name: 'Globex' }];
    control.render(state({ preview: matched(1), related: { options, preselected: '' }, whatId: '001000000000001AAA' }));
    expect(control.host.shadowRoot?.querySelector('select')?.value).toBe('001000000000001AAA');
    control.render(state({ preview: matched(1), related: { options, preselected: '' }, whatId: '006000000000009AAA' }));
    expect(control.host.shadowRoot?.querySelector('select')?.value).toBe('');
    expect(picks).toEqual(['001000000000001AAA', undefined]);
  });

  it('speaks Japanese', async () => {
    await useLocale('ja');
    expect(previewSentence(state({ preview: { mode: 'api', willLog: false, reason: 'neverLog' } }))).toBe(
      '記録しません: 宛先に記録しないリストのアドレスが含まれています。',
    );
  });
});

describe('the worker preview of a compose', () => {
  const settings = { emailLogging: 'api' as const, internalDomains: ['acme.com'], neverLog: [], loggedMailboxes: [], bccAddress: '' };
  const to = [{ email: 'buyer@customer.com' }];

  it('answers a structured value for each case', () => {
    expect(previewCompose(to, 'rep@acme.com', true, settings)).toEqual({ mode: 'api', willLog: true });
    expect(previewCompose(to, 'rep@acme.com', false, settings)).toEqual({ mode: 'api', willLog: false, reason: 'turnedOff' });
    expect(previewCompose(to, 'rep@acme.com', true, { ...settings, emailLogging: 'off' })).toEqual({
      mode: 'off',
      willLog: false,
      reason: 'off',
    });
    expect(previewCompose([{ email: 'a@acme.com' }], 'rep@acme.com', true, settings)).toMatchObject({ reason: 'internalOnly' });
    expect(previewCompose(to, 'rep@acme.com', true, { ...settings, emailLogging: 'bcc' })).toEqual({
      mode: 'bcc',
      willLog: false,
      reason: 'noBccAddress',
    });
  });
});
