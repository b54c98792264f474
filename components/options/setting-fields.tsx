/**
 * The controls of components/options/controls.tsx bound to one setting each: they show the
 * saved value, save every change at once through the settings store, and show the worker's
 * reason next to the field when it refuses one.
 */
import { type ReactNode, useLayoutEffect, useState } from 'react';
import type { SettingKey, Settings } from '@/lib/settings';
import { CheckboxControl, ListControl, RadioGroupControl, SelectControl, TextControl } from './controls';
import { type ChoiceKey, choiceLabel, choicesOf, fieldErrorMessage, settingLabel } from './setting-text';
import { useSettingsStore } from './settings-store';

type KeyOf<T> = { [K in SettingKey]: Settings[K] extends T ? K : never }[SettingKey];
type FlagKey = KeyOf<boolean>;
type TextKey = KeyOf<string> & Exclude<SettingKey, ChoiceKey>;
type NumberKey = KeyOf<number>;
type ListKey = KeyOf<string[]>;

interface Common {
  /** Defaults to the setting's own label. */
  label?: string;
  hint?: ReactNode;
}

/** What every bound control needs from the store for its key. */
function useSetting<K extends SettingKey>(key: K) {
  const value = useSettingsStore((s) => s.view?.values[key]) as Settings[K];
  const locked = useSettingsStore((s) => s.view?.locked.includes(key) ?? false);
  const error = useSettingsStore((s) => s.errors[key]);
  const busy = useSettingsStore((s) => s.saving.has(key));
  const saved = useSettingsStore((s) => s.lastSaved === key && !s.saving.has(key));
  const change = useSettingsStore((s) => s.change);
  /** The saved value after a change (the worker normalises: trims, lower-cases lists). */
  const current = () => useSettingsStore.getState().view?.values[key] as Settings[K];
  return { value, locked, error, busy, saved, current, save: (next: unknown) => change(key, next) };
}

export function SettingSelect<K extends ChoiceKey>({ setting, label, hint }: Common & { setting: K }) {
  const { value, locked, error, busy, saved, save } = useSetting(setting);
  return (
    <SelectControl
      label={label ?? settingLabel(setting)}
      hint={hint}
      value={value as string}
      choices={choicesOf(setting).map((choice) => ({ value: choice as string, label: choiceLabel(setting, choice) }))}
      locked={locked}
      busy={busy}
      saved={saved}
      error={error ? fieldErrorMessage(setting, error) : null}
      onChange={(next) => void save(next)}
    />
  );
}

export function SettingRadios<K extends ChoiceKey>({ setting, label, hint }: Common & { setting: K }) {
  const { value, locked, error, saved, save } = useSetting(setting);
  return (
    <RadioGroupControl
      label={label ?? settingLabel(setting)}
      hint={hint}
      value={value as string}
      choices={choicesOf(setting).map((choice) => ({ value: choice as string, label: choiceLabel(setting, choice) }))}
      locked={locked}
      saved={saved}
      error={error ? fieldErrorMessage(setting, error) : null}
      onChange={(next) => void save(next)}
    />
  );
}

/** A yes/no setting shown as two radio buttons, when both answers need words. */
export function SettingFlagRadios({ setting, label, hint, yes, no }: Common & { setting: FlagKey; yes: string; no: string }) {
  const { value, locked, error, saved, save } = useSetting(setting);
  return (
    <RadioGroupControl
      label={label ?? settingLabel(setting)}
      hint={hint}
      value={value ? 'yes' : 'no'}
      choices={[
        { value: 'yes', label: yes },
        { value: 'no', label: no },
      ]}
      locked={locked}
      saved={saved}
      error={error ? fieldErrorMessage(setting, error) : null}
      onChange={(next) => void save(next === 'yes')}
    />
  );
}

export function SettingCheckbox({ setting, label, hint }: Common & { setting: FlagKey }) {
  const { value, locked, error, saved, save } = useSetting(setting);
  return (
    <CheckboxControl
      label={label ?? settingLabel(setting)}
      hint={hint}
      checked={value}
      locked={locked}
      saved={saved}
      error={error ? fieldErrorMessage(setting, error) : null}
      onChange={(next) => void save(next)}
    />
  );
}

/**
 * Keeps what the rep types apart from the saved value: a refused value stays in the field to be
 * corrected, and a saved (normalised) value replaces the draft.
 */
function useDraft(saved: string): [string, (text: string) => void] {
  const [draft, setDraft] = useState(saved);
  // Before the browser paints: Preact runs a passive effect a frame later, when the rep may
  // already be typing into the field, and the saved value would overwrite what they typed.
  useLayoutEffect(() => setDraft(saved), [saved]);
  return [draft, setDraft];
}

export function SettingText({
  setting,
  label,
  hint,
  placeholder,
  preview,
}: Common & { setting: TextKey; placeholder?: string; preview?: (draft: string) => ReactNode }) {
  const { value, locked, error, saved, save, current } = useSetting(setting);
  const [draft, setDraft] = useDraft(value);
  return (
    <TextControl
      label={label ?? settingLabel(setting)}
      hint={hint}
      placeholder={placeholder}
      draft={draft}
      onDraft={setDraft}
      onCommit={() => {
        if (draft !== value || error) void save(draft).then((ok) => ok && setDraft(current()));
      }}
      locked={locked}
      saved={saved}
      error={error ? fieldErrorMessage(setting, error) : null}
    >
      {preview?.(draft)}
    </TextControl>
  );
}

/** Digits become a number; anything else goes to the worker as typed, which refuses it with a reason. */
export const parseWholeNumber = (text: string): number | string => (/^\s*\d+\s*$/.test(text) ? Number(text) : text);

export function SettingNumber({ setting, label, hint, suffix }: Common & { setting: NumberKey; suffix?: string }) {
  const { value, locked, error, saved, save, current } = useSetting(setting);
  const [draft, setDraft] = useDraft(String(value));
  return (
    <TextControl
      label={label ?? settingLabel(setting)}
      hint={hint}
      inputMode="numeric"
      width="short"
      suffix={suffix}
      draft={draft}
      onDraft={setDraft}
      onCommit={() => {
        if (draft !== String(value) || error) void save(parseWholeNumber(draft)).then((ok) => ok && setDraft(String(current())));
      }}
      locked={locked}
      saved={saved}
      error={error ? fieldErrorMessage(setting, error) : null}
    />
  );
}

/** Entries are separated by new lines (or commas, as people paste them from a mail client). */
export const splitEntries = (text: string): string[] =>
  text
    .split(/[\n,;]+/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');

export function SettingList({ setting, label, hint, placeholder }: Common & { setting: ListKey; placeholder?: string }) {
  const { value, locked, error, saved, save, current } = useSetting(setting);
  const [draft, setDraft] = useDraft(value.join('\n'));
  const entries = splitEntries(draft);
  return (
    <ListControl
      label={label ?? settingLabel(setting)}
      hint={hint}
      placeholder={placeholder}
      draft={draft}
      onDraft={setDraft}
      onCommit={() => {
        if (entries.join('\n') !== value.join('\n') || error) void save(entries).then((ok) => ok && setDraft(current().join('\n')));
        // Show the normalised list even when nothing changed (blank lines, spaces).
        else setDraft(value.join('\n'));
      }}
      locked={locked}
      saved={saved}
      error={error ? fieldErrorMessage(setting, error, entries) : null}
    />
  );
}
