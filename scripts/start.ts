/// <reference types="chrome" />
/**
 * `npm start`: the demo, on an embedded Salesforce org. Builds the extension in e2e mode (the
 * build that may talk to loopback), starts the org emulator with the demo org, opens Chromium
 * with the extension, a demo mailbox page and the options page, and runs the demo flows.
 * `npm start -- --headless` runs the same unattended and prints what happened.
 *
 * A flow is one thing a rep does, told in a few lines. To show a new feature, add a flow to
 * FLOWS; it gets the running org (to read what the extension wrote) and the browser.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { readGmailSyncRequest } from '../lib/mail/gmail/sync-request';
import { type ExtensionBrowser, launchWithExtension } from '../tests/e2e/support/browser';
import { fixturePage, serveMailHosts } from '../tests/e2e/support/mail-hosts';
import { OUT_BASE } from '../tests/e2e/support/paths';
import { DEFAULT_PORT, type Emulator, startEmulator } from '../tests/emulator';

const GMAIL_CAPTURED_ID = 'msg-a:r8190137112111191537';
const GMAIL_SEND_ANSWER = readFileSync(join(process.cwd(), 'tests/fixtures/mail/gmail/2022-09-09-cvOnSend_response.json'), 'utf8');

export interface DemoContext {
  sf: Emulator;
  browser: ExtensionBrowser;
  /** The demo mailbox (a stand-in for Gmail on mail.google.com), already open. */
  mailbox: Page;
  say(line: string): void;
}

export interface Flow {
  name: string;
  run(demo: DemoContext): Promise<void>;
}

const FLOWS: Flow[] = [
  {
    name: 'Connect the extension to the demo org',
    async run({ sf, browser, say }) {
      const options = await browser.open('options.html#connection');
      await options.getByRole('radio', { name: 'Custom domain (My Domain)' }).check();
      await options.getByLabel('My Domain URL').fill(sf.url);
      await options.getByRole('button', { name: 'Connect to Salesforce' }).click();
      say(`signing in at ${sf.url} (the emulator approves at once and redirects to the extension)`);
      await options.locator('.connection-status[data-status="connected"]').waitFor({ timeout: 30_000 });
      // The details card is rows of <dt>label</dt><dd>value</dd>.
      for (const row of await options.locator('.connection-details .detail-row').all()) {
        say(`${await row.locator('dt').textContent()}: ${await row.locator('dd').textContent()}`);
      }
    },
  },
  {
    name: 'Send an email from Gmail: it is logged once, as a Task on the contact and their account',
    async run({ sf, browser, mailbox, say }) {
      const options = await browser.open('options.html#sync');
      // A short undo window keeps the demo quick; reps keep Gmail's own (10 s by default).
      await options.evaluate(() =>
        chrome.runtime.sendMessage({ type: 'settings/change', changes: { emailLogging: 'api', undoSendSeconds: 3 } }),
      );
      await options.close();
      const contact = sf.org.records('Contact').find((c) => c.Email && c.AccountId);
      if (!contact) throw new Error('the demo org has no contact with an account');
      const subject = `Quote for ${contact.Name}`;
      await mailbox.evaluate(() => (window as unknown as { __gmailFixture: { ready: Promise<unknown> } }).__gmailFixture.ready);
      await mailbox.click('#compose-button');
      const compose = mailbox.locator('[role="dialog"]').last();
      await compose.locator('[name="to"] input').fill(String(contact.Email));
      await compose.locator('[name="to"] input').press('Enter');
      await compose.locator('input[name="subjectbox"]').fill(subject);
      await compose.locator('[role="textbox"]').fill('Here is the quote we discussed.');
      await compose.getByRole('status').filter({ hasText: 'Will log to' }).waitFor({ timeout: 15_000 });
      say(`compose control: ${await compose.getByRole('status').textContent()}`);
      await compose.locator('[data-tooltip^="Send"]').click();
      say(`sent to ${contact.Email}; the extension waits out the undo window, then logs it`);
      const logged = () => sf.org.records('Task').filter((t) => t.Subject === `Email: ${subject}`);
      const deadline = Date.now() + 30_000;
      while (logged().length === 0 && Date.now() < deadline) await mailbox.waitForTimeout(250);
      const [task, ...more] = logged();
      if (!task || more.length > 0) throw new Error(`expected one Task, found ${logged().length}`);
      const account = sf.org.records('Account').find((a) => a.Id === task.WhatId);
      say(`Task ${task.Id}: "${task.Subject}", ${task.TaskSubtype}, ${task.Status}`);
      say(`related to ${contact.Name} (WhoId) and ${account?.Name ?? task.WhatId} (WhatId)`);
    },
  },
];

const headless = process.argv.includes('--headless');
const log = (line: string) => console.log(line);

function build(): void {
  log('building the extension (e2e mode) ...');
  execFileSync('npx', ['wxt', 'build', '--mode', 'e2e'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, EXTENSION_OUT_DIR: OUT_BASE },
  });
}

/** The documented port when it is free, so a second demo or a running emulator does not block us. */
async function startDemoOrg(): Promise<Emulator> {
  try {
    return await startEmulator({ port: DEFAULT_PORT });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    log(`port ${DEFAULT_PORT} is busy; using a free port`);
    return startEmulator({ port: 0 });
  }
}

async function main(): Promise<number> {
  build();
  const sf = await startDemoOrg();
  const user = sf.org.defaultUser();
  log(`demo org running at ${sf.url} (signs in as ${user.Name} <${user.Username}>)`);
  const browser = await launchWithExtension({ headless });
  log(`extension ${browser.extensionId} loaded in Chromium`);
  await serveMailHosts(browser.context, {
    gmail: fixturePage('gmail-compose.html'),
    // Answers the mailbox's send requests the way Gmail does, with the captured response.
    gmailSync: (request) => {
      const sent = readGmailSyncRequest(request.postData() ?? '').sends[0];
      return { status: 200, body: sent ? GMAIL_SEND_ANSWER.replaceAll(GMAIL_CAPTURED_ID, sent.messageId) : GMAIL_SEND_ANSWER };
    },
  });
  const mailbox = await browser.open('https://mail.google.com/mail/u/0/#inbox');
  log(`demo mailbox open: ${mailbox.url()}`);

  let failures = 0;
  for (const flow of FLOWS) {
    log(`\n== ${flow.name}`);
    try {
      await flow.run({ sf, browser, mailbox, say: (line) => log(`   ${line}`) });
    } catch (error) {
      failures++;
      log(`   FAILED: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
  }

  const { total, byEndpoint } = sf.control.calls();
  log(
    `\nSalesforce API calls made: ${total}${
      total
        ? ` (${Object.entries(byEndpoint)
            .map(([k, n]) => `${k} x${n}`)
            .join(', ')})`
        : ''
    }`,
  );
  if (browser.errors.length > 0) log(`console errors:\n  ${browser.errors.join('\n  ')}`);

  if (!headless) {
    log('\nThe browser is yours: try the extension against the demo org. Close the window to stop.');
    await new Promise<void>((resolve) => browser.context.on('close', () => resolve()));
  }
  await browser.close();
  await sf.stop();
  return failures > 0 || browser.errors.length > 0 ? 1 : 0;
}

process.exit(await main());
