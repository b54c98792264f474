import { describe, expect, it } from 'vitest';
import { type ExclusionSettings, shouldLog } from '@/lib/mail/exclusions';

const settings: ExclusionSettings = { emailLogging: 'api', internalDomains: ['acme.com'], neverLog: [], loggedMailboxes: [] };
const to = (...emails: string[]) => emails.map((email) => ({ email }));

describe('whether an email is logged', () => {
  it('logs mail to a customer', () => {
    expect(shouldLog(to('buyer@customer.com'), 'rep@acme.com', settings)).toEqual({ log: true });
  });

  it('logs nothing when logging is off', () => {
    expect(shouldLog(to('buyer@customer.com'), 'rep@acme.com', { ...settings, emailLogging: 'off' })).toEqual({
      log: false,
      reason: 'off',
    });
  });

  it('skips mail whose recipients are all internal, including subdomains, but not mixed mail', () => {
    expect(shouldLog(to('boss@acme.com', 'ops@eu.acme.com'), 'rep@acme.com', settings)).toEqual({ log: false, reason: 'internalOnly' });
    expect(shouldLog(to('boss@acme.com', 'buyer@customer.com'), 'rep@acme.com', settings)).toEqual({ log: true });
    expect(shouldLog(to('x@notacme.com'), 'rep@acme.com', settings)).toEqual({ log: true });
  });

  it('skips mail with any recipient on the never-log list, by address or domain, in any case', () => {
    const s = { ...settings, neverLog: ['lawyer@firm.com', 'hr-vendor.com'] };
    expect(shouldLog(to('buyer@customer.com', 'Lawyer@Firm.com'), 'rep@acme.com', s)).toEqual({ log: false, reason: 'neverLog' });
    expect(shouldLog(to('a@mail.hr-vendor.com'), 'rep@acme.com', s)).toEqual({ log: false, reason: 'neverLog' });
    expect(shouldLog(to('other@firm.com'), 'rep@acme.com', s)).toEqual({ log: true });
  });

  it('logs only from the chosen mailboxes when there are any', () => {
    const s = { ...settings, loggedMailboxes: ['sales@acme.com'] };
    expect(shouldLog(to('b@customer.com'), 'rep@acme.com', s)).toEqual({ log: false, reason: 'mailboxNotLogged' });
    expect(shouldLog(to('b@customer.com'), 'Sales@acme.com', s)).toEqual({ log: true });
    expect(shouldLog(to('b@customer.com'), null, s)).toEqual({ log: false, reason: 'mailboxNotLogged' });
  });

  it('does not count the Email-to-Salesforce address as a recipient', () => {
    const bcc = 'emailtosalesforce@abc.le.salesforce.com';
    expect(shouldLog(to('boss@acme.com', bcc), 'rep@acme.com', settings, [bcc])).toEqual({ log: false, reason: 'internalOnly' });
  });

  it('has no internal-only rule without internal domains, and none for an email without recipients', () => {
    expect(shouldLog(to('boss@acme.com'), 'rep@acme.com', { ...settings, internalDomains: [] })).toEqual({ log: true });
    expect(shouldLog([], 'rep@acme.com', settings)).toEqual({ log: true });
  });
});
