/**
 * A rep's steps in the Gmail and Outlook fixture pages, written against the few page methods
 * Playwright's and Puppeteer's pages share (click, type, keyboard, evaluate), so Chromium and
 * Firefox suites run the same steps.
 */
import { expect } from 'vitest';

/** What both drivers' pages offer. */
export interface DriverPage {
  click(selector: string): Promise<void>;
  type(selector: string, text: string): Promise<void>;
  keyboard: { type(text: string): Promise<void>; press(key: string): Promise<void> };
  /** Runs `fn` in the page with one string argument (a selector). */
  evaluate(fn: (arg: string) => unknown, arg: string): Promise<unknown>;
}

const GMAIL_COMPOSE = '[role="dialog"]';
export const OUTLOOK_COMPOSE = '[data-app-section="ComposeForm"]';

/** Text of the first element matching `selector`, or null when there is none yet. */
export function textOf(page: DriverPage, selector: string): Promise<string | null> {
  return page.evaluate((s) => document.querySelector(s)?.textContent ?? null, selector) as Promise<string | null>;
}

/** Opens a new Gmail compose and fills one recipient, the subject and a line of body. Returns its Send. */
export async function composeInGmail(
  page: DriverPage,
  to: string,
  subject: string,
): Promise<{ status: () => Promise<string | null>; send: () => Promise<void> }> {
  await page.evaluate(() => (window as unknown as { __gmailFixture: { ready: Promise<unknown> } }).__gmailFixture.ready, '');
  await page.click('#compose-button');
  await page.type(`${GMAIL_COMPOSE} [name="to"] input`, to);
  await page.keyboard.press('Enter');
  await page.type(`${GMAIL_COMPOSE} input[name="subjectbox"]`, subject);
  await page.type(`${GMAIL_COMPOSE} [role="textbox"]`, 'Here is the quote we discussed.');
  return {
    // The control lives in an open shadow root, which querySelector does not enter.
    status: () =>
      page.evaluate(
        (s) => document.querySelector(s)?.shadowRoot?.querySelector('[role="status"]')?.textContent ?? null,
        `${GMAIL_COMPOSE} [data-sales-activity-sync="compose-control"]`,
      ) as Promise<string | null>,
    send: () => page.click(`${GMAIL_COMPOSE} [data-tooltip^="Send"]`),
  };
}

/** Writes a new email in the Outlook fixture page and sends it. */
export async function sendFromOutlook(page: DriverPage, to: string, subject: string): Promise<void> {
  await page.click('#newMail');
  await page.click(`${OUTLOOK_COMPOSE} [contenteditable][aria-label="To"]`);
  await page.keyboard.type(to);
  await page.keyboard.press('Enter');
  const chips = `${OUTLOOK_COMPOSE} [aria-label="To"] [data-lpc-hover-target-id]`;
  await expect.poll(() => page.evaluate((s) => document.querySelectorAll(s).length, chips)).toBeGreaterThan(0);
  await page.type(`${OUTLOOK_COMPOSE} input[aria-label="Subject"]`, subject);
  await page.click(`${OUTLOOK_COMPOSE} [aria-label="Message body"]`);
  await page.keyboard.type('Here is the quote.');
  await page.click(`${OUTLOOK_COMPOSE} button[aria-label="Send"]`);
}
