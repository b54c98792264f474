/**
 * What the Outlook content scripts cost the page while nothing relevant happens: the
 * Outlook-like test page with a new message open makes 10,000 unrelated DOM insertions
 * (see support/mutation-cost.ts for the method).
 */
import { fixturePage, serveMailHosts } from '../e2e/support/mail-hosts';
import { measureMutationCost } from './support/mutation-cost';

type Fixture = { __outlookFixture: { mutate(total: number, perFrame: number): Promise<number> } };

export function run(): Promise<Record<string, number>> {
  return measureMutationCost('outlook', {
    serve: (context) => serveMailHosts(context, { outlook: fixturePage('outlook-mailbox.html') }),
    url: 'https://outlook.office.com/mail/inbox',
    openCompose: (page) => page.click('#newMail'),
    mutate: (page, total, perFrame) =>
      page.evaluate(({ total, perFrame }) => (window as unknown as Fixture).__outlookFixture.mutate(total, perFrame), { total, perFrame }),
  });
}
