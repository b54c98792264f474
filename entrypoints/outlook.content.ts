import { defineContentScript } from 'wxt/utils/define-content-script';
import { startContentWorld } from '@/lib/mail/content-world';
import { OUTLOOK_MATCHES } from '@/lib/mail/hosts';
import { startOutlook } from '@/lib/mail/outlook/content';
// Lets the browser tell us when it renders a compose (see the file); the manifest injects it.
import '@/lib/mail/outlook/outlook-compose.css';

export default defineContentScript({
  matches: OUTLOOK_MATCHES,
  runAt: 'document_start',
  main(ctx) {
    startContentWorld('outlook', ctx, startOutlook);
  },
});
