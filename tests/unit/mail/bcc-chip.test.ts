import { describe, expect, it } from 'vitest';
import { type BccChipFacts, bccChipAction } from '@/lib/mail/bcc-chip';
import type { ComposeSettings } from '@/lib/messages';

const BCC = 'emailtosalesforce@abc.le.salesforce.com';
const settings: ComposeSettings = {
  emailLogging: 'bcc',
  bccAddress: BCC,
  composeDefaultOn: true,
  undoSendSeconds: 10,
  scheduledSends: 'logWhenScheduled',
  internalDomains: ['acme.com'],
  neverLog: ['lawyer.com'],
  loggedMailboxes: [],
};
const facts = (over: Partial<BccChipFacts> = {}): BccChipFacts => ({
  settings,
  on: true,
  mailbox: 'rep@acme.com',
  recipients: [{ email: 'buyer@customer.com' }],
  chips: 0,
  ours: false,
  ...over,
});

describe('the Email-to-Salesforce chip in a compose', () => {
  it('is added once while logging is on in BCC mode, also before any recipient is chosen', () => {
    expect(bccChipAction(facts())).toBe('add');
    expect(bccChipAction(facts({ recipients: [] }))).toBe('add');
    expect(bccChipAction(facts({ chips: 1, ours: true }))).toBe('none');
    expect(bccChipAction(facts({ chips: 2 }))).toBe('none');
  });

  it('is never added in API mode, with logging off, or without an address', () => {
    expect(bccChipAction(facts({ settings: { ...settings, emailLogging: 'api' } }))).toBe('none');
    expect(bccChipAction(facts({ settings: { ...settings, emailLogging: 'off' } }))).toBe('none');
    expect(bccChipAction(facts({ settings: { ...settings, bccAddress: '' } }))).toBe('none');
  });

  it('is removed when the rep switches logging off, whoever added it', () => {
    expect(bccChipAction(facts({ on: false, chips: 1, ours: true }))).toBe('remove');
    expect(bccChipAction(facts({ on: false, chips: 1, ours: false }))).toBe('remove');
    expect(bccChipAction(facts({ on: false, chips: 0 }))).toBe('none');
  });

  it('is not added for internal-only or never-log mail, and ours is taken back when the mail becomes so', () => {
    expect(bccChipAction(facts({ recipients: [{ email: 'boss@acme.com' }] }))).toBe('none');
    expect(bccChipAction(facts({ recipients: [{ email: 'boss@acme.com' }], chips: 1, ours: true }))).toBe('remove');
    expect(bccChipAction(facts({ recipients: [{ email: 'x@lawyer.com' }, { email: 'b@customer.com' }], chips: 1, ours: true }))).toBe(
      'remove',
    );
    // One the rep typed in themselves stays.
    expect(bccChipAction(facts({ recipients: [{ email: 'boss@acme.com' }], chips: 1, ours: false }))).toBe('none');
  });
});
