// Runs in the page's own JavaScript world, where the webmail's network requests can be seen.
import { defineContentScript } from 'wxt/utils/define-content-script';
import { OUTLOOK_MATCHES } from '@/lib/mail/hosts';
import { outlookAnswerWatch } from '@/lib/mail/incoming/answer-watch';
import { outlookSendDetector } from '@/lib/mail/outlook/send-detector';
import { startPageWorld } from '@/lib/mail/page-world';

export default defineContentScript({
  matches: OUTLOOK_MATCHES,
  runAt: 'document_start',
  world: 'MAIN',
  // Pop-out compose windows are top-level pages of the same hosts; OWA's own frames are not ours.
  allFrames: false,
  main() {
    startPageWorld('outlook', outlookSendDetector, outlookAnswerWatch);
  },
});
