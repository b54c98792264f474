/**
 * The settings, send and BCC policy the mail tests start from, and the captured webmail requests
 * in tests/fixtures/mail. Each test states only what its case changes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MailPageSession, PageReport } from '@/lib/mail/content-world';
import type { BccPolicy } from '@/lib/mail/network-bcc';
import type { DetectedSend } from '@/lib/mail/types';
import type { ComposeSettings } from '@/lib/messages';

/** API logging, logging on by default, nothing excluded. */
export const composeSettings = (changes: Partial<ComposeSettings> = {}): ComposeSettings => ({
  emailLogging: 'api',
  bccAddress: '',
  composeDefaultOn: true,
  undoSendSeconds: 0,
  scheduledSends: 'logWhenScheduled',
  internalDomains: [],
  neverLog: [],
  loggedMailboxes: [],
  ...changes,
});

/** A sent Gmail message to one external recipient. */
export const detectedSend = (changes: Partial<DetectedSend> = {}): DetectedSend => ({
  messageId: 'msg-a:r1',
  scheduled: false,
  to: [{ email: 'buyer@customer.com' }],
  cc: [],
  bcc: [],
  subject: 'Quote',
  bodyHtml: '',
  ...changes,
});

/** BCC every send to `address`, nothing excluded. */
export const bccPolicy = (address: string, changes: Partial<BccPolicy> = {}): BccPolicy => ({
  address,
  mailbox: null,
  on: [],
  off: [],
  others: true,
  skipScheduled: false,
  internalDomains: [],
  neverLog: [],
  loggedMailboxes: [],
  ...changes,
});

/** A captured file under tests/fixtures/mail, as stored (pretty-printed). */
export const mailFixture = (path: string) => readFileSync(join(process.cwd(), 'tests', 'fixtures', 'mail', path), 'utf8');

/** A captured request body as the webmail sends it: compact JSON, as JSON.stringify writes it. */
export const compactMailFixture = (path: string) => JSON.stringify(JSON.parse(mailFixture(path)));

/** A mail page session that stays alive, and `report`, which hands a page report to whatever listens to it. */
export function reportingSession(settings: ComposeSettings) {
  let listener: ((r: PageReport) => void) | undefined;
  const session: MailPageSession = {
    settings,
    signal: new AbortController().signal,
    alive: () => true,
    onReport: (l) => {
      listener = l;
    },
  };
  return { session, report: (r: PageReport) => listener?.(r) };
}
