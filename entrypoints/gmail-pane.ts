// The Gmail reading-pane control, injected by the worker once a thread is open (lib/mail/reading-pane/lazy.ts).
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { offerScript } from '@/lib/mail/lazy-script';
import { watchGmailReadingPane } from '@/lib/mail/reading-pane/gmail-pane';

export default defineUnlistedScript(() => offerScript('gmail-pane', watchGmailReadingPane));
