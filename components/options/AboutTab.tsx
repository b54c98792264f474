import { browser } from 'wxt/browser';
import { i18n } from '#i18n';

export function AboutTab() {
  return (
    <>
      <h2>{i18n.t('options.about.heading')}</h2>
      <p>{i18n.t('options.about.intro')}</p>
      <p>{i18n.t('options.about.version', [browser.runtime.getManifest().version])}</p>
    </>
  );
}
