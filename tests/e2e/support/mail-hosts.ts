/**
 * Serves fixture pages for the webmail hosts through Playwright's routing, so content scripts
 * inject exactly as on the real hosts while nothing reaches the internet.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { OUTLOOK_HOSTS } from '../../../lib/mail/hosts';

const PAGES_DIR = join(process.cwd(), 'tests', 'e2e', 'pages');

export function fixturePage(name: string): string {
  return readFileSync(join(PAGES_DIR, name), 'utf8');
}

/** Answers every request to the mail hosts: pages from fixtures, anything else 204. */
export async function serveMailHosts(context: BrowserContext, pages: { gmail?: string; outlook?: string } = {}): Promise<void> {
  const gmail = pages.gmail ?? fixturePage('blank-mailbox.html');
  const outlook = pages.outlook ?? fixturePage('blank-mailbox.html');
  await context.route('https://mail.google.com/**', (route) =>
    route.request().resourceType() === 'document'
      ? route.fulfill({ contentType: 'text/html', body: gmail })
      : route.fulfill({ status: 204 }),
  );
  for (const host of OUTLOOK_HOSTS) {
    await context.route(`https://${host}/**`, (route) =>
      route.request().resourceType() === 'document'
        ? route.fulfill({ contentType: 'text/html', body: outlook })
        : route.fulfill({ status: 204 }),
    );
  }
}
