// Runs in the page's own JavaScript world, where Gmail's network requests can be seen.
import { defineContentScript } from 'wxt/utils/define-content-script';
import { gmailSendDetector } from '@/lib/mail/gmail/send-detector';
import { GMAIL_MATCHES } from '@/lib/mail/hosts';
import { gmailAnswerWatch } from '@/lib/mail/incoming/answer-watch';
import { startPageWorld } from '@/lib/mail/page-world';

export default defineContentScript({
  matches: GMAIL_MATCHES,
  runAt: 'document_start',
  world: 'MAIN',
  main() {
    startPageWorld('gmail', gmailSendDetector, gmailAnswerWatch);
  },
});
