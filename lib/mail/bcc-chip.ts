/**
 * When the rep's Email-to-Salesforce address belongs in a compose's Bcc, as a decision apart
 * from the DOM: once, only while logging is on in BCC mode, and not for mail that is excluded
 * (all recipients internal, a never-log recipient).
 */
import type { ComposeSettings } from '../messages';
import { shouldLog } from './exclusions';
import type { MailAddress } from './types';

export interface BccChipFacts {
  settings: ComposeSettings;
  /** The compose's logging switch. */
  on: boolean;
  mailbox: string | null;
  recipients: readonly MailAddress[];
  /** How many chips with the address the compose holds now (any row). */
  chips: number;
  /** Whether this compose's chip was put there by us (ours to take away when excluded). */
  ours: boolean;
}

export type BccChipAction = 'add' | 'remove' | 'none';

export function wantsBccChip(facts: Omit<BccChipFacts, 'chips' | 'ours'>): boolean {
  const { settings } = facts;
  if (settings.emailLogging !== 'bcc' || !settings.bccAddress || !facts.on) return false;
  return shouldLog(facts.recipients, facts.mailbox, settings, [settings.bccAddress]).log;
}

export function bccChipAction(facts: BccChipFacts): BccChipAction {
  const wanted = wantsBccChip(facts);
  if (wanted) return facts.chips === 0 ? 'add' : 'none';
  // Turning the switch off removes the chip whoever added it; an exclusion removes only ours.
  return facts.chips > 0 && (!facts.on || facts.ours) ? 'remove' : 'none';
}
