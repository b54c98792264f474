/**
 * What the Gmail content scripts cost the page while nothing relevant happens: the Gmail-like
 * test page with a compose open makes 10,000 unrelated DOM insertions (see
 * support/mutation-cost.ts for the method).
 */
import { fixturePage, serveMailHosts } from '../e2e/support/mail-hosts';
import { measureMutationCost } from './support/mutation-cost';

type Fixture = { __gmailFixture: { ready: Promise<unknown>; mutate(total: number, perFrame: number): Promise<number> } };

export function run(): Promise<Record<string, number>> {
  return measureMutationCost('gmail', {
    serve: (context) =>
      serveMailHosts(context, { gmail: fixturePage('gmail-compose.html'), gmailSync: () => ({ status: 200, body: '[]' }) }),
    url: 'https://mail.google.com/mail/u/0/#inbox',
    openCompose: async (page) => {
      await page.evaluate(() => (window as unknown as Fixture).__gmailFixture.ready);
      await page.click('#compose-button');
    },
    mutate: (page, total, perFrame) =>
      page.evaluate(({ total, perFrame }) => (window as unknown as Fixture).__gmailFixture.mutate(total, perFrame), { total, perFrame }),
  });
}
