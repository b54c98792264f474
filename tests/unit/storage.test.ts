import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { storage } from '@/lib/storage';

describe('extension storage', () => {
  it('gives an item its fallback until a value is stored, and a null value removes the key', async () => {
    const item = storage.defineItem<{ n: number } | null>('local:thing', { fallback: null });
    expect(await item.getValue()).toBeNull();
    await item.setValue({ n: 1 });
    expect(await fakeBrowser.storage.local.get('thing')).toEqual({ thing: { n: 1 } });
    expect(await item.getValue()).toEqual({ n: 1 });
    await item.setValue(null);
    expect(await fakeBrowser.storage.local.get()).toEqual({});
    await item.setValue({ n: 2 });
    await item.removeValue();
    expect(await storage.getItem('local:thing')).toBeNull();
    const counted = storage.defineItem<number>('session:count', { fallback: 0 });
    expect(await counted.getValue()).toBe(0);
  });

  it('reads a whole area without the area name in the keys', async () => {
    await fakeBrowser.storage.sync.set({ a: 1, b: [2] });
    expect(await storage.snapshot('sync')).toEqual({ a: 1, b: [2] });
    expect(await storage.snapshot('local')).toEqual({});
  });

  it('reports changes of one key with the previous value, skips equal rewrites and stops when asked', async () => {
    const seen: Array<[unknown, unknown]> = [];
    const stop = storage.watch<{ list: number[] }>('local:watched', (value, previous) => seen.push([value, previous]));
    await fakeBrowser.storage.local.set({ watched: { list: [1] } });
    await fakeBrowser.storage.local.set({ other: 1 });
    // Rewriting an equal value is no change, as for WXT's storage.
    await fakeBrowser.storage.local.set({ watched: { list: [1] } });
    await fakeBrowser.storage.local.set({ watched: { list: [1, 2] } });
    await fakeBrowser.storage.local.remove('watched');
    stop();
    await fakeBrowser.storage.local.set({ watched: { list: [3] } });
    expect(seen).toEqual([
      [{ list: [1] }, null],
      [{ list: [1, 2] }, { list: [1] }],
      [null, { list: [1, 2] }],
    ]);
  });
});
