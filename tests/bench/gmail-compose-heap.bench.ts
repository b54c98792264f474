/**
 * What the Gmail content scripts keep after composes are gone: the Gmail-like test page opens
 * and discards 1,000 composes and inline replies, against 10 (see support/compose-heap.ts).
 */
import { fixturePage, serveMailHosts } from '../e2e/support/mail-hosts';
import { type ComposeHeapBench, measureComposeHeap } from './support/compose-heap';

type Fixture = { __gmailFixture: { ready: Promise<unknown> } };

export const definition: ComposeHeapBench = {
  serve: (context) => serveMailHosts(context, { gmail: fixturePage('gmail-compose.html'), gmailSync: () => ({ status: 200, body: '[]' }) }),
  url: 'https://mail.google.com/mail/u/0/#inbox',
  ready: (page) => page.evaluate(() => (window as unknown as Fixture).__gmailFixture.ready).then(() => undefined),
  // Runs in the page: no imports, nothing from outside, no named inner functions (the bundler would
  // wrap them in a helper the page does not have).
  cycle: async ({ count, control }) => {
    let opened = 0;
    for (let i = 0; i < count; i++) {
      const reply = i % 2 === 1;
      (document.getElementById(reply ? 'reply-link' : 'compose-button') as HTMLElement).click();
      const all = document.querySelectorAll<HTMLElement>(reply ? '#reply-area .inline-reply' : '[role="dialog"]');
      const compose = all[all.length - 1];
      if (!compose) break;
      if (control) {
        for (let t = 0; t < 300 && !compose.querySelector('[data-sales-activity-sync]'); t++)
          await new Promise((resolve) => requestAnimationFrame(resolve));
        if (!compose.querySelector('[data-sales-activity-sync]')) break;
      } else await new Promise((resolve) => requestAnimationFrame(resolve));
      (compose.querySelector('[data-tooltip^="Discard"]') as HTMLElement).click();
      opened++;
    }
    return opened;
  },
};

export const run = (): Promise<Record<string, number>> => measureComposeHeap('gmail', definition);
