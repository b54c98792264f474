import { describe, expect, it } from 'vitest';
import { type ComposeControlState, previewSentence } from '@/lib/mail/compose-control';
import { previewCompose } from '@/lib/mail/compose-preview';
import { useLocale } from '../support/locale';

const state = (over: Partial<ComposeControlState>): ComposeControlState => ({ mode: 'api', on: true, preview: null, ...over });

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
