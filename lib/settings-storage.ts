/**
 * Where the rep's own settings are kept: `storage.sync`, one item per setting, so that they follow
 * the rep to their other browsers within the browsers' per-item and total limits
 * (docs/exactly-once.md, "Settings storage"):
 *
 *   settings.<key>        the value; for a list, `{ chunks: n }` (no setting's value is an object)
 *   settings.<key>.<n>    chunk n of a list, each small enough for one sync item
 *
 * Lists stay in sync storage rather than storage.local because a never-log list that silently
 * differed between the rep's devices would log email the rep excluded elsewhere. What does not
 * fit in the total is refused with `StorageFullError`, never dropped.
 *
 * Installs from before this layout hold every choice in one `settings` item; it is still read
 * (the per-setting items win over it) and is folded into the new items on the first change.
 */
import { browser } from 'wxt/browser';
import { storage } from './storage';

/** The one item older installs kept every choice in. */
const LEGACY_KEY = 'settings';
const PREFIX = 'settings.';

/** Chrome's and Firefox's storage.sync QUOTA_BYTES_PER_ITEM: key plus JSON value, in UTF-8 bytes. */
export const SYNC_ITEM_BYTES = 8192;

const encoder = new TextEncoder();
const bytes = (s: string) => encoder.encode(s).length;

/**
 * The browser refused to store the change (a sync quota: size, item count or writes a minute);
 * nothing of the change was kept. Chrome and Firefox both name a quota in the message.
 */
export class StorageFullError extends Error {}

const isQuotaError = (error: unknown) => /quota/i.test(error instanceof Error ? error.message : String(error));

type Stored = Record<string, unknown>;

/** The rep's raw choices, unchecked: legacy item first, per-setting items over it. */
export async function readUserSettings(): Promise<Stored> {
  const all = await storage.snapshot('sync');
  const legacy = all[LEGACY_KEY];
  const out: Stored = legacy !== null && typeof legacy === 'object' && !Array.isArray(legacy) ? { ...legacy } : {};
  for (const [item, value] of Object.entries(all)) {
    if (!item.startsWith(PREFIX)) continue;
    const key = item.slice(PREFIX.length);
    if (key.includes('.')) continue; // a chunk, read through its head below
    const count = chunkCount(value);
    if (count === null) {
      out[key] = value;
      continue;
    }
    const joined = joinChunks(all, item, count);
    if (joined) out[key] = joined;
  }
  return out;
}

/** A list's head item: how many chunks follow it. */
const chunkCount = (head: unknown): number | null => {
  if (head === null || typeof head !== 'object' || Array.isArray(head)) return null;
  const chunks = (head as { chunks?: unknown }).chunks;
  return typeof chunks === 'number' && Number.isInteger(chunks) && chunks >= 0 ? chunks : null;
};

/**
 * A list put back together, or undefined while one of its chunks is missing. One `set()` reaches
 * another device as one batch of changes, so this is not expected; should it happen, the list
 * reads as not set by the rep until the rest arrives and the watcher reloads.
 */
function joinChunks(all: Stored, head: string, count: number): unknown[] | undefined {
  const values: unknown[] = [];
  for (let n = 0; n < count; n++) {
    const chunk = all[`${head}.${n}`];
    if (!Array.isArray(chunk)) return undefined;
    values.push(...chunk);
  }
  return values;
}

/** Splits a list into the fewest chunks that each fit one sync item, in order (docs/exactly-once.md). */
export function chunkList(head: string, values: readonly unknown[]): unknown[][] {
  const chunks: unknown[][] = [];
  let current: unknown[] = [];
  // `head.NN` plus the brackets of an empty array; each entry adds its JSON and a comma.
  const empty = bytes(`${head}.${String(values.length)}`) + 2;
  let size = empty;
  for (const value of values) {
    const entry = bytes(JSON.stringify(value));
    if (current.length > 0 && size + 1 + entry > SYNC_ITEM_BYTES) {
      chunks.push(current);
      current = [];
      size = empty;
    }
    size += (current.length > 0 ? 1 : 0) + entry;
    current.push(value);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * Stores the given choices (each key fully replaced) in one write, so the browser takes all or
 * none of it, then removes what the new layout no longer uses. `keepValid` filters the older
 * single item's choices before they are moved.
 */
export async function writeUserSettings(changes: Stored, keepValid: (stored: Stored) => Stored): Promise<void> {
  const all = await storage.snapshot('sync');
  const items: Stored = {};
  const stale = new Set<string>();
  const hasLegacy = Object.hasOwn(all, LEGACY_KEY);
  // First change after the single-item layout: move every older choice that is still valid into its own item too.
  const values = hasLegacy ? { ...keepValid(await readUserSettings()), ...changes } : changes;
  for (const [key, value] of Object.entries(values)) {
    const head = `${PREFIX}${key}`;
    const oldCount = chunkCount(all[head]) ?? 0;
    let newCount = 0;
    if (Array.isArray(value)) {
      const chunks = chunkList(head, value);
      newCount = chunks.length;
      items[head] = { chunks: newCount };
      chunks.forEach((chunk, n) => {
        items[`${head}.${n}`] = chunk;
      });
    } else {
      items[head] = value;
    }
    for (let n = newCount; n < oldCount; n++) stale.add(`${head}.${n}`);
  }
  if (hasLegacy) stale.add(LEGACY_KEY);
  try {
    await browser.storage.sync.set(items);
  } catch (error) {
    if (isQuotaError(error)) throw new StorageFullError(error instanceof Error ? error.message : String(error));
    throw error;
  }
  // Readers only look at the chunks a head counts, so a failure here leaves nothing wrong, only unused.
  if (stale.size > 0) await browser.storage.sync.remove([...stale]);
}

/** Calls back whenever any of the rep's stored choices change (here or from another device). */
export function watchUserSettings(onChange: () => void): () => void {
  const listener = (changes: Record<string, unknown>, area: string) => {
    if (area === 'sync' && Object.keys(changes).some((key) => key === LEGACY_KEY || key.startsWith(PREFIX))) onChange();
  };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}
