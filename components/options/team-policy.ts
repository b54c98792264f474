/**
 * Builds the team policy an administrator deploys (read back by parseAdminPolicy in
 * lib/settings.ts), in the shape each deployment tool takes. Pure, so every format is tested.
 */
import { CHROME_EXTENSION_ID, FIREFOX_ADDON_ID } from '@/lib/extension-identity';
import { SETTING_KEYS, type SettingKey, type Settings } from '@/lib/settings';

/** What the policy does with one setting. */
export type PolicyRole = 'none' | 'default' | 'locked';

export interface TeamPolicy {
  settings: Partial<Settings>;
  lockedSettings: SettingKey[];
  lockAllSettings: boolean;
}

export type PolicyFormat = 'adminConsole' | 'windowsRegistry' | 'linuxFile' | 'firefox';
export const POLICY_FORMATS: readonly PolicyFormat[] = ['adminConsole', 'windowsRegistry', 'linuxFile', 'firefox'];

/** The roles a deployed policy gives each setting, so an admin starts from what is deployed. */
export function rolesOf(policy: { settings: Partial<Settings>; locked: readonly SettingKey[] }): Partial<Record<SettingKey, PolicyRole>> {
  const roles: Partial<Record<SettingKey, PolicyRole>> = {};
  for (const key of SETTING_KEYS) {
    if (policy.locked.includes(key)) roles[key] = 'locked';
    else if (Object.hasOwn(policy.settings, key)) roles[key] = 'default';
  }
  return roles;
}

export function buildTeamPolicy(values: Settings, roles: Partial<Record<SettingKey, PolicyRole>>, lockAll: boolean): TeamPolicy {
  const settings: Record<string, unknown> = {};
  const lockedSettings: SettingKey[] = [];
  for (const key of SETTING_KEYS) {
    const role = lockAll ? 'locked' : (roles[key] ?? 'none');
    if (role === 'none') continue;
    settings[key] = values[key];
    if (role === 'locked' && !lockAll) lockedSettings.push(key);
  }
  return { settings: settings as Partial<Settings>, lockedSettings, lockAllSettings: lockAll };
}

/** The policy's own JSON object: only what it sets. */
function policyObject(policy: TeamPolicy): Record<string, unknown> {
  const out: Record<string, unknown> = { settings: policy.settings };
  if (policy.lockedSettings.length) out.lockedSettings = policy.lockedSettings;
  if (policy.lockAllSettings) out.lockAllSettings = true;
  return out;
}

/** JSON with every character outside ASCII as \uXXXX, so a .reg file stays plain ASCII. */
const asciiJson = (value: unknown) =>
  JSON.stringify(value).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

const regString = (text: string) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export const WINDOWS_POLICY_KEY = `HKEY_LOCAL_MACHINE\\Software\\Policies\\Google\\Chrome\\3rdparty\\extensions\\${CHROME_EXTENSION_ID}\\policy`;

export function policyDocument(policy: TeamPolicy, format: PolicyFormat): string {
  const object = policyObject(policy);
  switch (format) {
    case 'adminConsole':
      // Google Admin console > Apps & extensions > the extension > "Policy for extensions".
      return `${JSON.stringify(Object.fromEntries(Object.entries(object).map(([k, v]) => [k, { Value: v }])), null, 2)}\n`;
    case 'linuxFile':
      return `${JSON.stringify({ '3rdparty': { extensions: { [CHROME_EXTENSION_ID]: object } } }, null, 2)}\n`;
    case 'firefox':
      return `${JSON.stringify({ policies: { '3rdparty': { Extensions: { [FIREFOX_ADDON_ID]: object } } } }, null, 2)}\n`;
    case 'windowsRegistry': {
      // Chrome reads object and list policies of an extension from JSON strings (REG_SZ).
      const lines = ['Windows Registry Editor Version 5.00', '', `[${WINDOWS_POLICY_KEY}]`];
      lines.push(`"settings"=${regString(asciiJson(policy.settings))}`);
      if (policy.lockedSettings.length) lines.push(`"lockedSettings"=${regString(asciiJson(policy.lockedSettings))}`);
      if (policy.lockAllSettings) lines.push('"lockAllSettings"=dword:00000001');
      return `${lines.join('\r\n')}\r\n`;
    }
  }
}
