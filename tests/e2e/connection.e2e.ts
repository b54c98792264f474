/**
 * Connecting to Salesforce in Chromium, through the options page as a rep does it, against the
 * org emulator on loopback (allowed in the e2e build only). The login window is Chrome's own
 * identity.launchWebAuthFlow: the emulator signs the rep in at once and redirects to
 * https://<extension id>.chromiumapp.org/oauth2, which Chrome hands back to the worker.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../emulator';
import { CONNECTION_ORG_NAME, CONNECTION_SEED } from '../fixtures/connection-org';
import { type ExtensionBrowser, launchWithExtension } from './support/browser';

const SCREENSHOTS = join(process.cwd(), 'test-results', 'screenshots');
const statusOf = (page: Page) => page.locator('.connection-status').getAttribute('data-status');
const refreshGrants = (sf: Emulator) => sf.control.oauthGrants().refresh_token ?? 0;

describe('connecting to Salesforce from the options page', () => {
  let sf: Emulator;
  let browser: ExtensionBrowser;
  let options: Page;

  beforeAll(async () => {
    sf = await startEmulator({ port: 0, seed: CONNECTION_SEED });
    browser = await launchWithExtension({ locale: 'en' });
    options = await browser.open('options.html#connection');
  });
  afterAll(async () => {
    await browser?.close();
    await sf?.stop();
  });

  it('starts not connected, in the options page and the popup', async () => {
    await expect.poll(() => statusOf(options)).toBe('notConnected');
    const popup = await browser.open('popup.html');
    await expect.poll(() => popup.getByText('Not connected to Salesforce').count()).toBe(1);
    await popup.close();
  });

  it('refuses a My Domain that is not a Salesforce address, before any login window', async () => {
    await options.getByRole('radio', { name: 'Custom domain (My Domain)' }).check();
    await options.getByLabel('My Domain URL').fill('https://acme.my.salesforce.com.evil.example');
    await options.getByRole('button', { name: 'Connect to Salesforce' }).click();
    await expect.poll(() => options.getByText('That is not a Salesforce My Domain.', { exact: false }).count()).toBe(1);
    expect(sf.control.oauthGrants().authorization_code ?? 0).toBe(0);
  });

  it('connects with the custom domain and shows who and where', async () => {
    await options.getByLabel('My Domain URL').fill(sf.url);
    await options.getByRole('button', { name: 'Connect to Salesforce' }).click();
    await expect.poll(() => statusOf(options), { timeout: 20_000 }).toBe('connected');
    const user = sf.org.defaultUser();
    const details = options.locator('.connection-details');
    await expect.poll(() => details.textContent()).toContain(String(user.Name));
    const text = (await details.textContent()) ?? '';
    expect(text).toContain(String(user.Username));
    expect(text).toContain(CONNECTION_ORG_NAME);
    expect(text).toContain(`127.0.0.1:${sf.port}`);
    expect(text).toContain('62.0');
    expect(sf.control.oauthGrants().authorization_code).toBe(1);

    const popup = await browser.open('popup.html');
    await expect.poll(() => popup.getByText(`Connected to ${CONNECTION_ORG_NAME}`).count()).toBe(1);
    await popup.close();
  });

  it("shows today's API usage from the org's Sforce-Limit-Info", async () => {
    await expect.poll(() => options.getByTestId('org-usage').textContent()).toMatch(/^[\d,]+ of [\d,]+ calls \(\d+%\)$/);
    // Who and which org, and the org check.
    await expect.poll(() => options.getByTestId('our-usage').textContent()).toMatch(/connecting 3\)$/);
  });

  it("lists what the org will do to logged email, a new org's duplicate rule marked for the admin", async () => {
    const check = options.getByRole('region', { name: 'What your org does with logged email' });
    await expect.poll(() => check.locator('li').count()).toBe(5);
    expect(await check.locator('li.attention').textContent()).toContain('Active Lead duplicate rules: Standard Lead Duplicate Rule.');
    expect(await check.locator('li.fine').allTextContents()).toEqual([
      '✓ API access works for your user.',
      '✓ Enhanced Email is on, so email can be logged as Salesforce email messages.',
      '✓ Shared Activities is on, so one Task can name up to 50 contacts.',
      '✓ Tasks have the Email subtype, so logged email shows as email in Salesforce.',
    ]);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await options.screenshot({ path: join(SCREENSHOTS, 'en-connection-org-check.png'), fullPage: true });
  });

  it('stays connected when every session expires: the next query refreshes once', async () => {
    sf.control.expireSessions();
    const before = refreshGrants(sf);
    await options.getByRole('button', { name: 'Check now' }).click();
    await expect.poll(() => options.getByRole('button', { name: 'Check now' }).isEnabled()).toBe(true);
    // The two queries again (the org check is kept a day).
    await expect.poll(() => options.getByTestId('our-usage').textContent()).toMatch(/connecting 5\)$/);
    expect(await statusOf(options)).toBe('connected');
    expect(refreshGrants(sf)).toBe(before + 1);
  });

  it('says reconnect is needed when the refresh token is revoked, in the page and the popup', async () => {
    sf.control.revokeRefreshTokens();
    sf.control.expireSessions();
    await options.getByRole('button', { name: 'Check now' }).click();
    await expect.poll(() => statusOf(options)).toBe('reconnectNeeded');
    expect(await options.locator('.connection-status').textContent()).toContain('Reconnect needed');
    // Which org it was is still shown.
    expect(await options.locator('.connection-details').textContent()).toContain(CONNECTION_ORG_NAME);
    const popup = await browser.open('popup.html');
    await expect.poll(() => popup.getByText('Reconnect needed').count()).toBe(1);
    await popup.close();
  });

  it('connects again', async () => {
    await options.getByRole('button', { name: 'Connect again' }).click();
    await expect.poll(() => statusOf(options), { timeout: 20_000 }).toBe('connected');
  });

  it('disconnects: the refresh token is revoked at Salesforce and the page says not connected', async () => {
    await options.getByRole('button', { name: 'Disconnect' }).click();
    await expect.poll(() => statusOf(options)).toBe('notConnected');
    // Nothing left to revoke: the extension's refresh token is gone at the org.
    expect(sf.control.revokeRefreshTokens()).toBe(0);
    expect(await options.locator('.connection-details').count()).toBe(0);
  });

  it('explains an org without API access and offers the BCC way', async () => {
    sf.control.fault({ path: '/query', status: 403, errorCode: 'API_DISABLED_FOR_ORG', times: 0 });
    await options.getByRole('button', { name: 'Connect to Salesforce' }).click();
    await expect.poll(() => statusOf(options), { timeout: 20_000 }).toBe('noApiAccess');
    const panel = (await options.locator('.connection-status').textContent()) ?? '';
    expect(panel).toContain('Your org has no API access');
    expect(panel).toContain('Enterprise, Unlimited, Developer or Performance Edition, or Professional Edition with API access purchased');
    sf.control.clearFaults();
    // No session kept: what the sign-in got was revoked.
    expect(sf.control.revokeRefreshTokens()).toBe(0);
    await options.getByRole('link', { name: 'Use Email to Salesforce (BCC) instead' }).click();
    await expect.poll(() => options.getByRole('tab', { name: 'Sync settings' }).getAttribute('aria-selected')).toBe('true');
  });

  it('logged no console error from any part', () => {
    expect(browser.errors).toEqual([]);
  });
});
