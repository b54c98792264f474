/**
 * A rep writing an email in the Gmail and Outlook fixture pages, through Playwright locators, so a
 * test can work the compose control before sending (compose.ts has the steps Firefox shares).
 */
import type { BrowserContext, Locator } from 'playwright-core';
import { expect } from 'vitest';

/** Opens the Gmail fixture in a new tab and writes an email there, not yet sent. */
export async function composeInGmail(context: BrowserContext, to: string, subject: string, body: string) {
  const page = await context.newPage();
  await page.goto('https://mail.google.com/mail/u/0/#inbox');
  await page.evaluate(() => (window as unknown as { __gmailFixture: { ready: Promise<unknown> } }).__gmailFixture.ready);
  await page.click('#compose-button');
  const compose = page.locator('[role="dialog"]').last();
  await compose.locator('[name="to"] input').fill(to);
  await compose.locator('[name="to"] input').press('Enter');
  await compose.locator('input[name="subjectbox"]').fill(subject);
  await compose.locator('[role="textbox"]').fill(body);
  return { page, compose, send: () => compose.locator('[data-tooltip^="Send"]').click() };
}

/** Opens the Outlook fixture in a new tab and writes an email there, not yet sent. */
export async function composeInOutlook(context: BrowserContext, to: string, subject: string, body: string) {
  const page = await context.newPage();
  await page.goto('https://outlook.office.com/mail/inbox');
  await page.click('#newMail');
  const form: Locator = page.locator('[data-app-section="ComposeForm"]');
  await form.locator('[contenteditable][aria-label="To"]').click();
  await page.keyboard.type(to);
  await page.keyboard.press('Enter');
  await expect.poll(() => form.locator('[aria-label="To"] [data-lpc-hover-target-id]').count()).toBeGreaterThan(0);
  await form.locator('input[aria-label="Subject"]').fill(subject);
  await form.locator('[aria-label="Message body"]').click();
  await page.keyboard.type(body);
  return { page, form, send: () => form.getByRole('button', { name: 'Send', exact: true }).click() };
}
