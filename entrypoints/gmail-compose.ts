// Gmail's compose controls and BCC chips, injected by the worker when a compose first appears (lib/mail/lazy-composes.ts).
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { composeStarter } from '@/lib/mail/compose-script';
import { gmailComposes } from '@/lib/mail/gmail/compose-adapter';
import { offerScript } from '@/lib/mail/lazy-script';

export default defineUnlistedScript(() => offerScript('gmail-compose', composeStarter(gmailComposes)));
