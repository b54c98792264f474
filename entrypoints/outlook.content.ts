import { defineContentScript } from 'wxt/utils/define-content-script';
import { startContentWorld } from '@/lib/mail/content-world';
import { OUTLOOK_MATCHES } from '@/lib/mail/hosts';

export default defineContentScript({
  matches: OUTLOOK_MATCHES,
  runAt: 'document_start',
  main() {
    startContentWorld('outlook', () => {});
  },
});
