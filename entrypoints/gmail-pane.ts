// The Gmail reading-pane control, injected by the worker once a thread is open (lib/mail/reading-pane/lazy.ts).
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { watchGmailReadingPane } from '@/lib/mail/reading-pane/gmail-pane';
import { PANE_SLOT, type StartPane } from '@/lib/mail/reading-pane/lazy';

export default defineUnlistedScript(() => {
  (globalThis as unknown as Record<symbol, StartPane>)[PANE_SLOT] = watchGmailReadingPane;
});
