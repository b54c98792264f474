import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createHandlers } from '@/lib/background/handlers';
import { areSentCounts, dayOf, firstDayKept } from '@/lib/diagnostics/counters';
import { addCounts, recordDiagnostics } from '@/lib/diagnostics/store';
import { createMessageRouter, type SenderInfo } from '@/lib/messages';

const NOW = new Date(2026, 11, 2, 9, 30).getTime();
const stored = async () => (await fakeBrowser.storage.local.get('diagnostics')).diagnostics;

describe('diagnostic days', () => {
  it('are local dates, and the window keeps 30 of them, today included', () => {
    expect(dayOf(new Date(2026, 11, 2, 0, 5).getTime())).toBe('2026-12-02');
    expect(dayOf(new Date(2026, 11, 1, 23, 55).getTime())).toBe('2026-12-01');
    expect(firstDayKept(NOW)).toBe('2026-11-03');
  });
});

describe('the counts a content script sends', () => {
  it('are known counters by day, each a whole number from 1 to 100,000, at most 500 of them', () => {
    expect(areSentCounts({ '2026-12-02 sendNoCompose': 2, '2026-12-01 droppedRefused': 1 })).toBe(true);
    expect(areSentCounts({})).toBe(true);
    for (const bad of [
      { '2026-12-02 somethingElse': 1 },
      { '2026-12-02  sendNoCompose': 1 },
      { '2026-12-02 gmail sendNoCompose': 1 },
      { 'today sendNoCompose': 1 },
      { '2026-12-02 sendNoCompose': 0 },
      { '2026-12-02 sendNoCompose': 1.5 },
      { '2026-12-02 sendNoCompose': 100_001 },
      { '2026-12-02 sendNoCompose': '1' },
      Object.fromEntries(Array.from({ length: 501 }, (_, i) => [`${dayOf(NOW - i * 86_400_000)} reportRetried`, 1])),
    ])
      expect(areSentCounts(bad), JSON.stringify(bad).slice(0, 80)).toBe(false);
  });
});

describe('storing diagnostic counts (worker)', () => {
  it('adds a tab’s counts under its provider, and forgets days older than the window', () => {
    const next = addCounts(
      { '2026-12-02 gmail sendNoCompose': 1, '2026-11-02 gmail reportRetried': 4, '2026-11-03 outlook reportRetried': 2 },
      'gmail',
      { '2026-12-02 sendNoCompose': 2, '2026-12-01 droppedUnreachable': 1, '2026-10-01 reportRetried': 9 },
      NOW,
    );
    expect(next).toEqual({
      '2026-12-02 gmail sendNoCompose': 3,
      '2026-12-01 gmail droppedUnreachable': 1,
      '2026-11-03 outlook reportRetried': 2,
    });
  });

  it('loses no count when tabs report at the same moment, and keeps them across worker restarts (storage.local)', async () => {
    await Promise.all([
      recordDiagnostics('gmail', { '2026-12-02 sendNoCompose': 1 }, NOW),
      recordDiagnostics('gmail', { '2026-12-02 sendNoCompose': 2 }, NOW),
      recordDiagnostics('outlook', { '2026-12-02 controlNotPlaced': 1 }, NOW),
    ]);
    expect(await stored()).toEqual({ '2026-12-02 gmail sendNoCompose': 3, '2026-12-02 outlook controlNotPlaced': 1 });
  });

  it('takes `diag/count` from a mail tab only, with the provider of the tab’s page', async () => {
    const id = fakeBrowser.runtime.id;
    const origin = fakeBrowser.runtime.getURL('/');
    const route = createMessageRouter(createHandlers({ version: '0.1.0', startedAt: 0 }), id, origin);
    const outlookTab: SenderInfo = { id, url: 'https://outlook.office.com/mail/', tab: { id: 3 }, frameId: 0 };
    const today = dayOf(Date.now());
    expect(await route({ type: 'diag/count', counts: { [`${today} bccInRequest`]: 1 } }, outlookTab)).toEqual({ ok: true, value: null });
    expect(await stored()).toEqual({ [`${today} outlook bccInRequest`]: 1 });

    expect(
      await route({ type: 'diag/count', counts: { [`${today} bccInRequest`]: 1 } }, { id, url: `${origin}options.html` }),
    ).toMatchObject({
      ok: false,
      error: { kind: 'forbiddenSender' },
    });
    for (const bad of [{ counts: { [`${today} gmail bccInRequest`]: 1 } }, { counts: [] }, { counts: {}, provider: 'gmail' }])
      expect(await route({ type: 'diag/count', ...bad }, outlookTab)).toMatchObject({ ok: false, error: { kind: 'invalidMessage' } });
    expect(await stored()).toEqual({ [`${today} outlook bccInRequest`]: 1 });
  });
});
