/**
 * Serves fixture pages for the webmail hosts through Playwright's routing, so content scripts
 * inject exactly as on the real hosts while nothing reaches the internet.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Request } from 'playwright-core';
import { OUTLOOK_HOSTS } from '../../../lib/mail/hosts';

const PAGES_DIR = join(process.cwd(), 'tests', 'e2e', 'pages');
const GMAIL_FIXTURES_DIR = join(process.cwd(), 'tests', 'fixtures', 'mail', 'gmail');

/** How the test answers a Gmail `/sync/**` request (the send and draft-save calls). */
export type SyncHandler = (request: Request) => { status: number; body: string } | Promise<{ status: number; body: string }>;

/** Static files the fixture pages load: `/_fixture/<page file>` and `/_fixture/gmail/<captured traffic>`. */
export function fixtureFile(pathname: string): { body: string; contentType: string } | null {
  const match = /^\/_fixture\/(gmail\/)?([\w.-]+\.(js|json))$/.exec(pathname);
  if (!match?.[2]) return null;
  const body = readFileSync(join(match[1] ? GMAIL_FIXTURES_DIR : PAGES_DIR, match[2]), 'utf8');
  return { body, contentType: match[3] === 'js' ? 'text/javascript' : 'application/json' };
}

export function fixturePage(name: string): string {
  return readFileSync(join(PAGES_DIR, name), 'utf8');
}

/**
 * Answers every request to the mail hosts: pages from fixtures, the fixture pages' scripts and
 * captured traffic under /_fixture/, Gmail's /sync/** calls through `gmailSync`, anything else 204.
 */
export async function serveMailHosts(
  context: BrowserContext,
  pages: { gmail?: string; outlook?: string; gmailSync?: SyncHandler } = {},
): Promise<void> {
  const gmail = pages.gmail ?? fixturePage('blank-mailbox.html');
  const outlook = pages.outlook ?? fixturePage('blank-mailbox.html');
  const gmailSync = pages.gmailSync;
  await context.route('https://mail.google.com/**', async (route) => {
    const request = route.request();
    const { pathname } = new URL(request.url());
    if (request.resourceType() === 'document') return route.fulfill({ contentType: 'text/html', body: gmail });
    const file = fixtureFile(pathname);
    if (file) return route.fulfill(file);
    if (gmailSync && pathname.startsWith('/sync/')) {
      const answer = await gmailSync(request);
      return route.fulfill({ status: answer.status, contentType: 'application/json', body: answer.body });
    }
    return route.fulfill({ status: 204 });
  });
  for (const host of OUTLOOK_HOSTS) {
    await context.route(`https://${host}/**`, (route) =>
      route.request().resourceType() === 'document'
        ? route.fulfill({ contentType: 'text/html', body: outlook })
        : route.fulfill({ status: 204 }),
    );
  }
}
