// The Outlook reading-pane control, injected by the worker once a message is open (lib/mail/reading-pane/lazy.ts).
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { PANE_SLOT, type StartPane } from '@/lib/mail/reading-pane/lazy';
import { watchOutlookReadingPane } from '@/lib/mail/reading-pane/outlook-pane';

export default defineUnlistedScript(() => {
  (globalThis as unknown as Record<symbol, StartPane>)[PANE_SLOT] = watchOutlookReadingPane;
});
