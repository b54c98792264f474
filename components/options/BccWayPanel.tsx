/**
 * The "Email to Salesforce (BCC)" way (product.md 2b): the rep's personal address, checked for
 * its shape, and where to find it in Salesforce.
 */
import { i18n } from '#i18n';
import { ActivateWay } from './ActivateWay';
import { SettingText } from './setting-fields';
import { useSettingValue } from './settings-store';

export function BccWayPanel() {
  const address = useSettingValue('bccAddress');
  return (
    <div className="way-panel">
      <ActivateWay way="bcc" blockedReason={address === '' ? i18n.t('options.bcc.needsAddress') : null} />
      <p>{i18n.t('options.bcc.intro')}</p>
      <SettingText setting="bccAddress" placeholder="emailtosalesforce@…salesforce.com" hint={i18n.t('options.bcc.addressHint')} />
      <section className="help" aria-labelledby="bcc-help-heading">
        <h4 id="bcc-help-heading">{i18n.t('options.bcc.help.heading')}</h4>
        <ol>
          <li>{i18n.t('options.bcc.help.find')}</li>
          <li>{i18n.t('options.bcc.help.acceptable')}</li>
          <li>{i18n.t('options.bcc.help.admin')}</li>
        </ol>
      </section>
    </div>
  );
}
