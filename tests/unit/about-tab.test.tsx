// @vitest-environment jsdom
/**
 * The About tab's diagnostics: the counts the worker stored, in words, following new counts as
 * they are stored, and "Copy report" with the plain-text report (no email content).
 */
import { cleanup, render, screen, within } from '@testing-library/preact';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { AboutTab } from '@/components/options/AboutTab';
import { dayOf } from '@/lib/diagnostics/counters';
import { recordDiagnostics } from '@/lib/diagnostics/store';
import packageJson from '../../package.json' with { type: 'json' };
import { useLocale } from './support/locale';

afterEach(cleanup);
beforeEach(() => {
  // The licence list is a file of the build; this test is about the diagnostics.
  vi.stubGlobal('fetch', async () => new Response('', { status: 404 }));
});

const today = dayOf(Date.now());
const diagnostics = () => screen.getByRole('region', { name: /^(Diagnostics|診断)$/ });

describe('the About tab’s diagnostics', () => {
  it('says there is nothing to report before anything was counted', async () => {
    render(<AboutTab />);
    expect(await within(diagnostics()).findByText('Nothing to report in the last 30 days.')).toBeTruthy();
    expect(within(diagnostics()).queryByRole('table')).toBeNull();
    expect(diagnostics().querySelector('pre')?.textContent).toMatch(/\nDiagnostics, last 30 days \(local dates\):\nnone$/);
  });

  it('shows each count with its day, mail service and what happened, follows new counts, and copies the report', async () => {
    const user = userEvent.setup();
    await recordDiagnostics('gmail', { [`${today} sendNoCompose`]: 2 });
    render(<AboutTab />);
    const table = await within(diagnostics()).findByRole('table');
    const rows = () =>
      within(table)
        .getAllByRole('row')
        .slice(1)
        .map((row) =>
          within(row)
            .getAllByRole('cell')
            .map((c) => c.textContent),
        );
    const shownDay = new Intl.DateTimeFormat('en', { dateStyle: 'medium' }).format(new Date());
    expect(rows()).toEqual([
      [
        shownDay,
        'Gmail',
        'An email was sent from a compose the extension was not following, so its Log to Salesforce switch was not known',
        '2',
      ],
    ]);

    // A mail tab reports more while the page is open.
    await recordDiagnostics('outlook', { [`${today} controlNotPlaced`]: 1 });
    await vi.waitFor(() => expect(rows()).toHaveLength(2));
    expect(rows()[1]).toEqual([shownDay, 'Outlook', 'A compose closed without the Log to Salesforce control ever shown in it', '1']);

    await user.click(within(diagnostics()).getByRole('button', { name: 'Copy report' }));
    const report = await navigator.clipboard.readText();
    expect(report).toBe(
      [
        `Sales Activity Sync ${packageJson.version}`,
        `Browser: ${navigator.userAgent}`,
        'Language: en',
        'Diagnostics, last 30 days (local dates):',
        `${today} gmail sendNoCompose 2`,
        `${today} outlook controlNotPlaced 1`,
      ].join('\n'),
    );
    expect(within(diagnostics()).getByRole('status').textContent).toBe('Copied.');
  });

  it('is worded in Japanese, the report’s counter names staying as they are', async () => {
    await useLocale('ja');
    await fakeBrowser.storage.local.set({ diagnostics: { [`${today} gmail droppedUnreachable`]: 1 } });
    render(<AboutTab />);
    const table = await within(diagnostics()).findByRole('table');
    expect(within(table).getByText('拡張機能が 1 時間応答しなかったため、送信したメールを記録しませんでした')).toBeTruthy();
    expect(within(diagnostics()).getByRole('button', { name: 'レポートをコピー' })).toBeTruthy();
    expect(within(diagnostics()).getByText(new RegExp(`${today} gmail droppedUnreachable 1`))).toBeTruthy();
  });
});
