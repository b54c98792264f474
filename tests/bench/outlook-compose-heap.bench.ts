/**
 * What the Outlook content scripts keep after composes are gone: the Outlook-like test page opens
 * and discards 1,000 new messages and reading-pane replies, against 10 (see support/compose-heap.ts).
 */
import { fixturePage, serveMailHosts } from '../e2e/support/mail-hosts';
import { type ComposeHeapBench, measureComposeHeap } from './support/compose-heap';

export const definition: ComposeHeapBench = {
  serve: (context) => serveMailHosts(context, { outlook: fixturePage('outlook-mailbox.html') }),
  url: 'https://outlook.office.com/mail/inbox',
  ready: (page) =>
    page
      .locator('#newMail')
      .waitFor()
      .then(() => undefined),
  // Runs in the page: no imports, nothing from outside, no named inner functions (the bundler would
  // wrap them in a helper the page does not have).
  cycle: async ({ count, control }) => {
    let opened = 0;
    for (let i = 0; i < count; i++) {
      const reply = i % 2 === 1;
      (document.getElementById(reply ? 'reply' : 'newMail') as HTMLElement).click();
      const host = document.getElementById(reply ? 'inlineReply' : 'docked');
      if (!host?.querySelector('#discardCompose')) break;
      if (control) {
        for (let t = 0; t < 300 && !host.querySelector('[data-sales-activity-sync]'); t++)
          await new Promise((resolve) => requestAnimationFrame(resolve));
        if (!host.querySelector('[data-sales-activity-sync]')) break;
      } else await new Promise((resolve) => requestAnimationFrame(resolve));
      (host.querySelector('#discardCompose') as HTMLElement).click();
      opened++;
    }
    return opened;
  },
};

export const run = (): Promise<Record<string, number>> => measureComposeHeap('outlook', definition);
