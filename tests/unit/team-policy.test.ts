import { describe, expect, it } from 'vitest';
import { buildTeamPolicy, POLICY_FORMATS, policyDocument, rolesOf, WINDOWS_POLICY_KEY } from '@/components/options/team-policy';
import { CHROME_EXTENSION_ID, FIREFOX_ADDON_ID } from '@/lib/extension-identity';
import { defaultSettings, parseAdminPolicy, SETTING_KEYS } from '@/lib/settings';

const values = {
  ...defaultSettings(),
  emailLogging: 'bcc' as const,
  subjectTemplate: 'メール: {{activity_subject}}',
  neverLog: ['ceo@acme.com'],
};

/** Reads a .reg file the way regedit does: one REG_SZ or REG_DWORD per line under the key. */
function readRegFile(text: string): { key: string; values: Record<string, unknown> } {
  const lines = text.split('\r\n');
  const out: Record<string, unknown> = {};
  for (const line of lines.slice(3).filter(Boolean)) {
    const dword = /^"(\w+)"=dword:([0-9a-f]{8})$/.exec(line);
    if (dword) {
      out[dword[1] as string] = Number.parseInt(dword[2] as string, 16) === 1;
      continue;
    }
    const string = /^"(\w+)"="((?:[^"\\]|\\.)*)"$/.exec(line);
    if (!string) throw new Error(`not a registry value: ${line}`);
    out[string[1] as string] = JSON.parse((string[2] as string).replace(/\\(.)/g, '$1'));
  }
  return { key: lines[2] ?? '', values: out };
}

describe('the team policy builder', () => {
  const roles = { emailLogging: 'locked', subjectTemplate: 'default', neverLog: 'locked' } as const;
  const policy = buildTeamPolicy(values, roles, false);

  it('sets what is chosen and locks what is locked', () => {
    expect(policy).toEqual({
      settings: { emailLogging: 'bcc', subjectTemplate: 'メール: {{activity_subject}}', neverLog: ['ceo@acme.com'] },
      lockedSettings: ['emailLogging', 'neverLog'],
      lockAllSettings: false,
    });
  });

  it('writes every setting when the admin overrides all of them', () => {
    const all = buildTeamPolicy(values, {}, true);
    expect(Object.keys(all.settings)).toEqual(SETTING_KEYS);
    expect(parseAdminPolicy(policyObjectOf(policyDocument(all, 'linuxFile'))).locked).toEqual(SETTING_KEYS);
  });

  it('starts from the roles of the deployed policy', () => {
    expect(rolesOf(parseAdminPolicy(policyObjectOf(policyDocument(policy, 'linuxFile'))))).toEqual(roles);
  });

  it.each(POLICY_FORMATS)('reads back to the same policy from the %s format', (format) => {
    const text = policyDocument(policy, format);
    const expected = { settings: policy.settings, locked: policy.lockedSettings };
    if (format === 'windowsRegistry') {
      // regedit files stay plain ASCII: the Japanese template travels as JSON \u escapes.
      expect(/^[\x20-\x7e\r\n]*$/.test(text)).toBe(true);
      const reg = readRegFile(text);
      expect(reg.key).toBe(`[${WINDOWS_POLICY_KEY}]`);
      expect(WINDOWS_POLICY_KEY).toBe(
        `HKEY_LOCAL_MACHINE\\Software\\Policies\\Google\\Chrome\\3rdparty\\extensions\\${CHROME_EXTENSION_ID}\\policy`,
      );
      expect(parseAdminPolicy(reg.values)).toEqual(expected);
    } else {
      expect(parseAdminPolicy(policyObjectOf(text))).toEqual(expected);
    }
  });
});

/** The extension's own policy object inside each tool's wrapping. */
function policyObjectOf(text: string): unknown {
  const json = JSON.parse(text);
  if (json['3rdparty']) return json['3rdparty'].extensions[CHROME_EXTENSION_ID];
  if (json.policies) return json.policies['3rdparty'].Extensions[FIREFOX_ADDON_ID];
  // Google Admin console wraps each policy value as { "Value": ... }.
  return Object.fromEntries(Object.entries(json).map(([k, v]) => [k, (v as { Value: unknown }).Value]));
}
