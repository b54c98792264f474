/**
 * The About tab's diagnostics: the stored counts (lib/diagnostics/store.ts) as rows, and the
 * plain-text report a rep sends to IT. Counts only: nothing here holds an address, a subject or
 * a body, because nothing stored does.
 */
import { i18n } from '#i18n';
import {
  DIAGNOSTIC_COUNTERS,
  DIAGNOSTIC_DAYS,
  type DiagnosticCounter,
  type DiagnosticCounts,
  firstDayKept,
} from '@/lib/diagnostics/counters';
import type { MailProvider } from '@/lib/mail/types';

export interface DiagnosticRow {
  day: string;
  provider: MailProvider;
  counter: DiagnosticCounter;
  count: number;
}

const PROVIDERS: readonly string[] = ['gmail', 'outlook'] satisfies MailProvider[];
const COUNTERS: readonly string[] = DIAGNOSTIC_COUNTERS;

/** The counts of the last DIAGNOSTIC_DAYS days at `now`, newest day first; anything else stored is left out. */
export function diagnosticRows(stored: DiagnosticCounts, now: number): DiagnosticRow[] {
  const from = firstDayKept(now);
  const rows: DiagnosticRow[] = [];
  for (const [key, count] of Object.entries(stored)) {
    const [day = '', provider = '', counter = '', ...rest] = key.split(' ');
    if (rest.length || day < from || !PROVIDERS.includes(provider) || !COUNTERS.includes(counter) || !Number.isInteger(count) || count < 1)
      continue;
    rows.push({ day, provider: provider as MailProvider, counter: counter as DiagnosticCounter, count });
  }
  return rows.sort(
    (a, b) =>
      b.day.localeCompare(a.day) || a.provider.localeCompare(b.provider) || COUNTERS.indexOf(a.counter) - COUNTERS.indexOf(b.counter),
  );
}

export interface ReportContext {
  version: string;
  userAgent: string;
  language: string;
}

/**
 * The report as plain text. Counter and provider names stay in English whatever the language,
 * so that IT can read and compare reports from every rep (docs/diagnostics.md explains each).
 */
export function diagnosticReport({ version, userAgent, language }: ReportContext, rows: DiagnosticRow[]): string {
  return [
    `Sales Activity Sync ${version}`,
    `${i18n.t('options.about.help.browser')}: ${userAgent}`,
    `${i18n.t('options.about.help.language')}: ${language}`,
    `${i18n.t('options.about.diagnostics.reportHeading', [String(DIAGNOSTIC_DAYS)])}:`,
    ...(rows.length ? rows.map((r) => `${r.day} ${r.provider} ${r.counter} ${r.count}`) : [i18n.t('options.about.diagnostics.reportNone')]),
  ].join('\n');
}
