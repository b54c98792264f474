/**
 * The options page's view of the settings. It never reads storage itself: it asks the worker
 * (`settings/get`), sends each change at once (`settings/change`), and keeps the worker's
 * refusal next to the field. A refused value is not saved anywhere; the field keeps what the
 * rep typed so they can correct it.
 */
import { create } from 'zustand';
import { type ExtensionError, MessageError, type SettingsView } from '@/lib/messages';
import type { SettingKey, SettingProblem, Settings } from '@/lib/settings';
import { askWorker } from '../worker';

/** Why a field's last change was not saved. */
export type FieldError =
  | { kind: 'invalid'; problem: SettingProblem }
  | { kind: 'locked' }
  | { kind: 'failed'; error: ExtensionError['kind'] };

export interface SettingsState {
  status: 'loading' | 'ready' | 'failed';
  view: SettingsView | null;
  errors: Partial<Record<SettingKey, FieldError>>;
  /** Keys with a change on its way to the worker. */
  saving: ReadonlySet<SettingKey>;
  /** The field saved last, for the "Saved" note next to it. */
  lastSaved: SettingKey | null;
  load(): Promise<void>;
  /** Saves one setting; resolves true when the worker stored it. */
  change(key: SettingKey, value: unknown): Promise<boolean>;
}

const errorKindOf = (error: unknown): ExtensionError['kind'] => (error instanceof MessageError ? error.error.kind : 'internal');

// Changes go to the worker one after another, so the last one the rep made is the one that stays.
let queue: Promise<unknown> = Promise.resolve();

export const useSettingsStore = create<SettingsState>()((set, get) => ({
  status: 'loading',
  view: null,
  errors: {},
  saving: new Set(),
  lastSaved: null,

  async load() {
    if (!get().view) set({ status: 'loading' });
    try {
      const view = await askWorker('settings/get', {});
      set({ status: 'ready', view });
    } catch {
      // A page that already shows settings keeps them; a first load that fails offers a retry.
      set({ status: get().view ? 'ready' : 'failed' });
    }
  },

  change(key, value) {
    set((s) => ({ saving: new Set(s.saving).add(key), lastSaved: s.lastSaved === key ? null : s.lastSaved }));
    const attempt = queue.then(async () => {
      try {
        const view = await askWorker('settings/change', { changes: { [key]: value } });
        set((s) => ({ view, errors: withoutKey(s.errors, key), lastSaved: key }));
        return true;
      } catch (error) {
        const fieldError = fieldErrorOf(error);
        set((s) => ({ errors: { ...s.errors, [key]: fieldError } }));
        // An administrator may have locked the setting since the page opened: show it as locked.
        if (fieldError.kind === 'locked') await get().load();
        return false;
      } finally {
        set((s) => {
          const saving = new Set(s.saving);
          saving.delete(key);
          return { saving };
        });
      }
    });
    queue = attempt;
    return attempt;
  },
}));

function fieldErrorOf(error: unknown): FieldError {
  if (error instanceof MessageError) {
    if (error.error.kind === 'settingLocked') return { kind: 'locked' };
    if (error.error.kind === 'settingInvalid' && error.error.problem) return { kind: 'invalid', problem: error.error.problem };
  }
  return { kind: 'failed', error: errorKindOf(error) };
}

function withoutKey<T extends object>(record: T, key: PropertyKey): T {
  const copy = { ...record };
  delete copy[key as keyof T];
  return copy;
}

/** The settings as last saved, for components below the tab's loading gate. */
export function useSettingValue<K extends SettingKey>(key: K): Settings[K] {
  const view = useSettingsStore((s) => s.view);
  if (!view) throw new Error('settings are read before they loaded');
  return view.values[key];
}

export function useSettingLocked(key: SettingKey): boolean {
  return useSettingsStore((s) => s.view?.locked.includes(key) ?? false);
}
