/// <reference types="chrome" />
/**
 * The options page in the built extension, in Chromium: every tab and the popup pass axe with
 * no violation in English and Japanese (and are saved as screenshots for review), a change made
 * in options reaches an open mail tab without a reload, and a real Chromium policy file sets
 * and locks settings as an administrator's would.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayOf } from '../../lib/diagnostics/counters';
import { CHROME_EXTENSION_ID } from '../../lib/extension-identity';
import { accessibilityViolations } from './support/axe';
import { type ExtensionBrowser, launchWithExtension } from './support/browser';
import { installExtensionPolicy } from './support/chromium-policy';
import { fixturePage, serveMailHosts } from './support/mail-hosts';

const SCREENSHOTS = join(process.cwd(), 'test-results', 'screenshots');
const TABS = ['connection', 'sync', 'activity', 'about'] as const;

/** Opens an options tab and waits until its content has loaded. */
async function openOptionsTab(page: Page, tab: (typeof TABS)[number]) {
  await page.getByRole('tab').nth(TABS.indexOf(tab)).click();
  await expect.poll(() => page.getByRole('tabpanel').first().getAttribute('id')).toBe(`panel-${tab}`);
  // The stored state shows at once; the rest of the tab (and its buttons) once the worker answers,
  // until then it says "Loading the connection…".
  if (tab === 'connection') {
    await page.locator('.connection-status[data-status]').waitFor();
    await page.getByRole('tabpanel').getByRole('button').first().waitFor();
  }
  if (tab === 'sync') await page.locator('#email-logging-heading').waitFor();
  if (tab === 'about') await page.locator('.licenses li').first().waitFor();
}

/** A full-page screenshot with the keyboard focus ring on the selected tab, as a keyboard user sees it. */
async function screenshot(page: Page, name: string) {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('Tab');
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

async function changeSetting(page: Page, changes: Record<string, unknown>) {
  return page.evaluate((c) => chrome.runtime.sendMessage({ type: 'settings/change', changes: c }), changes);
}

describe.each(['en', 'ja'] as const)('the options page and popup in %s', (lang) => {
  let browser: ExtensionBrowser;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await launchWithExtension({ locale: lang });
  });
  afterAll(() => browser?.close());

  it('has no accessibility violation on any tab, and looks right (screenshots)', async () => {
    const page = await browser.open('options.html');
    for (const tab of TABS) {
      await openOptionsTab(page, tab);
      expect(await accessibilityViolations(page), `${lang} ${tab}`).toEqual([]);
      await screenshot(page, `${lang}-${tab}`);
    }

    // The BCC way, the "Admin settings" view and a refused value are part of the Sync tab too.
    await openOptionsTab(page, 'sync');
    await page.locator('#tab-bcc').click();
    expect(await accessibilityViolations(page), `${lang} sync, BCC way`).toEqual([]);
    await screenshot(page, `${lang}-sync-bcc`);
    await page.locator('#tab-api').click();
    const wait = page.locator('input[inputmode="numeric"]').first();
    await wait.fill('45');
    await wait.press('Enter');
    await page.locator('.field-error').first().waitFor();
    expect(await accessibilityViolations(page), `${lang} sync with an error`).toEqual([]);
    await wait.focus();
    await page.screenshot({ path: join(SCREENSHOTS, `${lang}-sync-error.png`), fullPage: true });
    await page.locator('#tab-admin').click();
    await page.locator('#policy-builder-heading').waitFor();
    expect(await accessibilityViolations(page), `${lang} admin settings`).toEqual([]);
    await screenshot(page, `${lang}-sync-admin`);
    await page.close();

    const popup = await browser.open('popup.html');
    await popup.getByRole('heading', { level: 1 }).waitFor();
    expect(await accessibilityViolations(popup), `${lang} popup`).toEqual([]);
    await screenshot(popup, `${lang}-popup`);
    await popup.close();
    expect(browser.errors).toEqual([]);
  });

  it('works with the keyboard alone: tabs, a switch and a choice', async () => {
    const page = await browser.open('options.html#sync');
    await page.locator('#email-logging-heading').waitFor();
    await page.locator('#tab-sync').focus();
    // Into the panel: the view switch ("My account"), "Turn off", the ways (API / BCC), then the first control.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-account');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(
      lang === 'en' ? 'Turn off email logging' : 'メールの記録をオフにする',
    );
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-api');
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-bcc');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Tab');
    // The focused radio of "Log as" has a visible focus ring.
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLInputElement;
      return { type: el.type, value: el.value, outline: getComputedStyle(el).outlineStyle };
    });
    expect(focused).toEqual({ type: 'radio', value: 'task', outline: 'solid' });
    await page.keyboard.press('ArrowDown');
    await expect
      .poll(() => page.evaluate(() => chrome.runtime.sendMessage({ type: 'settings/get' })))
      .toMatchObject({
        ok: true,
        value: { values: { logAs: 'enhancedEmail' } },
      });
    expect(await changeSetting(page, { logAs: 'task' })).toMatchObject({ ok: true });
    await page.close();
  });
});

describe('an open Gmail tab follows settings changed in options, without a reload', () => {
  const BCC = 'emailtosalesforce@k-1a2b3c.r-9z8y7x.na123.le.salesforce.com';
  let browser: ExtensionBrowser;

  beforeAll(async () => {
    browser = await launchWithExtension({ locale: 'en' });
    await serveMailHosts(browser.context, { gmail: fixturePage('gmail-compose.html') });
  });
  afterAll(() => browser?.close());

  it('switches the compose control from API to BCC (adding the BCC chip), then off', async () => {
    const gmail = await browser.open('https://mail.google.com/mail/u/0/#inbox');
    await gmail.evaluate(() => (window as unknown as { __gmailFixture: { ready: Promise<unknown> } }).__gmailFixture.ready);
    // Marks this page load: a reload would lose it.
    await gmail.evaluate(() => Object.assign(window, { __sameLoad: true }));
    await gmail.click('#compose-button');
    const compose = gmail.locator('[role="dialog"]').last();
    const control = compose.getByRole('button', { name: /Log to Salesforce/ });
    await expect.poll(() => control.textContent()).toMatch(/On · API$/);

    // The rep changes the way in the options page, through its controls.
    const options = await browser.open('options.html#sync');
    await options.locator('#email-logging-heading').waitFor();
    await options.getByRole('tab', { name: 'Email to Salesforce (BCC)' }).click();
    const address = options.getByRole('textbox', { name: 'Your Email to Salesforce address' });
    await address.fill(BCC);
    await address.press('Enter');
    await options.getByRole('button', { name: 'Activate' }).click();
    await options.getByText('Email you send is logged by BCC to your Email to Salesforce address.').waitFor();

    await expect.poll(() => control.textContent()).toMatch(/On · BCC$/);
    await expect.poll(() => compose.locator(`[name="bcc"] [role="option"][data-hovercard-id="${BCC}"]`).count()).toBe(1);

    await options.getByRole('button', { name: 'Turn off email logging' }).click();
    await expect.poll(() => control.textContent()).toMatch(/: Off$/);
    expect(await control.isDisabled()).toBe(true);
    expect(await gmail.evaluate(() => (window as unknown as { __sameLoad?: boolean }).__sameLoad)).toBe(true);
    expect(browser.errors).toEqual([]);
  });
});

describe('the About tab’s diagnostics count what happened in a mail tab', () => {
  let browser: ExtensionBrowser;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await launchWithExtension({ locale: 'en' });
    await serveMailHosts(browser.context, { gmail: fixturePage('gmail-compose.html') });
  });
  afterAll(() => browser?.close());

  it('shows a send that left Gmail with no compose open, by day and mail service, and in the report (screenshot)', async () => {
    const options = await browser.open('options.html#about');
    await options.locator('.licenses li').first().waitFor();
    await options.getByText('Nothing to report in the last 30 days.').waitFor();

    const gmail = await browser.open('https://mail.google.com/mail/u/0/#inbox');
    await gmail.evaluate(() => (window as unknown as { __gmailFixture: { ready: Promise<unknown> } }).__gmailFixture.ready);
    const status = await gmail.evaluate(() =>
      (window as unknown as { __gmailFixture: { sendUnseen(): Promise<number> } }).__gmailFixture.sendUnseen(),
    );
    expect(status).toBe(204);

    // The open options page follows the count as the worker stores it (the tab sends its counts within seconds).
    const row = options.locator('.diagnostics-table tr[data-counter="sendNoCompose"]');
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    const today = new Intl.DateTimeFormat('en', { dateStyle: 'medium' }).format(new Date());
    expect(await row.locator('td').allTextContents()).toEqual([
      today,
      'Gmail',
      'An email was sent from a compose the extension was not following, so its Log to Salesforce switch was not known',
      '1',
    ]);
    const report = (await options.locator('.support-details pre').textContent()) ?? '';
    expect(report).toContain(`\n${dayOf(Date.now())} gmail sendNoCompose 1`);
    expect(report).not.toContain('buyer@customer.com');
    expect(report).not.toContain('Sent from elsewhere');
    expect(await accessibilityViolations(options)).toEqual([]);
    await screenshot(options, 'en-about-diagnostics-send-without-compose');
    expect(browser.errors).toEqual([]);
  });
});

describe('a real Chromium policy, deployed as an administrator would', () => {
  let browser: ExtensionBrowser | undefined;
  let policy: ReturnType<typeof installExtensionPolicy> | undefined;

  beforeAll(async () => {
    // Values other suites do not depend on: the file is machine-wide while it exists.
    policy = installExtensionPolicy(CHROME_EXTENSION_ID, {
      settings: { multipleMatches: 'oldest', scheduledSends: 'logWhenScheduled', logAs: 'task' },
      lockedSettings: ['multipleMatches', 'scheduledSends', 'logAs'],
    });
    try {
      browser = await launchWithExtension({ locale: 'en' });
    } catch (error) {
      policy.remove();
      throw error;
    }
  });
  afterAll(async () => {
    try {
      await browser?.close();
    } finally {
      policy?.remove();
    }
  });

  it('shows the locked values as set by the administrator, and the worker refuses to change them', async () => {
    if (!browser) throw new Error('no browser');
    const page = await browser.open('options.html#sync');
    await page.locator('#email-logging-heading').waitFor();
    await expect.poll(() => page.getByText('Your administrator manages 3 of these settings').count()).toBe(1);

    const matches = page.getByRole('combobox', { name: 'When an address matches more than one record' });
    expect(await matches.isDisabled()).toBe(true);
    expect(await matches.inputValue()).toBe('oldest');
    const described = (await matches.getAttribute('aria-describedby'))?.split(' ') ?? [];
    const notes = await Promise.all(described.map((id) => page.locator(`[id="${id}"]`).textContent()));
    expect(notes.join(' ')).toContain('Set by your administrator');
    expect(await page.getByRole('radio', { name: "Task (an activity with the email's text)" }).isDisabled()).toBe(true);

    await page.screenshot({ path: join(SCREENSHOTS, 'en-sync-locked.png'), fullPage: true });

    // Not through the UI, and not through any message to the worker.
    expect(await changeSetting(page, { multipleMatches: 'all' })).toMatchObject({
      ok: false,
      error: { kind: 'settingLocked', field: 'multipleMatches' },
    });
    // Settings the policy leaves alone stay the rep's.
    expect(await changeSetting(page, { noMatch: 'skip' })).toMatchObject({ ok: true, value: { values: { noMatch: 'skip' } } });

    await page.locator('#tab-admin').click();
    const deployed = page.getByRole('region', { name: 'Team policy on this browser' });
    expect(await deployed.getByRole('row').count()).toBe(4);
    expect(await deployed.getByText('Locked (set by the administrator)').count()).toBe(3);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'en-sync-admin-policy.png'), fullPage: true });
    expect(browser.errors).toEqual([]);
  });
});
