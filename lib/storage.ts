/**
 * The part of WXT's storage API (`wxt/utils/storage`, the @wxt-dev/storage package) the extension
 * uses, with the same names and behaviour, on `browser.storage` directly: items with a fallback,
 * one key read and watched, a whole area read at once. The package also carries versioned items
 * with migrations, metadata, batch calls and a lock, none of them used here, and costs 8.5 KB of
 * the worker's bundle, which every worker start reads (docs/performance.md).
 */
import { browser } from 'wxt/browser';

export type StorageAreaName = 'local' | 'session' | 'sync' | 'managed';
export type StorageKey = `${StorageAreaName}:${string}`;

export interface StorageItem<T> {
  readonly key: StorageKey;
  /** The stored value, or the fallback when there is none. */
  getValue(): Promise<T>;
  /** Stores `value`; null or undefined removes the key. */
  setValue(value: T): Promise<void>;
  removeValue(): Promise<void>;
}

/** The area, looked up at each use as WXT does (tests replace the browser's storage between runs). */
function area(name: StorageAreaName) {
  return browser.storage[name];
}

/** "local:key" -> the local area and "key". */
function split(key: StorageKey) {
  const at = key.indexOf(':');
  return { area: key.slice(0, at) as StorageAreaName, name: key.slice(at + 1) };
}

/** Deep equality of stored (JSON-like) values: a change to an equal value is no change. */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(a);
  const other = b as Record<string, unknown>;
  return (
    keys.length === Object.keys(b).length &&
    keys.every((key) => Object.hasOwn(other, key) && same((a as Record<string, unknown>)[key], other[key]))
  );
}

async function getItem<T>(key: StorageKey): Promise<T | null> {
  const { area: from, name } = split(key);
  return ((await area(from).get(name))[name] as T | undefined) ?? null;
}

export const storage = {
  /** The value at `key`, or null. */
  getItem,

  /** Everything stored in one area, by key. */
  async snapshot(name: StorageAreaName): Promise<Record<string, unknown>> {
    return area(name).get();
  },

  /**
   * Calls `callback` with the new and the previous value (null for none) each time the value
   * at `key` changes. Returns the function that stops watching.
   */
  watch<T>(key: StorageKey, callback: (value: T | null, previous: T | null) => void): () => void {
    const { area: from, name } = split(key);
    const changed = area(from).onChanged;
    const listener = (changes: Record<string, { newValue?: unknown; oldValue?: unknown }>) => {
      const change = changes[name];
      if (change === undefined || same(change.newValue, change.oldValue)) return;
      callback((change.newValue ?? null) as T | null, (change.oldValue ?? null) as T | null);
    };
    changed.addListener(listener);
    return () => changed.removeListener(listener);
  },

  defineItem<T>(key: StorageKey, options: { fallback: T }): StorageItem<T> {
    const { area: of, name } = split(key);
    return {
      key,
      getValue: async () => (await getItem<T>(key)) ?? options.fallback,
      setValue: (value) => (value == null ? area(of).remove(name) : area(of).set({ [name]: value })),
      removeValue: () => area(of).remove(name),
    };
  },
};
