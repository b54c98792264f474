// @vitest-environment jsdom
import { cleanup, render, screen, waitFor, within } from '@testing-library/preact';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { useConnectionStore } from '@/components/connection-store';
import { SyncSettingsTab } from '@/components/options/SyncSettingsTab';
import { useSettingsStore } from '@/components/options/settings-store';
import { sendToWorker } from '@/lib/messages';
import { CONNECTION_STATE_KEY, INITIAL_CONNECTION_STATE } from '@/lib/salesforce/connection-state';
import { loadSettings, parseAdminPolicy, type Settings } from '@/lib/settings';
import { useLocale } from './support/locale';
import { enforceChromeSyncQuota } from './support/sync-quota';
import { connectPageToWorker, deployPolicy, type WorkerRuntime } from './support/worker-runtime';

// Whole-page interactions through the real worker; the machines running this are shared and slow.
vi.setConfig({ testTimeout: 30_000 });

let worker: WorkerRuntime;

beforeEach(() => {
  useSettingsStore.setState(useSettingsStore.getInitialState(), true);
  useConnectionStore.setState(useConnectionStore.getInitialState(), true);
  worker = connectPageToWorker();
});
afterEach(cleanup);

/** The settings as the worker stored them, read back through lib/settings.ts. */
async function stored(): Promise<Settings> {
  return (await loadSettings()).values;
}

async function renderTab() {
  const user = userEvent.setup({ delay: null });
  render(<SyncSettingsTab />);
  await screen.findByRole('heading', { name: 'Log email activity to Salesforce' });
  return user;
}

/** Waits until every change the page made has been answered by the worker. */
async function settled() {
  await waitFor(() => expect(useSettingsStore.getState().saving.size).toBe(0));
}

const changesSent = () =>
  worker.requests.filter((r): r is { type: string; changes: object } => (r as { type: string }).type === 'settings/change');

describe('the Sync settings tab saves each control to its own setting', () => {
  it('saves choices, switches and radio buttons at once', async () => {
    const user = await renderTab();
    await user.click(screen.getByRole('radio', { name: 'Enhanced Email (an email message record)' }));
    await user.click(screen.getByRole('checkbox', { name: 'Log to matching leads' }));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Also relate the email to' }), 'allOpportunitiesWithRole');
    await user.selectOptions(screen.getByRole('combobox', { name: 'When an address matches more than one record' }), 'oldest');
    await user.selectOptions(screen.getByRole('combobox', { name: 'When no record matches' }), 'createLead');
    await user.click(screen.getByRole('radio', { name: 'Headers only (subject, sender, recipients and date)' }));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Scheduled email' }), 'skip');
    await user.click(screen.getByRole('checkbox', { name: 'Start each new email with logging on' }));
    await settled();

    expect(await stored()).toMatchObject({
      logAs: 'enhancedEmail',
      logToContacts: true,
      logToLeads: false,
      relatedRecords: 'allOpportunitiesWithRole',
      multipleMatches: 'oldest',
      noMatch: 'createLead',
      logBody: false,
      scheduledSends: 'skip',
      composeDefaultOn: false,
    });
    // One request per change, each naming only its own setting.
    expect(changesSent().map((r) => Object.keys(r.changes))).toEqual([
      ['logAs'],
      ['logToLeads'],
      ['relatedRecords'],
      ['multipleMatches'],
      ['noMatch'],
      ['logBody'],
      ['scheduledSends'],
      ['composeDefaultOn'],
    ]);
  });

  it('saves text, numbers and lists when the rep leaves the field, normalised by the worker', async () => {
    const user = await renderTab();
    const subject = screen.getByRole('textbox', { name: 'Subject of the logged email' });
    await user.clear(subject);
    await user.type(subject, 'Sent {{{{activity_type}} - {{{{activity_subject}}');
    // The preview follows the typing before anything is saved.
    expect(screen.getByText('Sent Email - Quarterly review with Acme')).toBeTruthy();
    const wait = screen.getByRole('textbox', { name: 'Wait before logging' });
    await user.clear(wait);
    await user.type(wait, '20');
    const internal = screen.getByRole('textbox', { name: 'Internal domains' });
    await user.type(internal, 'Acme.com{Enter}acme.co.jp, ACME.com');
    await user.type(screen.getByRole('textbox', { name: 'Never log these addresses and domains' }), 'ceo@partner.org{Enter}rival.example');
    await user.type(screen.getByRole('textbox', { name: 'Log email sent from these mailboxes only' }), 'Rep@Acme.com');
    await user.tab();
    await settled();

    expect(await stored()).toMatchObject({
      subjectTemplate: 'Sent {{activity_type}} - {{activity_subject}}',
      undoSendSeconds: 20,
      internalDomains: ['acme.com', 'acme.co.jp'],
      neverLog: ['ceo@partner.org', 'rival.example'],
      loggedMailboxes: ['rep@acme.com'],
    });
    // The field shows the list as saved: lower case, one entry per line, no duplicates.
    expect((internal as HTMLTextAreaElement).value).toBe('acme.com\nacme.co.jp');
  });

  it('activates the BCC way only with a valid address, and turns logging off', async () => {
    const user = await renderTab();
    await user.click(screen.getByRole('tab', { name: 'Email to Salesforce (BCC)' }));
    const activate = screen.getByRole('button', { name: 'Activate' });
    expect(activate).toHaveProperty('disabled', true);
    expect(screen.getByText('Enter your Email to Salesforce address first.')).toBeTruthy();

    await user.type(
      screen.getByRole('textbox', { name: 'Your Email to Salesforce address' }),
      'emailtosalesforce@1a2b3c.m-1xyz.na123.le.salesforce.com{Enter}',
    );
    await settled();
    await user.click(screen.getByRole('button', { name: 'Activate' }));
    await settled();
    expect(await stored()).toMatchObject({
      emailLogging: 'bcc',
      bccAddress: 'emailtosalesforce@1a2b3c.m-1xyz.na123.le.salesforce.com',
    });
    expect(screen.getByText('Email you send is logged by BCC to your Email to Salesforce address.')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Turn off email logging' }));
    await settled();
    expect((await stored()).emailLogging).toBe('off');
    expect(screen.getByText('Email logging is off. Activate one of the two ways below.')).toBeTruthy();
  });

  it('saves the task sync choice, its interval and reminders', async () => {
    const user = await renderTab();
    const sync = screen.getByRole('combobox', { name: 'Task sync' });
    expect(
      within(sync)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['Do not sync to Salesforce tasks', 'Two-way sync with my Salesforce tasks', 'One-way: send my tasks to Salesforce']);
    await user.selectOptions(sync, 'Two-way sync with my Salesforce tasks');
    const interval = screen.getByRole('textbox', { name: 'Sync every' });
    await user.clear(interval);
    await user.type(interval, '15{Enter}');
    await user.click(screen.getByRole('checkbox', { name: 'Show a notification when a task is due' }));
    await settled();
    expect(await stored()).toMatchObject({ taskSync: 'twoWay', taskSyncIntervalMinutes: 15, reminders: false });
  });
});

describe('the BCC way and the connected org', () => {
  it('offers no Salesforce page while no org is connected', async () => {
    const user = await renderTab();
    await user.click(screen.getByRole('tab', { name: 'Email to Salesforce (BCC)' }));
    await waitFor(() => expect(useConnectionStore.getState().status).toBe('ready'));
    expect(screen.queryByRole('link', { name: /Open My Email to Salesforce/ })).toBeNull();
    expect(screen.getByText(/My Settings > Email > My Email to Salesforce/)).toBeTruthy();
  });

  it("opens the connected org's My Email to Salesforce page", async () => {
    const profile = {
      userName: 'Mika Sato',
      username: 'mika@acme.example',
      userId: '0055g00000AAAAAAAA',
      orgName: 'Acme',
      orgId: '00D5g00000AAAAAAAA',
      instanceUrl: 'https://acme.my.salesforce.com',
      loginUrl: 'https://acme.my.salesforce.com',
      environment: 'custom',
      apiVersion: '62.0',
      connectedAt: 1,
    };
    await fakeBrowser.storage.local.set({
      [CONNECTION_STATE_KEY.replace(/^local:/, '')]: { ...INITIAL_CONNECTION_STATE, status: 'connected', profile, since: 1 },
    });
    const user = await renderTab();
    await user.click(screen.getByRole('tab', { name: 'Email to Salesforce (BCC)' }));
    const link = await screen.findByRole('link', { name: 'Open My Email to Salesforce in Acme' });
    expect(link.getAttribute('href')).toBe('https://acme.my.salesforce.com/lightning/settings/personal/EmailToSalesforceUserSetup/home');
    expect(link.getAttribute('target')).toBe('_blank');
  });
});

describe('invalid input', () => {
  it.each([
    ['Wait before logging', '45', 'Enter a whole number from 0 to 30.', 'undoSendSeconds'],
    ['Wait before logging', 'ten', 'Enter a whole number from 0 to 30.', 'undoSendSeconds'],
    ['Sync every', '0', 'Enter a whole number from 1 to 1440.', 'taskSyncIntervalMinutes'],
    [
      'Subject of the logged email',
      'Email: {{{{body}}',
      'Only the fields {{activity_type}} and {{activity_subject}} can be used.',
      'subjectTemplate',
    ],
    ['Subject of the logged email', ' ', 'This cannot be empty.', 'subjectTemplate'],
    ['Internal domains', 'acme.com{Enter}not a domain', '“not a domain” is not a domain name like example.com.', 'internalDomains'],
    ['Never log these addresses and domains', 'boss@', '“boss@” is neither an email address nor a domain name.', 'neverLog'],
    ['Log email sent from these mailboxes only', 'acme.com', '“acme.com” is not an email address.', 'loggedMailboxes'],
  ] as const)('%s = %j is refused with its reason, and nothing is saved', async (label, typed, message, key) => {
    const before = await stored();
    const user = await renderTab();
    const field = screen.getByRole('textbox', { name: label });
    await user.clear(field);
    await user.type(field, typed);
    await user.tab();
    await settled();

    const error = await screen.findByText(message);
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(field.getAttribute('aria-describedby')?.split(' ')).toContain(error.id);
    // What the rep typed stays, to be corrected; storage keeps the last good value.
    expect((field as HTMLInputElement).value).toBe(typed.replaceAll('{{{{', '{{').replaceAll('{Enter}', '\n'));
    expect((await stored())[key]).toEqual(before[key]);
  });

  it('refuses an address that is not an Email to Salesforce address, and clears the message once corrected', async () => {
    const user = await renderTab();
    await user.click(screen.getByRole('tab', { name: 'Email to Salesforce (BCC)' }));
    const field = screen.getByRole('textbox', { name: 'Your Email to Salesforce address' });
    await user.type(field, 'rep@acme.com{Enter}');
    await settled();
    expect(screen.getByText(/This is not an Email to Salesforce address/)).toBeTruthy();
    expect((await stored()).bccAddress).toBe('');
    expect(screen.getByRole('button', { name: 'Activate' })).toHaveProperty('disabled', true);

    await user.clear(field);
    await user.type(field, 'emailtosalesforce@abc.m-1.cs42.le.sandbox.salesforce.com{Enter}');
    await settled();
    expect(screen.queryByText(/This is not an Email to Salesforce address/)).toBeNull();
    expect(field.getAttribute('aria-invalid')).toBeNull();
    expect(screen.getByRole('button', { name: 'Activate' })).toHaveProperty('disabled', false);
  });
});

describe('the browser sync quota', () => {
  beforeEach(() => enforceChromeSyncQuota());

  /** Business addresses like firstname.lastname12@partner-12.example.com, or very long ones. */
  const addresses = (count: number, long = false) =>
    Array.from({ length: count }, (_, i) => {
      const local = `firstname.lastname${i}`;
      const domain = `partner-${i % 97}.example.com`;
      return long ? `${local.padEnd(64, 'x')}@${'regional-office.'.repeat(3)}${domain}` : `${local}@${domain}`;
    });

  async function pasteNeverLog(
    user: Awaited<ReturnType<typeof renderTab>>,
    list: string[],
    label = 'Never log these addresses and domains',
  ) {
    const field = screen.getByRole('textbox', { name: label });
    await user.click(field);
    await user.paste(list.join('\n'));
    await user.tab();
    await settled();
    return field as HTMLTextAreaElement;
  }

  it('saves a pasted list of 1,000 addresses', async () => {
    const user = await renderTab();
    const list = addresses(1000);
    await pasteNeverLog(user, list);
    expect(screen.queryByRole('alert')).toBeNull();
    expect((await stored()).neverLog).toEqual(list);
  });

  it.each([
    [
      'en',
      'Log email activity to Salesforce',
      'Never log these addresses and domains',
      /Not saved: your browser refused it. Its storage for synced settings is full/,
    ],
    [
      'ja',
      'メールの活動を Salesforce に記録',
      '記録しないアドレスとドメイン',
      /保存されていません: ブラウザーに拒否されました。同期設定用のストレージがいっぱいか/,
    ],
  ] as const)(
    'tells the rep (%s) when the browser refuses a list too big for it, and keeps what they pasted',
    async (locale, heading, label, message) => {
      await useLocale(locale);
      const user = userEvent.setup({ delay: null });
      render(<SyncSettingsTab />);
      await screen.findByRole('heading', { name: heading });
      const list = addresses(1000, true);
      const field = await pasteNeverLog(user, list, label);
      const error = await screen.findByText(message);
      expect(field.getAttribute('aria-describedby')?.split(' ')).toContain(error.id);
      expect(field.value).toBe(list.join('\n'));
      expect((await stored()).neverLog).toEqual([]);
    },
  );
});

describe('admin policy', () => {
  it('shows locked settings disabled, with the value the administrator set and why', async () => {
    await deployPolicy({
      settings: { taskSync: 'twoWay', undoSendSeconds: 20, logAs: 'enhancedEmail' },
      lockedSettings: ['taskSync', 'undoSendSeconds'],
    });
    await renderTab();
    expect(screen.getByText(/Your administrator manages 2 of these settings/)).toBeTruthy();

    const sync = screen.getByRole('combobox', { name: 'Task sync' }) as HTMLSelectElement;
    expect(sync.disabled).toBe(true);
    expect(sync.value).toBe('twoWay');
    const note = document.getElementById(sync.getAttribute('aria-describedby')?.split(' ')[0] ?? '');
    expect(note?.textContent).toContain('Set by your administrator');

    const wait = screen.getByRole('textbox', { name: 'Wait before logging' }) as HTMLInputElement;
    expect(wait.disabled).toBe(true);
    expect(wait.value).toBe('20');

    // A team default that is not locked is shown and stays the rep's to change.
    const enhanced = screen.getByRole('radio', { name: 'Enhanced Email (an email message record)' }) as HTMLInputElement;
    expect(enhanced.checked).toBe(true);
    expect(enhanced.disabled).toBe(false);
  });

  it('has the worker refuse a locked setting even when asked directly', async () => {
    await deployPolicy({ settings: { taskSync: 'twoWay' }, lockedSettings: ['taskSync'] });
    await expect(sendToWorker(fakeBrowser.runtime, 'settings/change', { changes: { taskSync: 'off' } })).rejects.toMatchObject({
      error: { kind: 'settingLocked', field: 'taskSync' },
    });
    expect((await stored()).taskSync).toBe('twoWay');
  });

  it('locks every control with "override all sync settings for my team"', async () => {
    await deployPolicy({ settings: { emailLogging: 'bcc' }, lockAllSettings: true });
    const user = await renderTab();
    const enabledControls = () => [...document.querySelectorAll('input, select, textarea')].filter((c) => !c.matches(':disabled'));
    expect(screen.getByRole('textbox', { name: 'Your Email to Salesforce address' })).toBeTruthy();
    expect(enabledControls()).toEqual([]);
    expect(screen.queryByRole('button', { name: 'Turn off email logging' })).toBeNull();
    await user.click(screen.getByRole('tab', { name: 'Salesforce API' }));
    expect(screen.getByRole('textbox', { name: 'Subject of the logged email' })).toBeTruthy();
    expect(enabledControls()).toEqual([]);
    expect(screen.queryByRole('button', { name: 'Activate' })).toBeNull();
  });

  it('shows the deployed policy under "Admin settings" and builds a policy an admin can deploy', async () => {
    await deployPolicy({ settings: { logAs: 'enhancedEmail' }, lockedSettings: ['taskSync'] });
    const user = await renderTab();
    await user.click(screen.getByRole('tab', { name: 'Admin settings' }));

    const deployed = screen.getByRole('region', { name: 'Team policy on this browser' });
    expect(within(deployed).getByRole('rowheader', { name: 'Log as' })).toBeTruthy();
    expect(within(deployed).getByText('Enhanced Email (an email message record)')).toBeTruthy();
    expect(within(deployed).getByText('Locked (set by the administrator)')).toBeTruthy();

    // The builder starts from the deployed policy; the admin also locks the subject template.
    await user.selectOptions(screen.getByRole('combobox', { name: 'Subject of the logged email In the team policy' }), 'locked');
    const output = screen.getByRole('textbox', { name: 'Policy to deploy' }) as HTMLTextAreaElement;
    const unwrapped = Object.fromEntries(Object.entries(JSON.parse(output.value)).map(([k, v]) => [k, (v as { Value: unknown }).Value]));
    expect(parseAdminPolicy(unwrapped)).toEqual({
      settings: { logAs: 'enhancedEmail', subjectTemplate: 'Email: {{activity_subject}}', taskSync: 'off' },
      locked: ['subjectTemplate', 'taskSync'],
    });

    await user.selectOptions(screen.getByRole('combobox', { name: 'Deployment tool' }), 'linuxFile');
    expect(JSON.parse(output.value)['3rdparty'].extensions.hnlekkcnbcebeecddbkacphgkinejdon.lockedSettings).toEqual([
      'subjectTemplate',
      'taskSync',
    ]);
  });
});

describe('in Japanese', () => {
  it('labels the controls and explains refusals in Japanese', async () => {
    await useLocale('ja');
    const user = userEvent.setup({ delay: null });
    render(<SyncSettingsTab />);
    await screen.findByRole('heading', { name: 'メールの活動を Salesforce に記録' });
    expect(screen.getByRole('tab', { name: 'マイアカウント' })).toBeTruthy();
    const sync = screen.getByRole('combobox', { name: 'ToDo の同期' });
    expect(within(sync).getAllByRole('option')[0]?.textContent).toBe('Salesforce の ToDo と同期しない');
    const wait = screen.getByRole('textbox', { name: '記録までの待ち時間' });
    await user.clear(wait);
    await user.type(wait, '99{Enter}');
    await settled();
    expect(screen.getByText('0 から 30 までの整数を入力してください。')).toBeTruthy();
  });
});
