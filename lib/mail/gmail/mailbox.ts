/**
 * The address of the mailbox open in a Gmail tab, for `/mail/u/<N>/` accounts and delegated
 * mailboxes alike. The URL carries only an account index, so the address is read from what
 * Gmail shows, most specific first: a delegated mailbox's URL when it holds an address
 * (`/mail/b/<address>/…`; it is more often a number, `/mail/b/<id>/u/<N>/`), the window title
 * ("Inbox - boss@acme.com - Gmail", also for delegated mailboxes), the account button (not for
 * a delegated mailbox, where it shows the rep's own account). See docs/gmail.md.
 */
import { isEmailAddress } from '../../address';

export interface GmailPageFacts {
  pathname: string;
  title: string;
  /** The account button's aria-label, "Google Account: Name (address)". */
  accountLabel?: string | null;
}

const EMAIL_IN_TEXT = /[^\s()<>"',;:]+@[^\s()<>"',;:]+\.[a-z]{2,}/gi;

function lastAddressIn(text: string): string | null {
  const found = (text.match(EMAIL_IN_TEXT) ?? []).filter(isEmailAddress);
  return found.length > 0 ? (found[found.length - 1] as string).toLowerCase() : null;
}

export function gmailMailbox({ pathname, title, accountLabel }: GmailPageFacts): string | null {
  const delegated = /^\/mail\/b\/([^/]+)\//.exec(pathname)?.[1];
  if (delegated) {
    try {
      const address = decodeURIComponent(delegated);
      if (isEmailAddress(address)) return address.toLowerCase();
    } catch {
      // A malformed escape: fall through to what the page shows.
    }
  }
  // "<view or subject> - <address> - Gmail": the part before the product name is the mailbox.
  const parts = title.split(' - ');
  if (parts.length >= 3) {
    const candidate = parts[parts.length - 2]?.trim() ?? '';
    if (isEmailAddress(candidate)) return candidate.toLowerCase();
  }
  // A delegated mailbox's account button is the rep's own account: the send's From says more.
  if (pathname.startsWith('/mail/b/')) return null;
  return (accountLabel ? lastAddressIn(accountLabel) : null) ?? null;
}
