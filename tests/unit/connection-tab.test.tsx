// @vitest-environment jsdom
/**
 * The Connection tab as a rep reads it, with the worker's real handlers behind it: each
 * connection state the worker stores is shown in words, and a bad My Domain is refused on the
 * page before any sign-in starts. (Signing in itself runs in Chromium: tests/e2e/connection.e2e.ts.)
 */
import { cleanup, render, screen, waitFor } from '@testing-library/preact';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { i18n } from '#i18n';
import { readStoredConnectionEarly, useConnectionStore } from '@/components/connection-store';
import { ConnectionTab } from '@/components/options/ConnectionTab';
import { ConnectionSummary } from '@/components/popup/ConnectionSummary';
import { CONNECTION_STATE_KEY, type ConnectionState, INITIAL_CONNECTION_STATE } from '@/lib/salesforce/connection-state';
import { useLocale } from './support/locale';
import { connectPageToWorker } from './support/worker-runtime';

const profile = {
  userName: 'Mika Sato',
  username: 'mika.sato@acme-precision.example',
  userId: '0055g00000AAAAAAAA',
  orgName: 'Acme Precision Ltd.',
  orgId: '00D5g00000AAAAAAAA',
  instanceUrl: 'https://acme.my.salesforce.com',
  loginUrl: 'https://acme.my.salesforce.com',
  environment: 'custom' as const,
  apiVersion: '62.0',
  connectedAt: 1,
};

async function storeState(patch: Partial<ConnectionState>) {
  const key = CONNECTION_STATE_KEY.replace(/^local:/, '');
  await fakeBrowser.storage.local.set({ [key]: { ...INITIAL_CONNECTION_STATE, since: 1, ...patch } });
}

let worker: ReturnType<typeof connectPageToWorker>;
beforeEach(() => {
  useConnectionStore.setState({ status: 'loading', view: null, busy: null, error: null });
  worker = connectPageToWorker();
});
afterEach(cleanup);

const panel = () => document.querySelector('.connection-status');

/**
 * Waits for the worker's view of the connection in that state: the stored state shows first
 * (with "Loading the connection…"), and only the worker's view offers the actions.
 */
async function shownByWorker(status: string) {
  await waitFor(() => {
    expect(panel()?.getAttribute('data-status')).toBe(status);
    expect(screen.queryByText(i18n.t('options.connection.loading'))).toBeNull();
  });
}

describe('the Connection tab', () => {
  it('offers the three environments and refuses a My Domain that is not Salesforce, on the page', async () => {
    const user = userEvent.setup();
    render(<ConnectionTab />);
    await shownByWorker('notConnected');
    expect(screen.getAllByRole('radio').map((r) => r.parentElement?.textContent)).toEqual([
      'Production (login.salesforce.com)',
      'Sandbox (test.salesforce.com)',
      'Custom domain (My Domain)',
    ]);
    await user.click(screen.getByRole('radio', { name: 'Custom domain (My Domain)' }));
    await user.type(screen.getByLabelText('My Domain URL'), 'https://acme.my.salesforce.com.evil.example');
    await user.click(screen.getByRole('button', { name: 'Connect to Salesforce' }));
    expect(screen.getByText(/That is not a Salesforce My Domain/)).toBeTruthy();
    expect(screen.getByLabelText('My Domain URL').getAttribute('aria-invalid')).toBe('true');
    expect(worker.requests.map((r) => (r as { type: string }).type)).not.toContain('connection/connect');
  });

  it('shows who and where when connected, with the org usage and its own calls', async () => {
    await storeState({ status: 'connected', profile });
    await fakeBrowser.storage.local.set({
      salesforceUsage: {
        day: new Date().toISOString().slice(0, 10),
        calls: { match: 5, log: 3, sync: 2, connect: 2 },
        org: { used: 4120, max: 100000, at: Date.now() },
        pausedUntil: null,
      },
    });
    render(<ConnectionTab />);
    await shownByWorker('connected');
    const details = document.querySelector('.connection-details')?.textContent ?? '';
    for (const text of [
      'Mika Sato',
      'mika.sato@acme-precision.example',
      'Acme Precision Ltd.',
      '00D5g00000AAAAAAAA',
      'acme.my.salesforce.com',
      '62.0',
    ]) {
      expect(details).toContain(text);
    }
    expect(screen.getByTestId('org-usage').textContent).toBe('4,120 of 100,000 calls (4%)');
    expect(screen.getByRole('button', { name: 'Disconnect' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Check now' })).toBeTruthy();
  });

  it('explains an org without API access, names the editions that have it, and links to the BCC way', async () => {
    await storeState({ status: 'noApiAccess', problem: { kind: 'noApiAccess', message: 'x', errorCode: 'API_DISABLED_FOR_ORG' } });
    render(<ConnectionTab />);
    await waitFor(() => expect(panel()?.getAttribute('data-status')).toBe('noApiAccess'));
    expect(panel()?.textContent).toContain(
      'Enterprise, Unlimited, Developer or Performance Edition, or Professional Edition with API access purchased',
    );
    expect(screen.getByRole('link', { name: 'Use Email to Salesforce (BCC) instead' }).getAttribute('href')).toBe('#sync');
  });

  it('tells a user without the API permission apart from an org without API', async () => {
    await storeState({ status: 'noApiAccess', problem: { kind: 'noApiAccess', message: 'x', errorCode: 'API_CURRENTLY_DISABLED' } });
    render(<ConnectionTab />);
    await waitFor(() => expect(panel()?.textContent).toContain('"API Enabled" permission'));
  });

  it('says reconnect is needed, keeps showing which org, and offers to connect again', async () => {
    await storeState({
      status: 'reconnectNeeded',
      profile,
      problem: { kind: 'reconnectNeeded', message: 'expired access/refresh token', errorCode: 'invalid_grant' },
    });
    render(<ConnectionTab />);
    await shownByWorker('reconnectNeeded');
    expect(panel()?.textContent).toContain('Reconnect needed');
    expect(document.querySelector('.connection-details')?.textContent).toContain('Acme Precision Ltd.');
    expect(screen.getByRole('button', { name: 'Connect again' })).toBeTruthy();
  });

  it('says when it retries while Salesforce is unreachable', async () => {
    const retryAt = new Date(2030, 0, 1, 14, 5).getTime();
    await storeState({ status: 'unreachable', profile, attempts: 2, retryAt, problem: { kind: 'offline', message: 'Failed to fetch' } });
    render(<ConnectionTab />);
    await shownByWorker('unreachable');
    expect(panel()?.textContent).toMatch(/it tries again at (14:05|0?2:05 PM)/);
    expect(screen.getByRole('button', { name: 'Try now' })).toBeTruthy();
  });

  it('follows the state the worker stores, without a reload', async () => {
    render(<ConnectionTab />);
    await waitFor(() => expect(panel()?.getAttribute('data-status')).toBe('notConnected'));
    const stop = useConnectionStore.getState().follow();
    await storeState({ status: 'connected', profile });
    await waitFor(() => expect(panel()?.getAttribute('data-status')).toBe('connected'));
    stop();
  });

  it('speaks Japanese', async () => {
    await useLocale('ja');
    await storeState({ status: 'reconnectNeeded', profile });
    render(<ConnectionTab />);
    await shownByWorker('reconnectNeeded');
    expect(panel()?.textContent).toContain('再接続が必要です');
    expect(screen.getByRole('button', { name: '再接続' })).toBeTruthy();
  });
});

describe('the first open after install', () => {
  it('shows the stored state at once while Chrome is still loading the admin policy, then the rest', async () => {
    // Chrome answers the first managed-storage read after install only once the extension's
    // policy is loaded, which took 2.3 s in Chromium 156 (docs/performance.md).
    const managed = fakeBrowser.storage.managed;
    const read = managed.get.bind(managed);
    let policyLoaded = () => {};
    const loaded = new Promise<void>((resolve) => {
      policyLoaded = resolve;
    });
    managed.get = (async (...args: Parameters<typeof read>) => {
      await loaded;
      return read(...args);
    }) as typeof managed.get;
    try {
      useConnectionStore.setState({ stored: null });
      await storeState({ status: 'connected', profile });
      render(<ConnectionTab />);
      await waitFor(() => expect(panel()?.getAttribute('data-status')).toBe('connected'));
      expect(screen.getByText('Loading the connection…')).toBeTruthy();
      expect(document.querySelector('.connection-details')).toBeNull();
      policyLoaded();
      await waitFor(() => expect(document.querySelector('.connection-details')?.textContent).toContain('Acme Precision Ltd.'));
      expect(screen.queryByText(i18n.t('options.connection.loading'))).toBeNull();
    } finally {
      managed.get = read;
    }
  });
  it('has the stored state read as the page starts, so the first render shows it', async () => {
    useConnectionStore.setState({ stored: null });
    await storeState({ status: 'connected', profile });
    readStoredConnectionEarly();
    await waitFor(() => expect(useConnectionStore.getState().stored?.status).toBe('connected'));
    render(<ConnectionTab />);
    expect(panel()?.getAttribute('data-status')).toBe('connected');
    await waitFor(() => expect(document.querySelector('.connection-details')?.textContent).toContain('Acme Precision Ltd.'));
  });
});

describe("the popup's connection line", () => {
  it('shows the org when connected and what to do otherwise', async () => {
    await storeState({ status: 'connected', profile });
    render(<ConnectionSummary />);
    await waitFor(() => expect(screen.getByText('Connected to Acme Precision Ltd.')).toBeTruthy());
    expect(screen.getByText('Mika Sato (mika.sato@acme-precision.example)')).toBeTruthy();
    cleanup();
    useConnectionStore.setState({ view: null });
    await storeState({ status: 'noApiAccess' });
    render(<ConnectionSummary />);
    await waitFor(() => expect(screen.getByText('Your org has no API access')).toBeTruthy());
  });
});

describe('the org check in the Connection tab', () => {
  it('shows each finding in words, the ones for an admin marked', async () => {
    await storeState({ status: 'connected', profile });
    await fakeBrowser.storage.local.set({
      salesforceOrgCheck: {
        orgId: profile.orgId,
        userId: profile.userId,
        checkedAt: Date.parse('2026-12-01T09:00:00Z'),
        findings: [
          { id: 'apiAccess', attention: false },
          { id: 'enhancedEmailOff', attention: true },
          { id: 'duplicateRules', attention: true, names: ['Standard Lead Duplicate Rule'] },
          { id: 'requiredTaskFields', attention: true, names: ['Region__c'] },
        ],
      },
    });
    render(<ConnectionTab />);
    const section = await screen.findByRole('region', { name: 'What your org does with logged email' });
    const items = [...section.querySelectorAll('li')].map((li) => [li.className, li.textContent]);
    expect(items).toEqual([
      ['fine', '✓ API access works for your user.'],
      ['attention', expect.stringContaining('Enhanced Email is off')],
      ['attention', expect.stringContaining('Active Lead duplicate rules: Standard Lead Duplicate Rule.')],
      ['attention', expect.stringContaining('fields the extension does not fill: Region__c.')],
    ]);
  });
});
