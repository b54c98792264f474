// The Outlook reading-pane control, injected by the worker once a message is open (lib/mail/reading-pane/lazy.ts).
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { offerScript } from '@/lib/mail/lazy-script';
import { watchOutlookReadingPane } from '@/lib/mail/reading-pane/outlook-pane';

export default defineUnlistedScript(() => offerScript('outlook-pane', watchOutlookReadingPane));
