import { defineContentScript } from 'wxt/utils/define-content-script';
import { startContentWorld } from '@/lib/mail/content-world';
import { startGmail } from '@/lib/mail/gmail/content';
import { GMAIL_MATCHES } from '@/lib/mail/hosts';
// Lets the browser tell us when it renders a compose (see the file); the manifest injects it.
import '@/lib/mail/gmail/gmail-compose.css';

export default defineContentScript({
  matches: GMAIL_MATCHES,
  runAt: 'document_start',
  main(ctx) {
    startContentWorld('gmail', ctx, startGmail);
  },
});
