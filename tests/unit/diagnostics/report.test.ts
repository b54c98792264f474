import { describe, expect, it } from 'vitest';
import { diagnosticReport, diagnosticRows } from '@/components/options/diagnostics-report';
import { useLocale } from '../support/locale';

const NOW = new Date(2026, 11, 2, 9, 30).getTime();
const context = { version: '1.4.0', userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.0.0', language: 'en-US' };

describe('the diagnostics report', () => {
  it('lists the window’s counts newest day first, then by provider and counter; anything else stored is left out', () => {
    const rows = diagnosticRows(
      {
        '2026-12-01 gmail reportRetried': 1,
        '2026-12-02 outlook bccInRequest': 1,
        '2026-12-02 gmail droppedRefused': 2,
        '2026-12-02 gmail sendNoCompose': 3,
        '2026-11-02 gmail sendNoCompose': 9,
        '2026-12-02 yahoo sendNoCompose': 1,
        '2026-12-02 gmail somethingNew': 1,
        '2026-12-02 gmail sendNoCompose extra': 1,
        '2026-12-02 outlook controlNotPlaced': 0,
      },
      NOW,
    );
    expect(rows.map((r) => `${r.day} ${r.provider} ${r.counter} ${r.count}`)).toEqual([
      '2026-12-02 gmail sendNoCompose 3',
      '2026-12-02 gmail droppedRefused 2',
      '2026-12-02 outlook bccInRequest 1',
      '2026-12-01 gmail reportRetried 1',
    ]);
  });

  it('is plain text with the version, the browser and the counts by day and provider, in stable names', async () => {
    const rows = diagnosticRows({ '2026-12-02 gmail sendNoCompose': 3, '2026-12-01 outlook droppedUnreachable': 1 }, NOW);
    expect(diagnosticReport(context, rows)).toBe(
      [
        'Sales Activity Sync 1.4.0',
        'Browser: Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.0.0',
        'Language: en-US',
        'Diagnostics, last 30 days (local dates):',
        '2026-12-02 gmail sendNoCompose 3',
        '2026-12-01 outlook droppedUnreachable 1',
      ].join('\n'),
    );
    expect(diagnosticReport(context, [])).toMatch(/Diagnostics, last 30 days \(local dates\):\nnone$/);
    await useLocale('ja');
    expect(diagnosticReport(context, rows)).toContain('診断、過去 30 日間 (現地の日付):\n2026-12-02 gmail sendNoCompose 3');
  });
});
