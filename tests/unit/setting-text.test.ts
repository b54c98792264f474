import { join } from 'node:path';
import { parseMessagesFile } from '@wxt-dev/i18n/build';
import { describe, expect, it } from 'vitest';
import { type ChoiceKey, choiceLabel, choicesOf, describeValue, firstBadEntry, settingLabel } from '@/components/options/setting-text';
import { applySubjectTemplate, SETTING_KEYS, SETTINGS } from '@/lib/settings';
import { useLocale } from './support/locale';

const choiceKeys = SETTING_KEYS.filter((key): key is ChoiceKey => 'choices' in SETTINGS[key]);

describe('the words for each setting', () => {
  it.each(['en', 'ja'] as const)('names every setting and every choice in %s', async (locale) => {
    await useLocale(locale);
    for (const key of SETTING_KEYS) expect(settingLabel(key), key).not.toBe('');
    for (const key of choiceKeys) {
      const labels = choicesOf(key).map((value) => choiceLabel(key, value));
      expect(
        labels.every((label) => label !== ''),
        key,
      ).toBe(true);
      expect(new Set(labels).size, `${key} has two choices with one label`).toBe(labels.length);
    }
  });

  it('has every English message in Japanese too, and no other', async () => {
    const keysOf = async (locale: string) =>
      (await parseMessagesFile(join(process.cwd(), 'locales', `${locale}.yml`))).map((m) => m.key.join('.')).sort();
    expect(await keysOf('ja')).toEqual(await keysOf('en'));
  });

  it('describes values for the admin summary', () => {
    expect(describeValue('taskSync', 'twoWay')).toBe('Two-way sync with my Salesforce tasks');
    expect(describeValue('logToLeads', false)).toBe('Off');
    expect(describeValue('logBody', false)).toBe('Headers only (subject, sender, recipients and date)');
    expect(describeValue('neverLog', ['a@b.co', 'c.org'])).toBe('a@b.co, c.org');
    expect(describeValue('neverLog', [])).toBe('(none)');
    expect(describeValue('undoSendSeconds', 10)).toBe('10');
  });

  it('names the entry that made a list invalid', () => {
    expect(firstBadEntry('internalDomains', ['acme.com', ' not a domain ', 'x'])).toBe('not a domain');
    expect(firstBadEntry('loggedMailboxes', ['me@acme.com'])).toBeNull();
  });
});

describe('the subject template', () => {
  const fields = { activity_type: 'Email', activity_subject: 'Quarterly review' };

  it('fills in both fields, spaces allowed inside the braces', () => {
    expect(applySubjectTemplate('Email: {{activity_subject}}', fields)).toBe('Email: Quarterly review');
    expect(applySubjectTemplate('{{ activity_type }} - {{activity_subject}}', fields)).toBe('Email - Quarterly review');
  });

  it('keeps the subject on one line', () => {
    expect(applySubjectTemplate('{{activity_subject}}', { ...fields, activity_subject: 'Re: offer\r\n  and terms\n' })).toBe(
      'Re: offer and terms',
    );
  });

  it('cuts to 255 characters without splitting a character in two', () => {
    expect(applySubjectTemplate('{{activity_subject}}', { ...fields, activity_subject: 'x'.repeat(300) })).toHaveLength(255);
    const emoji = applySubjectTemplate('{{activity_subject}}', { ...fields, activity_subject: `${'x'.repeat(254)}😀` });
    expect(emoji).toBe('x'.repeat(254));
  });

  it('does not treat the subject as a template', () => {
    expect(applySubjectTemplate('{{activity_subject}}', { ...fields, activity_subject: 'About {{activity_type}}' })).toBe(
      'About {{activity_type}}',
    );
  });
});
