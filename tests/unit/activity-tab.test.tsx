// @vitest-environment jsdom
/**
 * The Activity tab, through the worker's real handlers (messages go to them as from the options
 * page): rows in words, links to the connected instance, Retry, and email text shown as text.
 */
import { cleanup, render, screen, within } from '@testing-library/preact';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ActivityTab } from '@/components/options/ActivityTab';
import { type ActivityRecord, database } from '@/lib/db';
import { CONNECTION_STATE_KEY, INITIAL_CONNECTION_STATE } from '@/lib/salesforce/connection-state';
import { useLocale } from './support/locale';
import { connectPageToWorker } from './support/worker-runtime';

afterEach(cleanup);

const INSTANCE = 'https://acme.my.salesforce.com';
const base = { kind: 'email' as const, provider: 'gmail' as const, mailbox: 'rep@acme.com', updatedAt: 0, loggedIds: [], matched: [] };

async function seed(rows: ActivityRecord[], outbox: string[] = []) {
  const db = database();
  await db.activities.bulkPut(rows);
  for (const key of outbox)
    await db.outbox.put({ key, kind: 'email', createdAt: 0, nextAttemptAt: Number.MAX_SAFE_INTEGER, attempts: 1, payload: {} });
  await fakeBrowser.storage.local.set({
    [CONNECTION_STATE_KEY.replace('local:', '')]: {
      ...INITIAL_CONNECTION_STATE,
      status: 'unreachable',
      profile: {
        userName: 'Rep',
        username: 'rep@acme.com',
        userId: '005000000000001AAA',
        orgName: 'Acme',
        orgId: '00D000000000001AAA',
        instanceUrl: INSTANCE,
        loginUrl: INSTANCE,
        environment: 'custom',
        apiVersion: '62.0',
        connectedAt: 0,
      },
    },
  });
}

describe('the Activity tab', () => {
  it('lists every email with its state in words, links matched records, and retries a failure', async () => {
    connectPageToWorker();
    await seed(
      [
        {
          ...base,
          key: 'a',
          subject: '<img src=x onerror=alert(1)> Quote',
          recipients: [{ email: 'jane@customer.com', name: 'Jane Doe' }],
          sentAt: Date.parse('2026-11-28T09:00:00Z'),
          state: 'logged',
          loggedIds: ['00T000000000001AAA'],
          matched: [{ id: '003000000000001AAA', type: 'Contact', name: 'Jane Doe' }],
          notes: ['enhancedEmailUnavailable'],
        },
        {
          ...base,
          key: 'b',
          subject: 'Pricing',
          recipients: [{ email: 'bob@customer.com' }],
          sentAt: Date.parse('2026-11-28T10:00:00Z'),
          state: 'failed',
          reason: 'validation',
          detail: 'FIELD_CUSTOM_VALIDATION_EXCEPTION: No emails on Fridays',
        },
        {
          ...base,
          key: 'c',
          subject: 'Team lunch',
          recipients: [{ email: 'x@acme.com' }],
          sentAt: Date.parse('2026-11-28T11:00:00Z'),
          state: 'skipped',
          reason: 'internalOnly',
        },
        {
          ...base,
          key: 'd',
          subject: 'Hello',
          recipients: [{ email: 'who@unknown.example' }],
          sentAt: Date.parse('2026-11-28T12:00:00Z'),
          state: 'unresolved',
          unmatched: ['who@unknown.example'],
        },
        {
          ...base,
          key: 'e',
          subject: 'Copy blocked',
          recipients: [{ email: 'jane@customer.com' }],
          sentAt: Date.parse('2026-11-28T13:00:00Z'),
          state: 'logged',
          fallback: 'bccMissing',
        },
      ],
      ['b', 'd'],
    );
    const user = userEvent.setup();
    render(<ActivityTab />);
    const rows = await screen.findAllByRole('row');
    expect(rows.slice(1).map((r) => within(r).getAllByRole('cell')[3]?.textContent)).toEqual([
      'LoggedThe Email to Salesforce copy (BCC) did not go out with this email, so it is logged through the Salesforce API.',
      'No matchNot matched: who@unknown.exampleAssign…',
      'Not loggedEvery recipient is internal.',
      'FailedSalesforce refused the dataSalesforce said: FIELD_CUSTOM_VALIDATION_EXCEPTION: No emails on FridaysRetry',
      'LoggedLogged as a Task, because Enhanced Email is not on in your org.',
    ]);
    expect(screen.getByRole('status').textContent).toContain('1 failed');
    // The subject is text: nothing of it became an element.
    expect(screen.getByText('<img src=x onerror=alert(1)> Quote')).toBeTruthy();
    expect(document.querySelector('img')).toBeNull();
    expect(screen.getByRole('link', { name: 'Jane Doe (Contact)' }).getAttribute('href')).toBe(`${INSTANCE}/003000000000001AAA`);

    await user.click(screen.getByRole('button', { name: 'Retry' }));
    // Not connected in this test: the email waits (queued), no longer failed.
    await expect.poll(async () => (await database().activities.get('b'))?.state).not.toBe('failed');
    await expect.poll(() => screen.queryByRole('button', { name: 'Retry' })).toBeNull();
  });

  it('says an email waits for the org it was sent under, and drops it when the rep does not want it logged', async () => {
    connectPageToWorker();
    await seed([
      {
        ...base,
        key: 'other',
        subject: 'Sent under production',
        recipients: [{ email: 'jane@customer.com' }],
        sentAt: Date.parse('2026-11-28T13:00:00Z'),
        state: 'queued',
        reason: 'otherOrg',
        detail: 'acme.my.salesforce.com',
      },
    ]);
    await database().outbox.put({
      key: 'other',
      kind: 'email',
      createdAt: 0,
      nextAttemptAt: 0,
      attempts: 0,
      payload: {},
      owner: { orgId: '00D000000000009AAA', userId: '005000000000001AAA', instanceUrl: 'https://acme.my.salesforce.com' },
    });
    const user = userEvent.setup();
    render(<ActivityTab />);
    const row = (await screen.findByText('Sent under production')).closest('tr')!;
    expect(within(row).getAllByRole('cell')[3]?.textContent).toContain(
      'Kept for the Salesforce org it was sent under (acme.my.salesforce.com)',
    );
    expect(within(row).getByRole('button', { name: 'Log to the connected org' })).toBeTruthy();
    await user.click(within(row).getByRole('button', { name: "Don't log it" }));
    await expect.poll(async () => (await database().activities.get('other'))?.state).toBe('skipped');
    expect(await database().outbox.get('other')).toBeUndefined();
    await expect.poll(() => screen.queryByText('You chose not to log it (it was kept for another Salesforce org).')).not.toBeNull();
  });

  it('speaks Japanese', async () => {
    await useLocale('ja');
    connectPageToWorker();
    render(<ActivityTab />);
    expect(await screen.findByRole('heading', { level: 2 })).toHaveProperty('textContent', 'アクティビティ');
  });
});
