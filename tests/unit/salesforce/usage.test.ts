import { describe, expect, it } from 'vitest';
import {
  countCall,
  emptyUsage,
  LIMIT_PAUSE_MS,
  localDay,
  mayCall,
  noteLimitExceeded,
  noteOrgUsage,
  ORG_USAGE_FRESH_MS,
  parseLimitInfo,
  readUsage,
  updateUsage,
} from '@/lib/salesforce/usage';

const NOON = new Date(2026, 10, 28, 12, 0, 0).getTime();

describe("reading the org's usage header", () => {
  it('reads api-usage among other limits', () => {
    expect(parseLimitInfo('api-usage=25/15000')).toEqual({ used: 25, max: 15000 });
    expect(parseLimitInfo('per-app-api-usage=3/500(appName=x), api-usage=4120/100000')).toEqual({ used: 4120, max: 100000 });
  });

  it('ignores a missing or odd header', () => {
    expect(parseLimitInfo(undefined)).toBeNull();
    expect(parseLimitInfo('api-usage=5/0')).toBeNull();
    expect(parseLimitInfo('nonsense')).toBeNull();
  });
});

describe('counting calls', () => {
  it('counts by purpose and starts again on a new day', () => {
    let record = emptyUsage(NOON);
    record = countCall(record, 'match', NOON);
    record = countCall(record, 'match', NOON);
    record = countCall(record, 'log', NOON);
    expect(record.calls).toEqual({ match: 2, log: 1, sync: 0, connect: 0 });
    const tomorrow = NOON + 24 * 60 * 60_000;
    const next = countCall(noteOrgUsage(record, { used: 10, max: 100 }, NOON), 'sync', tomorrow);
    expect(next.day).toBe(localDay(tomorrow));
    expect(next.calls).toEqual({ match: 0, log: 0, sync: 1, connect: 0 });
    // The org's count is a rolling 24 hours: it is not reset at midnight.
    expect(next.org).toEqual({ used: 10, max: 100, at: NOON });
  });

  it('persists counts from concurrent calls without losing any', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => updateUsage((r) => countCall(r, i % 2 ? 'log' : 'sync', NOON), NOON)));
    expect((await readUsage(NOON)).calls).toEqual({ match: 0, log: 10, sync: 10, connect: 0 });
  });
});

describe('backing off', () => {
  const withOrg = (used: number, max = 1000) => noteOrgUsage(emptyUsage(NOON), { used, max }, NOON);

  it('lets everything through well below the limit', () => {
    for (const purpose of ['match', 'log', 'sync', 'connect'] as const) expect(mayCall(withOrg(500), purpose, NOON)).toEqual({ go: true });
  });

  it('holds task sync near the limit, but still logs the email the rep sent', () => {
    const record = withOrg(920);
    expect(mayCall(record, 'sync', NOON)).toEqual({ go: false, retryAt: NOON + ORG_USAGE_FRESH_MS, reason: 'nearLimit' });
    expect(mayCall(record, 'match', NOON).go).toBe(true);
    expect(mayCall(record, 'log', NOON).go).toBe(true);
  });

  it('holds all background work at the very edge, but lets the rep connect', () => {
    const record = withOrg(985);
    expect(mayCall(record, 'log', NOON).go).toBe(false);
    expect(mayCall(record, 'connect', NOON).go).toBe(true);
  });

  it('lets one call through once the reading is old, to read a fresh one', () => {
    expect(mayCall(withOrg(999), 'sync', NOON + ORG_USAGE_FRESH_MS + 1).go).toBe(true);
  });

  it('pauses after REQUEST_LIMIT_EXCEEDED and resumes when an answer shows room again', () => {
    const paused = noteLimitExceeded(withOrg(1000), NOON);
    expect(mayCall(paused, 'log', NOON + 1)).toEqual({ go: false, retryAt: NOON + LIMIT_PAUSE_MS, reason: 'paused' });
    expect(mayCall(paused, 'log', NOON + LIMIT_PAUSE_MS + 1).go).toBe(true);
    expect(noteOrgUsage(paused, { used: 400, max: 1000 }, NOON + 5).pausedUntil).toBeNull();
  });
});
