/**
 * "About": the version, where the extension sends what (only to the rep's own org), how to get
 * help, the diagnostics report for IT, and the open-source licences of the packages it is built with.
 */
import { useEffect, useState } from 'react';
import { browser } from 'wxt/browser';
import { i18n } from '#i18n';
import type { PackageNotice } from '@/scripts/third-party-licenses';
import { DiagnosticsCard } from './DiagnosticsCard';

export function AboutTab() {
  const version = browser.runtime.getManifest().version;
  return (
    <>
      <h2>{i18n.t('options.about.heading')}</h2>
      <p>{i18n.t('options.about.version', [version])}</p>

      <section className="card" aria-labelledby="about-data-heading">
        <h3 id="about-data-heading">{i18n.t('options.about.data.heading')}</h3>
        <p>{i18n.t('options.about.intro')}</p>
        <ul>
          <li>{i18n.t('options.about.data.api')}</li>
          <li>{i18n.t('options.about.data.bcc')}</li>
          <li>{i18n.t('options.about.data.tasks')}</li>
          <li>{i18n.t('options.about.data.signIn')}</li>
          <li>{i18n.t('options.about.data.settings')}</li>
          <li>{i18n.t('options.about.data.nothingElse')}</li>
          <li>{i18n.t('options.about.data.diagnostics')}</li>
        </ul>
      </section>

      <section className="card" aria-labelledby="about-help-heading">
        <h3 id="about-help-heading">{i18n.t('options.about.help.heading')}</h3>
        <ul>
          <li>{i18n.t('options.about.help.activity')}</li>
          <li>{i18n.t('options.about.help.admin')}</li>
          <li>{i18n.t('options.about.help.report')}</li>
        </ul>
      </section>

      <DiagnosticsCard version={version} />

      <Licenses />
    </>
  );
}

type LicensesState = { status: 'loading' } | { status: 'ready'; notices: PackageNotice[] } | { status: 'failed' };

function Licenses() {
  const [state, setState] = useState<LicensesState>({ status: 'loading' });
  useEffect(() => {
    let live = true;
    // Written by the build (scripts/third-party-licenses.ts) from what the bundles contain.
    fetch('/third-party-licenses.json')
      .then((response) =>
        response.ok ? (response.json() as Promise<PackageNotice[]>) : Promise.reject(new Error(String(response.status))),
      )
      .then(
        (notices) => live && setState({ status: 'ready', notices }),
        () => live && setState({ status: 'failed' }),
      );
    return () => {
      live = false;
    };
  }, []);

  return (
    <section className="card" aria-labelledby="about-licenses-heading">
      <h3 id="about-licenses-heading">{i18n.t('options.about.licenses.heading')}</h3>
      <p>{i18n.t('options.about.licenses.intro')}</p>
      {state.status === 'loading' && <p>{i18n.t('options.about.licenses.loading')}</p>}
      {state.status === 'failed' && <p>{i18n.t('options.about.licenses.failed')}</p>}
      {state.status === 'ready' && (
        <ul className="licenses">
          {state.notices.map((notice) => (
            <li key={`${notice.name}@${notice.version}`}>
              <details>
                <summary>
                  {notice.name} {notice.version} — {notice.license}
                </summary>
                <pre>{notice.text || i18n.t('options.about.licenses.noText', [notice.license])}</pre>
              </details>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
