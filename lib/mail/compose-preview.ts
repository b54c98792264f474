/**
 * What the compose control shows before the email is sent, from settings alone. The worker
 * answers `compose/preview` with it; the API logger adds the matched records to it later.
 */
import type { ComposePreview } from '../messages';
import { type ExclusionSettings, shouldLog } from './exclusions';
import type { MailAddress } from './types';

export function previewCompose(
  recipients: readonly MailAddress[],
  mailbox: string | null,
  on: boolean,
  settings: ExclusionSettings & { bccAddress: string },
): ComposePreview {
  const mode = settings.emailLogging;
  if (mode === 'off') return { mode, willLog: false, reason: 'off' };
  if (!on) return { mode, willLog: false, reason: 'turnedOff' };
  const decision = shouldLog(recipients, mailbox, settings, settings.bccAddress ? [settings.bccAddress] : []);
  if (!decision.log) return { mode, willLog: false, reason: decision.reason };
  if (mode === 'bcc' && !settings.bccAddress) return { mode, willLog: false, reason: 'noBccAddress' };
  return { mode, willLog: true };
}
