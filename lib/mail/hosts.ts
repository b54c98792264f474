/**
 * Which webmail a page belongs to. Content-script `matches` in entrypoints/ use the
 * same lists, so that this file is where a new Outlook host is added.
 */
import type { MailProvider } from './types';

export const GMAIL_MATCHES = ['https://mail.google.com/*'];

export const OUTLOOK_HOSTS = ['outlook.office.com', 'outlook.office365.com', 'outlook.live.com', 'outlook.cloud.microsoft'] as const;

export const OUTLOOK_MATCHES = OUTLOOK_HOSTS.map((host) => `https://${host}/*`);

export function mailProviderOf(url: string | undefined): MailProvider | null {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:') return null;
  if (parsed.hostname === 'mail.google.com') return 'gmail';
  if ((OUTLOOK_HOSTS as readonly string[]).includes(parsed.hostname)) return 'outlook';
  return null;
}
