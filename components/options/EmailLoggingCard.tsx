/**
 * "Log email activity to Salesforce" (README, "How email is logged"): two ways, one active. The tabs
 * let the rep look at either way; "Activate" makes a way the one that logs.
 */
import { useState } from 'react';
import { i18n } from '#i18n';
import { applySubjectTemplate, type Settings } from '@/lib/settings';
import { ActivateWay } from './ActivateWay';
import { BccWayPanel } from './BccWayPanel';
import { LockedNote } from './controls';
import {
  SettingCheckbox,
  SettingFlagRadios,
  SettingList,
  SettingNumber,
  SettingRadios,
  SettingSelect,
  SettingText,
} from './setting-fields';
import { TEMPLATE_FIELD_NAMES } from './setting-text';
import { useSettingLocked, useSettingsStore, useSettingValue } from './settings-store';
import { type TabDefinition, Tabs } from './Tabs';

export type Way = Exclude<Settings['emailLogging'], 'off'>;

export function EmailLoggingCard() {
  const active = useSettingValue('emailLogging');
  const [shown, setShown] = useState<Way>(active === 'off' ? 'api' : active);

  const ways: TabDefinition<Way>[] = [
    { id: 'api', label: i18n.t('options.emailLogging.tab.api'), render: () => <ApiWayPanel /> },
    { id: 'bcc', label: i18n.t('options.emailLogging.tab.bcc'), render: () => <BccWayPanel /> },
  ];

  return (
    <section className="card" aria-labelledby="email-logging-heading">
      <h3 id="email-logging-heading">{i18n.t('options.emailLogging.heading')}</h3>
      <ActiveWay />
      <Tabs label={i18n.t('options.emailLogging.tabsLabel')} tabs={ways} selected={shown} onSelect={setShown} />
      <BothWays />
    </section>
  );
}

/** Which way logs now, and the switch to turn logging off. */
function ActiveWay() {
  const active = useSettingValue('emailLogging');
  const locked = useSettingLocked('emailLogging');
  const change = useSettingsStore((s) => s.change);
  const status = {
    api: i18n.t('options.emailLogging.status.api'),
    bcc: i18n.t('options.emailLogging.status.bcc'),
    off: i18n.t('options.emailLogging.status.off'),
  }[active];
  return (
    <div className="way-status">
      <p className={active === 'off' ? 'status-off' : 'status-on'}>{status}</p>
      {active !== 'off' && !locked && (
        <button type="button" className="secondary" onClick={() => void change('emailLogging', 'off')}>
          {i18n.t('options.emailLogging.turnOff')}
        </button>
      )}
      {locked && <LockedNote />}
    </div>
  );
}

const SAMPLE_SUBJECT = () => i18n.t('options.emailLogging.subjectTemplate.sampleSubject');

function SubjectPreview({ template }: { template: string }) {
  const subject = applySubjectTemplate(template, { activity_type: 'Email', activity_subject: SAMPLE_SUBJECT() });
  return (
    <p className="preview" aria-live="polite">
      {i18n.t('options.emailLogging.subjectTemplate.preview')} <output className="preview-value">{subject}</output>
    </p>
  );
}

function ApiWayPanel() {
  return (
    <div className="way-panel">
      <ActivateWay way="api" />
      <p>{i18n.t('options.emailLogging.api.intro')}</p>
      <SettingRadios setting="logAs" hint={i18n.t('options.emailLogging.logAs.hint')} />
      <SettingCheckbox setting="logToContacts" />
      <SettingCheckbox setting="logToLeads" />
      <SettingSelect setting="relatedRecords" hint={i18n.t('options.emailLogging.relatedRecords.hint')} />
      <SettingSelect setting="multipleMatches" />
      <SettingSelect setting="noMatch" />
      <SettingSelect setting="duplicateLeads" />
      <SettingFlagRadios
        setting="logBody"
        yes={i18n.t('options.emailLogging.logBody.withBody')}
        no={i18n.t('options.emailLogging.logBody.headersOnly')}
      />
      <SettingText
        setting="subjectTemplate"
        hint={i18n.t('options.emailLogging.subjectTemplate.hint', TEMPLATE_FIELD_NAMES)}
        preview={(draft) => <SubjectPreview template={draft} />}
      />
      <SettingNumber
        setting="undoSendSeconds"
        suffix={i18n.t('options.emailLogging.undoSendSeconds.unit')}
        hint={i18n.t('options.emailLogging.undoSendSeconds.hint')}
      />
      <SettingSelect setting="scheduledSends" />
      <SettingSelect setting="replyLogging" hint={i18n.t('options.emailLogging.replyLogging.hint')} />
    </div>
  );
}

/** Settings both ways follow (README, "How email is logged": the same exclusions apply to the BCC way). */
function BothWays() {
  return (
    <section className="both-ways" aria-labelledby="both-ways-heading">
      <h4 id="both-ways-heading">{i18n.t('options.emailLogging.bothWays')}</h4>
      <SettingCheckbox setting="composeDefaultOn" hint={i18n.t('options.emailLogging.composeDefaultOn.hint')} />
      <SettingList setting="internalDomains" placeholder="example.com" hint={i18n.t('options.emailLogging.internalDomains.hint')} />
      <SettingList setting="neverLog" placeholder="ceo@example.com" hint={i18n.t('options.emailLogging.neverLog.hint')} />
      <SettingList setting="loggedMailboxes" placeholder="me@example.com" hint={i18n.t('options.emailLogging.loggedMailboxes.hint')} />
    </section>
  );
}
