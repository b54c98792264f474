/**
 * Makes the fake browser's storage.sync refuse writes the way Chrome does past its quotas
 * (docs/exactly-once.md, "Settings storage"): an item's size is its key plus its JSON value in
 * UTF-8 bytes; a refused write stores nothing and rejects with the message Chromium 156 gives. A spy, so the
 * test config's restoreMocks gives the next test the plain fake again.
 */
import { vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';

export const CHROME_SYNC_QUOTA = { bytesPerItem: 8192, bytes: 102_400, maxItems: 512 };

const encoder = new TextEncoder();
const itemBytes = (key: string, value: unknown) => encoder.encode(key).length + encoder.encode(JSON.stringify(value)).length;

export function enforceChromeSyncQuota(quota = CHROME_SYNC_QUOTA): void {
  const sync = fakeBrowser.storage.sync;
  const set = sync.set.bind(sync);
  vi.spyOn(sync, 'set').mockImplementation(async (items: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(items)) {
      if (itemBytes(key, value) > quota.bytesPerItem) throw new Error('Resource::kQuotaBytesPerItem quota exceeded');
    }
    const after = { ...(await sync.get(null)), ...items };
    if (Object.keys(after).length > quota.maxItems) throw new Error('Resource::kMaxItems quota exceeded');
    const total = Object.entries(after).reduce((sum, [key, value]) => sum + itemBytes(key, value), 0);
    if (total > quota.bytes) throw new Error('Resource::kQuotaBytes quota exceeded');
    await set(items);
  });
}
