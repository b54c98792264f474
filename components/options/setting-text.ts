/**
 * The words for each setting: its label, its choices, and why a value was refused. One place,
 * so the cards, the "Admin settings" view and the error notes always say the same thing.
 */
import { i18n } from '#i18n';
import { SETTINGS, type SettingKey, type SettingProblem, type Settings } from '@/lib/settings';
import type { FieldError } from './settings-store';

/** Messages that name the template fields show them as typed: {{activity_subject}}. */
export const TEMPLATE_FIELD_NAMES = { activity_type: '{{activity_type}}', activity_subject: '{{activity_subject}}' };

export const settingLabel = (key: SettingKey): string => i18n.t(`settings.${key}.label`);

/** Settings whose value is one of a fixed list. */
export type ChoiceKey = {
  [K in SettingKey]: (typeof SETTINGS)[K] extends { choices: readonly string[] } ? K : never;
}[SettingKey];

export function choicesOf<K extends ChoiceKey>(key: K): readonly Settings[K][] {
  return SETTINGS[key].choices as unknown as readonly Settings[K][];
}

export function choiceLabel<K extends ChoiceKey>(key: K, value: Settings[K]): string {
  // The keys exist for every choice: tests/unit/setting-text.test.ts checks both languages.
  return i18n.t(`settings.${key}.choice.${value}` as Parameters<typeof i18n.t>[0] & `settings.${string}`);
}

/** How a value reads in a summary ("Admin settings"), in the rep's language. */
export function describeValue(key: SettingKey, value: unknown): string {
  const definition = SETTINGS[key];
  if ('choices' in definition) return choiceLabel(key as ChoiceKey, value as never);
  if (key === 'logBody')
    return value ? i18n.t('options.emailLogging.logBody.withBody') : i18n.t('options.emailLogging.logBody.headersOnly');
  if (typeof value === 'boolean') return value ? i18n.t('options.controls.on') : i18n.t('options.controls.off');
  if (Array.isArray(value)) return value.length ? value.join(', ') : i18n.t('options.controls.emptyList');
  if (value === '') return i18n.t('options.controls.emptyText');
  return String(value);
}

/** Lists are refused whole; find the entry that made the worker refuse, to name it. */
export function firstBadEntry(key: SettingKey, entries: readonly string[]): string | null {
  const definition = SETTINGS[key];
  for (const entry of entries) {
    if (!definition.parse([entry]).ok) return entry.trim();
  }
  return null;
}

function problemMessage(key: SettingKey, problem: SettingProblem, entries: readonly string[]): string {
  const definition = SETTINGS[key];
  const entry = () => firstBadEntry(key, entries) ?? '';
  switch (problem) {
    case 'required':
      return i18n.t('options.errors.required');
    case 'notAChoice':
      return i18n.t('options.errors.notAChoice');
    case 'wrongType':
    case 'outOfRange':
      return 'min' in definition
        ? i18n.t('options.errors.wholeNumber', [String(definition.min), String(definition.max)])
        : i18n.t('options.errors.wrongType');
    case 'tooLong':
      if (Array.isArray(definition.default)) return i18n.t('options.errors.tooManyEntries');
      return i18n.t('options.errors.tooLong');
    case 'badEmail':
      return key === 'bccAddress' ? i18n.t('options.errors.badEmailToSalesforce') : i18n.t('options.errors.badEmail', [entry()]);
    case 'badDomain':
      return i18n.t('options.errors.badDomain', [entry()]);
    case 'badAddressOrDomain':
      return i18n.t('options.errors.badAddressOrDomain', [entry()]);
    case 'badTemplate':
      return i18n.t('options.errors.badTemplate', TEMPLATE_FIELD_NAMES);
    case 'badUrl':
      return i18n.t('options.errors.badUrl');
  }
}

/** The sentence shown next to a field whose change was not saved. */
export function fieldErrorMessage(key: SettingKey, error: FieldError, entries: readonly string[] = []): string {
  switch (error.kind) {
    case 'invalid':
      return problemMessage(key, error.problem, entries);
    case 'locked':
      return i18n.t('errors.settingLocked');
    case 'failed':
      if (error.error === 'settingsStorageFull') return i18n.t('errors.settingsStorageFull');
      return error.error === 'internal' ? i18n.t('errors.internal') : i18n.t('options.errors.notSaved');
  }
}
