/**
 * The "Email to Salesforce (BCC)" way (README, "How email is logged"): the rep's personal address, checked for
 * its shape, and where to find it in Salesforce.
 */
import { useEffect } from 'react';
import { i18n } from '#i18n';
import { useConnectionStore } from '../connection-store';
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
        <OpenInSalesforce />
      </section>
    </div>
  );
}

/** Salesforce's own page for the rep's address, in the org they connected (Lightning Experience). */
export const emailToSalesforceSettingsUrl = (instanceUrl: string) =>
  new URL('/lightning/settings/personal/EmailToSalesforceUserSetup/home', instanceUrl).href;

/** Shown once an org is connected: opens its "My Email to Salesforce" page in a new tab. */
function OpenInSalesforce() {
  const load = useConnectionStore((s) => s.load);
  const follow = useConnectionStore((s) => s.follow);
  const profile = useConnectionStore((s) => s.view?.state.profile);
  useEffect(() => {
    void load();
    return follow();
  }, [load, follow]);
  if (!profile) return null;
  return (
    <p>
      <a className="button-link" href={emailToSalesforceSettingsUrl(profile.instanceUrl)} target="_blank" rel="noreferrer">
        {i18n.t('options.bcc.help.open', [profile.orgName])}
      </a>
    </p>
  );
}
