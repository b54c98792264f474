// The README's policy examples are what admins copy: each must be a policy the extension reads whole.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHROME_EXTENSION_ID, FIREFOX_ADDON_ID } from '@/lib/extension-identity';
import { parseAdminPolicy, SETTING_KEYS, sanitizeSettings } from '@/lib/settings';

const readme = readFileSync(join(process.cwd(), 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## For admins: deploying to a team'), readme.indexOf('## For developers'));
const blocks = (lang: string) => [...section.matchAll(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => m[1] as string);

/** The policy object inside each tool's wrapping, as the browser hands it to the extension. */
interface Wrapped {
  '3rdparty'?: { extensions: Record<string, Record<string, unknown>> };
  policies?: { '3rdparty': { Extensions: Record<string, Record<string, unknown>> } };
  settings?: { Value?: unknown };
}

function unwrap(json: Wrapped): Record<string, unknown> {
  if (json['3rdparty']) return json['3rdparty'].extensions[CHROME_EXTENSION_ID] ?? {};
  if (json.policies) return json.policies['3rdparty'].Extensions[FIREFOX_ADDON_ID] ?? {};
  if (json.settings?.Value) return Object.fromEntries(Object.entries(json).map(([k, v]) => [k, (v as { Value: unknown }).Value]));
  return json as Record<string, unknown>;
}

describe('the README section for admins', () => {
  it('has a complete example in every form, each read whole by the extension', () => {
    const examples = blocks('json').map((text) => unwrap(JSON.parse(text)));
    expect(examples).toHaveLength(4);
    for (const example of examples) {
      const policy = parseAdminPolicy(example);
      expect(Object.keys(policy.settings).sort()).toEqual(Object.keys(example.settings as object).sort());
      expect(sanitizeSettings(example.settings)).toEqual(example.settings);
      expect(policy.locked).toEqual(example.lockedSettings);
    }
  });

  it('has a .reg example under the registry key Chrome reads', () => {
    const [reg] = blocks('reg');
    expect(reg).toContain(`[HKEY_LOCAL_MACHINE\\Software\\Policies\\Google\\Chrome\\3rdparty\\extensions\\${CHROME_EXTENSION_ID}\\policy]`);
    const values = Object.fromEntries(
      [...(reg ?? '').matchAll(/^"(\w+)"="((?:[^"\\]|\\.)*)"$/gm)].map((m) => [m[1], JSON.parse((m[2] as string).replace(/\\(.)/g, '$1'))]),
    );
    expect(parseAdminPolicy(values)).toEqual({ settings: { emailLogging: 'api', taskSync: 'twoWay' }, locked: ['emailLogging'] });
  });

  it('lists every setting', () => {
    for (const key of SETTING_KEYS) expect(section, key).toContain(`| \`${key}\``);
  });
});
