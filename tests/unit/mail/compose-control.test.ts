// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { type ComposeControlState, createComposeControl, previewSentence, previewWords } from '@/lib/mail/compose-control';
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
    const control = createComposeControl(document, (on) => toggled.push(on));
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
