/// <reference types="chrome" />
/**
 * The compose control at the narrowest compose width, in English and in Japanese (the
 * extension and the webmail in the same language, as a rep has them): its parts stay inside
 * the compose, clear of the webmail's own footer, and that footer keeps its line and its place
 * inside the compose. Measured from bounding boxes; each state is saved as a screenshot named
 * for it, in test-results/screenshots.
 */
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExtensionBrowser, launchWithExtension } from './support/browser';
import { fixturePage, serveMailHosts } from './support/mail-hosts';

const SCREENSHOTS = join(process.cwd(), 'test-results', 'screenshots');
/** The narrowest compose this project holds the control to, in CSS pixels (both webmails' composes are wider by default). */
const NARROWEST = 360;

const TEXTS = {
  en: { to: 'To', noRecipients: 'Add a recipient to see who will be logged.', willLog: 'This email will be logged to Salesforce.' },
  ja: { to: '宛先', noRecipients: '宛先を入力すると、記録先がここに表示されます。', willLog: 'このメールは Salesforce に記録されます。' },
} as const;

interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

interface Layout {
  compose: Box;
  /** The control's visible parts (its host, switch and words), read inside its shadow root. */
  control: Box[];
  /** The webmail's own footer items and the footer, with the control in place and with it taken out. */
  own: Box[];
  footer: Box;
  ownAlone: Box[];
  footerAlone: Box;
}

/** Measures a compose in the page; `own` selects the webmail's own footer items, `footer` the row they sit in. */
function measure(scope: Locator, own: string, footer: string): Promise<Layout> {
  return scope.evaluate(
    (root, [ownSelector, footerSelector]) => {
      const box = (e: Element) => {
        const r = e.getBoundingClientRect();
        return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
      };
      const host = root.querySelector('[data-sales-activity-sync="compose-control"]') as HTMLElement;
      const row = root.querySelector(footerSelector as string) as Element;
      const ownBoxes = () => [...root.querySelectorAll(ownSelector as string)].map(box);
      const control = [host, ...(host.shadowRoot?.querySelectorAll('button, .short') ?? [])].map(box).filter((b) => b.right > b.left);
      const layout = { compose: box(root), control, own: ownBoxes(), footer: box(row) };
      host.style.display = 'none';
      const alone = { ownAlone: ownBoxes(), footerAlone: box(row) };
      host.style.display = '';
      return { ...layout, ...alone };
    },
    [own, footer],
  );
}

const overlaps = (a: Box, b: Box) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;

/** The control fits: inside the compose, over none of the footer's own items, which keep their line and stay inside. */
function expectFits(layout: Layout) {
  const { compose } = layout;
  expect(layout.control.length).toBeGreaterThan(1);
  for (const part of layout.control) {
    expect(part.left).toBeGreaterThanOrEqual(compose.left);
    expect(part.right).toBeLessThanOrEqual(compose.right);
    for (const item of layout.own) expect(overlaps(part, item)).toBe(false);
  }
  expect(layout.own.length).toBeGreaterThan(0);
  layout.own.forEach((item, i) => {
    expect(item.right).toBeLessThanOrEqual(compose.right);
    // Not pushed onto another line: each item stays at the height it has without the control.
    expect(Math.abs(item.top - (layout.ownAlone[i] as Box).top)).toBeLessThanOrEqual(1);
  });
  expect(layout.footer.bottom - layout.footer.top).toBeLessThanOrEqual(layout.footerAlone.bottom - layout.footerAlone.top + 1);
}

describe.each(['en', 'ja'] as const)('the compose control at the narrowest compose width (%s)', (lang) => {
  const text = TEXTS[lang];
  let browser: ExtensionBrowser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchWithExtension({ locale: lang });
    await serveMailHosts(browser.context, { gmail: fixturePage('gmail-compose.html'), outlook: fixturePage('outlook-mailbox.html') });
    const options = await browser.open('options.html');
    await options.evaluate((changes) => chrome.runtime.sendMessage({ type: 'settings/change', changes }), {
      emailLogging: 'api',
      composeDefaultOn: true,
    } as Record<string, unknown>);
    await options.close();
  });
  afterAll(() => browser?.close());

  const shoot = (scope: Locator, name: string) => scope.screenshot({ path: join(SCREENSHOTS, `compose-fit-${name}-${lang}.png`) });

  it('fits a Gmail compose, with no recipient yet and with one, and leaves Gmail’s footer on its line', async () => {
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 800, height: 700 });
    await page.goto(`https://mail.google.com/mail/u/0/?hl=${lang}#inbox`);
    await page.evaluate(() => (window as unknown as { __gmailFixture: { ready: Promise<unknown> } }).__gmailFixture.ready);
    await page.addStyleTag({ content: `[role="dialog"] { width: ${NARROWEST}px; box-sizing: border-box; }` });
    await page.click('#compose-button');
    const compose = page.locator('[role="dialog"]').last();
    const own = '.btC > td > div[role="button"], .btC .dC > [role="button"]:not([data-sales-activity-sync])';
    await expect.poll(() => compose.getByRole('status').textContent()).toBe(text.noRecipients);
    await shoot(compose, 'gmail-narrow-no-recipient');
    expectFits(await measure(compose, own, '.btC'));
    await compose.locator('[name="to"] input').fill('buyer@customer.com');
    await compose.locator('[name="to"] input').press('Enter');
    await expect.poll(() => compose.getByRole('status').textContent()).toBe(text.willLog);
    await shoot(compose, 'gmail-narrow-one-recipient');
    expectFits(await measure(compose, own, '.btC'));
    await page.close();
  });

  it('fits an Outlook compose, with no recipient yet and with one, and leaves Outlook’s toolbar on its line', async () => {
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 800, height: 700 });
    await page.goto(`https://outlook.office.com/mail/inbox?lang=${lang}`);
    await page.addStyleTag({ content: `#docked .compose { width: ${NARROWEST}px; box-sizing: border-box; }` });
    await page.click('#newMail');
    const compose = page.locator('[data-app-section="ComposeForm"]');
    const own = '.toolbar button';
    await expect.poll(() => compose.getByRole('status').textContent()).toBe(text.noRecipients);
    await shoot(compose, 'outlook-narrow-no-recipient');
    expectFits(await measure(compose, own, '.toolbar'));
    await compose.locator(`[contenteditable][aria-label="${text.to}"]`).click();
    await page.keyboard.type('buyer@customer.com');
    await page.keyboard.press('Enter');
    await expect.poll(() => compose.getByRole('status').textContent()).toBe(text.willLog);
    await shoot(compose, 'outlook-narrow-one-recipient');
    expectFits(await measure(compose, own, '.toolbar'));
    await page.close();
  });

  it('logged no console error from any part', () => {
    expect(browser.errors).toEqual([]);
  });
});
