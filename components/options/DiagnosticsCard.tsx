/**
 * The About tab's "Diagnostics" card: the local counters of events that can mean an email
 * escaped logging (docs/diagnostics.md), by day and mail provider, and the plain-text report
 * with them that a rep copies for IT. It reads the counts from storage itself and follows them
 * as mail tabs add to them, so the rest of the options page knows nothing of it.
 */
import { useEffect, useState } from 'react';
import { browser } from 'wxt/browser';
import { i18n } from '#i18n';
import { DIAGNOSTIC_DAYS, type DiagnosticCounts } from '@/lib/diagnostics/counters';
import { DIAGNOSTICS_KEY } from '@/lib/diagnostics/store';
import { storage } from '@/lib/storage';
import { diagnosticReport, diagnosticRows } from './diagnostics-report';

const PROVIDER_NAMES = { gmail: 'Gmail', outlook: 'Outlook' } as const;

/** A stored day (YYYY-MM-DD, local) as the rep's language writes dates. */
const dayText = (day: string) => {
  const [year, month, date] = day.split('-').map(Number);
  return new Intl.DateTimeFormat(i18n.t('extensionLocale'), { dateStyle: 'medium' }).format(new Date(year ?? 0, (month ?? 1) - 1, date));
};

export function DiagnosticsCard({ version }: { version: string }) {
  const [stored, setStored] = useState<DiagnosticCounts | null>(null);
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    let live = true;
    const show = (counts: DiagnosticCounts | null) => live && setStored(counts ?? {});
    void storage.getItem<DiagnosticCounts>(DIAGNOSTICS_KEY).then(show, () => show({}));
    const stop = storage.watch<DiagnosticCounts>(DIAGNOSTICS_KEY, show);
    return () => {
      live = false;
      stop();
    };
  }, []);

  const rows = diagnosticRows(stored ?? {}, Date.now());
  const report = diagnosticReport({ version, userAgent: navigator.userAgent, language: browser.i18n.getUILanguage() }, rows);
  const days = String(DIAGNOSTIC_DAYS);

  return (
    <section className="card support-details" aria-labelledby="about-diagnostics-heading">
      <h3 id="about-diagnostics-heading">{i18n.t('options.about.diagnostics.heading')}</h3>
      <p>{i18n.t('options.about.diagnostics.intro', [days])}</p>
      {stored === null ? (
        <p>{i18n.t('options.about.licenses.loading')}</p>
      ) : rows.length === 0 ? (
        <p className="diagnostics-none">{i18n.t('options.about.diagnostics.none', [days])}</p>
      ) : (
        <table className="policy-table diagnostics-table">
          <thead>
            <tr>
              <th scope="col">{i18n.t('options.about.diagnostics.column.day')}</th>
              <th scope="col">{i18n.t('options.about.diagnostics.column.provider')}</th>
              <th scope="col">{i18n.t('options.about.diagnostics.column.event')}</th>
              <th scope="col">{i18n.t('options.about.diagnostics.column.count')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={`${row.day} ${row.provider} ${row.counter}`} data-counter={row.counter}>
                <td>{dayText(row.day)}</td>
                <td>{PROVIDER_NAMES[row.provider]}</td>
                <td>{i18n.t(`options.about.diagnostics.counter.${row.counter}`)}</td>
                <td>{row.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>{i18n.t('options.about.diagnostics.reportLabel')}</p>
      <pre>{report}</pre>
      <div className="actions">
        <button type="button" className="secondary" onClick={() => void navigator.clipboard.writeText(report).then(() => setCopied(true))}>
          {i18n.t('options.about.diagnostics.copy')}
        </button>
        <span role="status">{copied ? i18n.t('options.about.help.copied') : ''}</span>
      </div>
    </section>
  );
}
