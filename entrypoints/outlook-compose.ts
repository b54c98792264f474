// Outlook's compose controls and BCC recipients, injected by the worker when a compose first appears (lib/mail/lazy-composes.ts).
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { composeStarter } from '@/lib/mail/compose-script';
import { offerScript } from '@/lib/mail/lazy-script';
import { outlookComposes } from '@/lib/mail/outlook/compose-adapter';

export default defineUnlistedScript(() => offerScript('outlook-compose', composeStarter(outlookComposes)));
