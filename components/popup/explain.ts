/** Words for the error kinds the command center shows. */
import { i18n } from '#i18n';
import type { ExtensionError } from '@/lib/messages';
import type { SalesforceErrorKind } from '@/lib/salesforce/errors';

export function salesforceProblemText(kind: SalesforceErrorKind): string {
  return i18n.t(`salesforceProblem.${kind}`);
}

export function errorText(error: ExtensionError): string {
  if (error.kind === 'salesforce' && error.salesforce) return salesforceProblemText(error.salesforce);
  if (error.kind === 'invalidMessage') return i18n.t('errors.invalidMessage', [error.message]);
  if (error.kind === 'settingInvalid') return i18n.t('errors.settingInvalid', [error.message]);
  return i18n.t(`errors.${error.kind}`);
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** A calendar date (YYYY-MM-DD) in the rep's language, built from its parts so no time zone can move it. */
export function formatDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const locale = i18n.t('extensionLocale');
  let format = dateFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', weekday: 'short' });
    dateFormats.set(locale, format);
  }
  return format.format(new Date(y, m - 1, d));
}

let timeFormat: Intl.DateTimeFormat | undefined;

export function formatTime(ms: number): string {
  timeFormat ??= new Intl.DateTimeFormat(i18n.t('extensionLocale'), { hour: '2-digit', minute: '2-digit' });
  return timeFormat.format(new Date(ms));
}

/** "3 minutes ago" in the rep's language. */
export function formatAgo(ms: number, now = Date.now()): string {
  const minutes = Math.round((ms - now) / 60_000);
  const rtf = new Intl.RelativeTimeFormat(i18n.t('extensionLocale'), { numeric: 'auto' });
  if (Math.abs(minutes) < 60) return rtf.format(minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (Math.abs(hours) < 48) return rtf.format(hours, 'hour');
  return rtf.format(Math.round(hours / 24), 'day');
}
