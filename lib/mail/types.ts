/**
 * Provider-neutral shapes of sent mail. Nothing downstream of the page-world parsers
 * knows whether an email came from Gmail or Outlook.
 */

export type MailProvider = 'gmail' | 'outlook';

export interface MailAddress {
  email: string;
  name?: string;
}

/** One email the rep asked the webmail to send, as read from the webmail's own request. */
export interface DetectedSend {
  /** The provider's id for the message (Gmail `msg-a:r…`, Outlook item id or client id). */
  messageId: string;
  threadId?: string;
  /** True when the rep scheduled the email for later instead of sending it now. */
  scheduled: boolean;
  from?: MailAddress;
  to: MailAddress[];
  cc: MailAddress[];
  bcc: MailAddress[];
  subject: string;
  bodyHtml: string;
  /**
   * The page world added the rep's Email-to-Salesforce address to this send's request itself,
   * because the compose's Bcc did not hold it (lib/mail/network-bcc.ts); `bcc` includes it.
   */
  bccAdded?: true;
}

/** The rep's choices in the compose control for one email: logging on or off, and the record it relates to. */
export interface SendChoice {
  on: boolean;
  /** The Account or Opportunity picked; none leaves it to the settings' rule. */
  whatId?: string | undefined;
}
