import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  changeSettings,
  defaultSettings,
  isEmailToSalesforceAddress,
  loadSettings,
  parseAdminPolicy,
  parseSetting,
  resolveSettings,
  watchSettings,
} from '@/lib/settings';
import { CHROME_SYNC_QUOTA, enforceChromeSyncQuota } from './support/sync-quota';

describe('setting values', () => {
  it('has the product defaults', () => {
    const d = defaultSettings();
    expect(d.subjectTemplate).toBe('Email: {{activity_subject}}');
    expect(d.taskSync).toBe('off');
    expect(d.undoSendSeconds).toBe(10);
    expect(d.taskSyncIntervalMinutes).toBe(5);
  });

  it('refuses values of the wrong shape with a reason', () => {
    expect(parseSetting('undoSendSeconds', 31)).toEqual({ ok: false, problem: 'outOfRange' });
    expect(parseSetting('undoSendSeconds', '10')).toEqual({ ok: false, problem: 'wrongType' });
    expect(parseSetting('taskSync', 'sometimes')).toEqual({ ok: false, problem: 'notAChoice' });
    expect(parseSetting('subjectTemplate', 'Email: {{body}}')).toEqual({ ok: false, problem: 'badTemplate' });
    expect(parseSetting('subjectTemplate', 'x'.repeat(256))).toEqual({ ok: false, problem: 'tooLong' });
    expect(parseSetting('internalDomains', ['acme.com', 'not a domain'])).toEqual({ ok: false, problem: 'badDomain' });
    expect(parseSetting('bccAddress', 'rep@acme.com')).toEqual({ ok: false, problem: 'badEmail' });
  });

  it('normalises lists: trimmed, lower-cased, de-duplicated, blanks dropped', () => {
    expect(parseSetting('neverLog', [' Boss@Acme.com ', 'boss@acme.com', '', 'Example.ORG'])).toEqual({
      ok: true,
      value: ['boss@acme.com', 'example.org'],
    });
  });

  it('accepts real Email-to-Salesforce address shapes only', () => {
    expect(isEmailToSalesforceAddress('emailtosalesforce@1a2b3c4d5e6f7g8h.m-1xyz.na123.le.salesforce.com')).toBe(true);
    expect(isEmailToSalesforceAddress('emailtosalesforce@abc.m-1.cs42.le.sandbox.salesforce.com')).toBe(true);
    expect(isEmailToSalesforceAddress('emailtosalesforce@evil.example.com')).toBe(false);
    expect(isEmailToSalesforceAddress('"><img src=x>@le.salesforce.com')).toBe(false);
  });
});

describe('precedence: locked policy > rep > policy default > built-in default', () => {
  const policy = parseAdminPolicy({
    settings: { logAs: 'enhancedEmail', taskSync: 'twoWay', undoSendSeconds: 20 },
    lockedSettings: ['taskSync', 'logBody', 'no-such-setting'],
  });

  it('reads the policy and ignores unknown keys', () => {
    expect(policy.locked).toEqual(['taskSync', 'logBody']);
  });

  it('resolves each layer', () => {
    const { values, locked } = resolveSettings({ taskSync: 'oneWay', undoSendSeconds: 5 }, policy);
    expect(values.taskSync).toBe('twoWay'); // locked policy beats the rep
    expect(values.undoSendSeconds).toBe(5); // the rep beats a policy default
    expect(values.logAs).toBe('enhancedEmail'); // policy default beats the built-in one
    expect(values.logBody).toBe(true); // locked without a value: built-in default, still locked
    expect(locked.has('logBody')).toBe(true);
  });

  it('locks everything with lockAllSettings', () => {
    const all = parseAdminPolicy({ lockAllSettings: true });
    expect(resolveSettings({ emailLogging: 'off' }, all).values.emailLogging).toBe('api');
  });

  it('drops malformed policy values instead of applying them', () => {
    expect(parseAdminPolicy({ settings: { undoSendSeconds: 'ten', logAs: 'fax' } }).settings).toEqual({});
    expect(parseAdminPolicy('nonsense')).toEqual({ settings: {}, locked: [] });
  });
});

describe('stored settings', () => {
  it('saves a rep choice and reads it back', async () => {
    const result = await changeSettings({ undoSendSeconds: 20 });
    expect(result.ok).toBe(true);
    expect((await loadSettings()).values.undoSendSeconds).toBe(20);
  });

  it('refuses an invalid change and saves nothing of it', async () => {
    const result = await changeSettings({ undoSendSeconds: 5, taskSync: 'bogus' });
    expect(result).toEqual({ ok: false, key: 'taskSync', problem: 'notAChoice' });
    expect((await loadSettings()).values.undoSendSeconds).toBe(10);
  });

  it('refuses a change to a setting the administrator locked', async () => {
    await fakeBrowser.storage.managed.set({ settings: { taskSync: 'twoWay' }, lockedSettings: ['taskSync'] });
    expect(await changeSettings({ taskSync: 'off' })).toEqual({ ok: false, key: 'taskSync', problem: 'locked' });
    expect((await loadSettings()).values.taskSync).toBe('twoWay');
  });

  it('tells watchers about changes from the rep and from policy', async () => {
    const seen: string[] = [];
    const stop = watchSettings((s) => seen.push(s.values.logAs));
    await changeSettings({ logAs: 'enhancedEmail' });
    await fakeBrowser.storage.managed.set({ settings: { logAs: 'task' }, lockedSettings: ['logAs'] });
    await expect.poll(() => seen.at(-1)).toBe('task');
    expect(seen).toContain('enhancedEmail');
    stop();
  });
});

/**
 * `count` distinct business addresses like firstname.lastname12@partner-12.example.com (about 42
 * characters), or, when long, with a 64-character local part and a regional subdomain (about 137).
 */
function addresses(count: number, { long = false } = {}): string[] {
  return Array.from({ length: count }, (_, i) => {
    const local = `firstname.lastname${i}`;
    const domain = `partner-${i % 97}.example.com`;
    return long ? `${local.padEnd(64, 'x')}@${'regional-office.'.repeat(3)}${domain}` : `${local}@${domain}`;
  });
}

describe('stored settings within the browser sync quota', () => {
  beforeEach(() => enforceChromeSyncQuota());

  it('saves 1,000 never-log addresses and reads them back in order', async () => {
    const neverLog = addresses(1000);
    expect(JSON.stringify(neverLog).length).toBeGreaterThan(CHROME_SYNC_QUOTA.bytesPerItem * 3);
    const result = await changeSettings({ neverLog });
    expect(result.ok).toBe(true);
    expect((await loadSettings()).values.neverLog).toEqual(neverLog);

    // A shorter list later leaves nothing of the longer one behind.
    await changeSettings({ neverLog: neverLog.slice(0, 10) });
    expect((await loadSettings()).values.neverLog).toEqual(neverLog.slice(0, 10));
    const items = Object.keys(await fakeBrowser.storage.sync.get(null));
    expect(items.filter((key) => key.startsWith('settings.neverLog'))).toEqual(['settings.neverLog', 'settings.neverLog.0']);
  });

  it('keeps 200 internal domains and 50 mailboxes beside them', async () => {
    const internalDomains = Array.from({ length: 200 }, (_, i) => `subsidiary-${i}.acme-holdings.example`);
    const loggedMailboxes = addresses(50);
    expect((await changeSettings({ neverLog: addresses(1000), internalDomains, loggedMailboxes })).ok).toBe(true);
    const { values } = await loadSettings();
    expect(values.internalDomains).toEqual(internalDomains);
    expect(values.loggedMailboxes).toEqual(loggedMailboxes);
  });

  it('refuses what does not fit in the total, keeping the earlier value', async () => {
    await changeSettings({ neverLog: ['ceo@partner.org'] });
    // 1,000 long addresses: more than the 100 KB the browser syncs for an extension.
    const result = await changeSettings({ neverLog: addresses(1000, { long: true }) });
    expect(result).toEqual({ ok: false, key: 'neverLog', problem: 'storageFull' });
    expect((await loadSettings()).values.neverLog).toEqual(['ceo@partner.org']);
  });
});

describe('settings saved by earlier versions in one item', () => {
  const earlier = { undoSendSeconds: 20, neverLog: ['ceo@partner.org'], taskSync: 'twoWay' };

  it('are read as the rep left them, under the same precedence', async () => {
    await fakeBrowser.storage.sync.set({ settings: earlier });
    await fakeBrowser.storage.managed.set({ settings: { logAs: 'enhancedEmail', taskSync: 'oneWay' }, lockedSettings: ['taskSync'] });
    const { values } = await loadSettings();
    expect(values).toMatchObject({ undoSendSeconds: 20, neverLog: ['ceo@partner.org'], logAs: 'enhancedEmail', taskSync: 'oneWay' });
  });

  it('move into their own items on the first change, losing none', async () => {
    await fakeBrowser.storage.sync.set({ settings: { ...earlier, retiredSetting: true, logAs: 'fax' } });
    expect((await changeSettings({ logBody: false })).ok).toBe(true);
    const stored = await fakeBrowser.storage.sync.get(null);
    expect(Object.keys(stored).sort()).toEqual([
      'settings.logBody',
      'settings.neverLog',
      'settings.neverLog.0',
      'settings.taskSync',
      'settings.undoSendSeconds',
    ]);
    expect(stored).toMatchObject({ 'settings.undoSendSeconds': 20, 'settings.taskSync': 'twoWay', 'settings.logBody': false });
    expect((await loadSettings()).values).toMatchObject({ ...earlier, logBody: false });
  });
});
