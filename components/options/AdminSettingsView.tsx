/**
 * "Admin settings" (README, "For admins: deploying to a team"): what the team policy deployed to this browser sets,
 * and a builder that turns the settings on this page into a policy for the team, in the form
 * the admin's deployment tool takes.
 */
import { useId, useState } from 'react';
import { i18n } from '#i18n';
import { SETTING_KEYS, type SettingKey } from '@/lib/settings';
import { CheckboxControl, SelectControl } from './controls';
import { describeValue, settingLabel } from './setting-text';
import { useSettingsStore } from './settings-store';
import { buildTeamPolicy, POLICY_FORMATS, type PolicyFormat, type PolicyRole, policyDocument, rolesOf } from './team-policy';

export function AdminSettingsView() {
  return (
    <>
      <DeployedPolicy />
      <PolicyBuilder />
    </>
  );
}

function DeployedPolicy() {
  const view = useSettingsStore((s) => s.view);
  if (!view) return null;
  const keys = SETTING_KEYS.filter((key) => view.policy.locked.includes(key) || Object.hasOwn(view.policy.settings, key));
  return (
    <section className="card" aria-labelledby="deployed-policy-heading">
      <h3 id="deployed-policy-heading">{i18n.t('options.admin.deployed.heading')}</h3>
      {keys.length === 0 ? (
        <p>{i18n.t('options.admin.deployed.none')}</p>
      ) : (
        <>
          <p>{i18n.t('options.admin.deployed.intro', [String(keys.length)])}</p>
          <table className="policy-table">
            <thead>
              <tr>
                <th scope="col">{i18n.t('options.admin.column.setting')}</th>
                <th scope="col">{i18n.t('options.admin.column.value')}</th>
                <th scope="col">{i18n.t('options.admin.column.reps')}</th>
              </tr>
            </thead>
            <tbody>
              {keys.map((key) => (
                <tr key={key}>
                  <th scope="row">{settingLabel(key)}</th>
                  <td>{describeValue(key, view.values[key])}</td>
                  <td>{view.policy.locked.includes(key) ? i18n.t('options.admin.role.locked') : i18n.t('options.admin.role.default')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

const FORMAT_LABEL: Record<PolicyFormat, () => string> = {
  adminConsole: () => i18n.t('options.admin.format.adminConsole'),
  windowsRegistry: () => i18n.t('options.admin.format.windowsRegistry'),
  linuxFile: () => i18n.t('options.admin.format.linuxFile'),
  firefox: () => i18n.t('options.admin.format.firefox'),
};

const FORMAT_WHERE: Record<PolicyFormat, () => string> = {
  adminConsole: () => i18n.t('options.admin.where.adminConsole'),
  windowsRegistry: () => i18n.t('options.admin.where.windowsRegistry'),
  linuxFile: () => i18n.t('options.admin.where.linuxFile'),
  firefox: () => i18n.t('options.admin.where.firefox'),
};

const ROLE_LABEL: Record<PolicyRole, () => string> = {
  none: () => i18n.t('options.admin.role.none'),
  default: () => i18n.t('options.admin.role.default'),
  locked: () => i18n.t('options.admin.role.locked'),
};

function PolicyBuilder() {
  const view = useSettingsStore((s) => s.view);
  const [roles, setRoles] = useState(() => (view ? rolesOf(view.policy) : {}));
  const [lockAll, setLockAll] = useState(() => !!view && view.policy.locked.length === SETTING_KEYS.length);
  const [format, setFormat] = useState<PolicyFormat>('adminConsole');
  const [copied, setCopied] = useState(false);
  const outputId = useId();
  if (!view) return null;
  const policyText = policyDocument(buildTeamPolicy(view.values, roles, lockAll), format);
  const setRole = (key: SettingKey, role: PolicyRole) => {
    setRoles((current) => ({ ...current, [key]: role }));
    setCopied(false);
  };

  return (
    <section className="card" aria-labelledby="policy-builder-heading">
      <h3 id="policy-builder-heading">{i18n.t('options.admin.builder.heading')}</h3>
      <p>{i18n.t('options.admin.builder.intro')}</p>
      <CheckboxControl
        label={i18n.t('options.admin.builder.lockAll')}
        hint={i18n.t('options.admin.builder.lockAllHint')}
        checked={lockAll}
        onChange={(checked) => {
          setLockAll(checked);
          setCopied(false);
        }}
      />
      <table className="policy-table">
        <thead>
          <tr>
            <th scope="col">{i18n.t('options.admin.column.setting')}</th>
            <th scope="col">{i18n.t('options.admin.column.value')}</th>
            <th scope="col">{i18n.t('options.admin.column.inPolicy')}</th>
          </tr>
        </thead>
        <tbody>
          {SETTING_KEYS.map((key) => (
            <tr key={key}>
              <th scope="row" id={`policy-row-${key}`}>
                {settingLabel(key)}
              </th>
              <td>{describeValue(key, view.values[key])}</td>
              <td>
                <select
                  aria-labelledby={`policy-row-${key} policy-role-label`}
                  value={lockAll ? 'locked' : (roles[key] ?? 'none')}
                  disabled={lockAll}
                  onChange={(event) => setRole(key, event.target.value as PolicyRole)}
                >
                  {(['none', 'default', 'locked'] as const).map((role) => (
                    <option key={role} value={role}>
                      {ROLE_LABEL[role]()}
                    </option>
                  ))}
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <span id="policy-role-label" hidden>
        {i18n.t('options.admin.column.inPolicy')}
      </span>
      <SelectControl
        label={i18n.t('options.admin.builder.format')}
        value={format}
        choices={POLICY_FORMATS.map((f) => ({ value: f, label: FORMAT_LABEL[f]() }))}
        hint={FORMAT_WHERE[format]()}
        onChange={(next) => {
          setFormat(next);
          setCopied(false);
        }}
      />
      <div className="field">
        <label htmlFor={outputId}>{i18n.t('options.admin.builder.output')}</label>
        <textarea id={outputId} className="policy-output" readOnly rows={12} value={policyText} spellCheck={false} />
      </div>
      <div className="actions">
        <button
          type="button"
          className="secondary"
          onClick={() => void navigator.clipboard.writeText(policyText).then(() => setCopied(true))}
        >
          {i18n.t('options.admin.builder.copy')}
        </button>
        <span role="status">{copied ? i18n.t('options.admin.builder.copied') : ''}</span>
      </div>
    </section>
  );
}
