/**
 * A real Firefox policies.json, deployed as an administrator does on Linux, reaches the add-on
 * through Firefox's managed storage ("3rdparty" > "Extensions" > the add-on id): the options
 * page shows the locked values as set by the administrator, and the background refuses to
 * change them. The file is machine-wide: it exists only while this file runs.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FirefoxExtension, type InstalledFirefoxPolicy, installFirefoxPolicy, launchFirefoxWithExtension } from '../support/firefox';

/** The extension API inside extension pages. */
declare const browser: typeof import('wxt/browser').browser;

const POLICY = {
  settings: { multipleMatches: 'oldest', scheduledSends: 'logWhenScheduled', logAs: 'task' },
  lockedSettings: ['multipleMatches', 'scheduledSends', 'logAs'],
};

/** The form control a visible label names, as a rep finds it. */
const control = (page: Page, label: string) =>
  page.evaluate((text) => {
    const found = [...document.querySelectorAll('label')].find((l) => l.textContent?.trim() === text)?.control as
      | HTMLInputElement
      | undefined;
    if (!found) return null;
    const notes = (found.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent ?? '');
    return { disabled: found.disabled, value: found.value, notes: notes.join(' ') };
  }, label);

const changeSetting = (page: Page, changes: Record<string, unknown>) =>
  page.evaluate((c) => browser.runtime.sendMessage({ type: 'settings/change', changes: c }), changes);

describe('a real Firefox policies.json, deployed as an administrator would', () => {
  let policy: InstalledFirefoxPolicy | undefined;
  let firefox: FirefoxExtension | undefined;

  beforeAll(async () => {
    policy = installFirefoxPolicy(POLICY);
    try {
      firefox = await launchFirefoxWithExtension({ locale: 'en' });
    } catch (error) {
      policy.remove();
      throw error;
    }
  });
  afterAll(async () => {
    try {
      await firefox?.close();
    } finally {
      policy?.remove();
    }
  });

  it('reaches the add-on as its managed storage', async () => {
    expect(await firefox?.inExtension(() => browser.storage.managed.get(null), undefined)).toEqual(POLICY);
  });

  it('shows the locked values as set by the administrator, and the background refuses to change them', async () => {
    if (!firefox) throw new Error('no browser');
    const page = await firefox.open('options.html#sync');
    await page.waitForSelector('#email-logging-heading');
    await expect
      .poll(() => page.evaluate(() => document.body.textContent ?? ''))
      .toContain('Your administrator manages 3 of these settings');
    const matches = await control(page, 'When an address matches more than one record');
    expect(matches).toMatchObject({ disabled: true, value: 'oldest' });
    expect(matches?.notes).toContain('Set by your administrator');

    expect(await changeSetting(page, { multipleMatches: 'all' })).toMatchObject({
      ok: false,
      error: { kind: 'settingLocked', field: 'multipleMatches' },
    });
    // A setting the policy leaves alone stays the rep's.
    expect(await changeSetting(page, { noMatch: 'skip' })).toMatchObject({ ok: true, value: { values: { noMatch: 'skip' } } });
    expect(firefox.errors).toEqual([]);
  });
});
