import { describe, expect, it } from 'vitest';
import { gmailMailbox } from '@/lib/mail/gmail/mailbox';

describe('the mailbox address of a Gmail tab', () => {
  it('reads it from the title of any account index', () => {
    expect(gmailMailbox({ pathname: '/mail/u/0/', title: 'Inbox (3) - rep@acme.com - Gmail' })).toBe('rep@acme.com');
    expect(gmailMailbox({ pathname: '/mail/u/1/', title: 'Inbox - Sales.Team@Acme.com - Gmail' })).toBe('sales.team@acme.com');
  });

  it('is not fooled by an address in the subject of an open thread', () => {
    expect(gmailMailbox({ pathname: '/mail/u/0/', title: 'Re: intro to bob@other.com - rep@acme.com - Gmail' })).toBe('rep@acme.com');
    expect(gmailMailbox({ pathname: '/mail/u/0/', title: 'a - b - c - rep@acme.com - Gmail' })).toBe('rep@acme.com');
  });

  it('reads a delegated mailbox from its URL first', () => {
    expect(gmailMailbox({ pathname: '/mail/b/boss%40acme.com/u/0/', title: 'Inbox - rep@acme.com - Gmail' })).toBe('boss@acme.com');
    expect(gmailMailbox({ pathname: '/mail/b/%E0%A4/u/0/', title: 'Inbox - rep@acme.com - Gmail' })).toBe('rep@acme.com');
  });

  it("reads a delegated mailbox opened by number from its title, never from the rep's own account button", () => {
    const label = 'Google Account: Rep Example (rep@acme.com)';
    expect(gmailMailbox({ pathname: '/mail/b/274/u/0/', title: 'Inbox - boss@acme.com - Gmail', accountLabel: label })).toBe(
      'boss@acme.com',
    );
    expect(gmailMailbox({ pathname: '/mail/b/274/u/0/', title: 'Gmail', accountLabel: label })).toBeNull();
  });

  it('falls back to the account button, and answers null when nothing shows it', () => {
    expect(gmailMailbox({ pathname: '/mail/u/0/', title: 'Gmail', accountLabel: 'Google Account: Rep Example  \n(rep@acme.com)' })).toBe(
      'rep@acme.com',
    );
    expect(gmailMailbox({ pathname: '/mail/u/0/', title: 'Gmail', accountLabel: null })).toBeNull();
    expect(gmailMailbox({ pathname: '/mail/u/0/', title: 'Inbox - not an address - Gmail' })).toBeNull();
  });
});
