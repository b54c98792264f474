/**
 * The one place settings are defined and read (README: "Every setting" and "How email is logged").
 *
 * Values come from three layers, resolved per key:
 *   locked admin policy > the rep's own choice > admin policy default > built-in default.
 * The rep's choices are stored sparsely (only keys they changed) in `storage.sync`, so that
 * a later policy default still reaches reps who never touched that setting; how they are laid
 * out there is lib/settings-storage.ts. Admin policy is
 * read from managed storage (Chrome enterprise policy / Firefox policies.json), shaped by
 * public/managed_schema.json.
 */
import { isDomain, isEmailAddress } from './address';
import { parseMyDomain } from './salesforce/hosts';
import { readUserSettings, StorageFullError, watchUserSettings, writeUserSettings } from './settings-storage';
import { storage } from './storage';

// ---------------------------------------------------------------------------------------------
// Schema

/** Why a value was refused; the options page turns each into a sentence next to the field. */
export type SettingProblem =
  | 'wrongType'
  | 'required'
  | 'notAChoice'
  | 'outOfRange'
  | 'tooLong'
  | 'badEmail'
  | 'badDomain'
  | 'badAddressOrDomain'
  | 'badTemplate'
  | 'badUrl';

/** The JSON-schema fragment admins' policy tools validate a value with (public/managed_schema.json). */
export type PolicySchema =
  | { type: 'boolean' }
  | { type: 'string'; enum?: readonly string[] }
  | { type: 'integer'; minimum: number; maximum: number }
  | { type: 'array'; items: { type: 'string' } };

interface Definition<T> {
  readonly default: T;
  readonly schema: PolicySchema;
  /** Returns the normalised value, or the problem that makes it unacceptable. */
  readonly parse: (raw: unknown) => { ok: true; value: T } | { ok: false; problem: SettingProblem };
}

const ok = <T>(value: T) => ({ ok: true as const, value });
const bad = (problem: SettingProblem) => ({ ok: false as const, problem });

function flag(defaultValue: boolean): Definition<boolean> {
  return { default: defaultValue, schema: { type: 'boolean' }, parse: (raw) => (typeof raw === 'boolean' ? ok(raw) : bad('wrongType')) };
}

function choice<const C extends readonly string[]>(choices: C, defaultValue: C[number]): Definition<C[number]> & { choices: C } {
  return {
    default: defaultValue,
    choices,
    schema: { type: 'string', enum: choices },
    parse: (raw) => {
      if (typeof raw !== 'string') return bad('wrongType');
      return (choices as readonly string[]).includes(raw) ? ok(raw as C[number]) : bad('notAChoice');
    },
  };
}

function whole(min: number, max: number, defaultValue: number): Definition<number> & { min: number; max: number } {
  return {
    default: defaultValue,
    min,
    max,
    schema: { type: 'integer', minimum: min, maximum: max },
    parse: (raw) => {
      if (typeof raw !== 'number' || !Number.isInteger(raw)) return bad('wrongType');
      return raw >= min && raw <= max ? ok(raw) : bad('outOfRange');
    },
  };
}

function text(
  maxLength: number,
  defaultValue: string,
  check?: (s: string) => SettingProblem | null,
  { required = false } = {},
): Definition<string> {
  return {
    default: defaultValue,
    schema: { type: 'string' },
    parse: (raw) => {
      if (typeof raw !== 'string') return bad('wrongType');
      const value = raw.trim();
      if (value.length > maxLength) return bad('tooLong');
      if (required && value === '') return bad('required');
      const problem = value === '' ? null : (check?.(value) ?? null);
      return problem ? bad(problem) : ok(value);
    },
  };
}

function list(maxItems: number, check: (s: string) => SettingProblem | null): Definition<string[]> {
  return {
    default: [],
    schema: { type: 'array', items: { type: 'string' } },
    parse: (raw) => {
      if (!Array.isArray(raw)) return bad('wrongType');
      if (raw.length > maxItems) return bad('tooLong');
      const values: string[] = [];
      for (const item of raw) {
        if (typeof item !== 'string') return bad('wrongType');
        const value = item.trim().toLowerCase();
        if (value === '') continue;
        const problem = check(value);
        if (problem) return bad(problem);
        if (!values.includes(value)) values.push(value);
      }
      return ok(values);
    },
  };
}

export { isDomain, isEmailAddress };

/**
 * Email-to-Salesforce addresses look like
 * emailtosalesforce@k-1a2b3c4d5e6f.r-9z8y7x6w5v.na123.le.salesforce.com (or .sandbox.salesforce.com).
 */
export const isEmailToSalesforceAddress = (s: string) =>
  isEmailAddress(s) && /@([a-z0-9-]+\.)+(sandbox\.)?salesforce\.com$/i.test(s) && /^emailtosalesforce@/i.test(s);

const TEMPLATE_FIELDS = ['activity_type', 'activity_subject'] as const;

const TEMPLATE_FIELD = /\{\{\s*([^}]*?)\s*\}\}/g;

function checkTemplate(s: string): SettingProblem | null {
  for (const match of s.matchAll(TEMPLATE_FIELD)) {
    if (!(TEMPLATE_FIELDS as readonly string[]).includes(match[1] ?? '')) return 'badTemplate';
  }
  return null;
}

export type SubjectFields = Record<(typeof TEMPLATE_FIELDS)[number], string>;

/** Salesforce's Task.Subject limit. */
export const SUBJECT_MAX_LENGTH = 255;

/**
 * The logged subject: the template with its fields filled in, on one line (Subject holds no
 * line breaks), cut to Salesforce's 255 characters. Used by the logger and the options preview.
 */
export function applySubjectTemplate(template: string, fields: SubjectFields): string {
  const filled = template.replace(TEMPLATE_FIELD, (whole, name: string) =>
    Object.hasOwn(fields, name) ? fields[name as keyof SubjectFields] : whole,
  );
  const line = filled.replace(/\s*[\r\n]+\s*/g, ' ').trim();
  if (line.length <= SUBJECT_MAX_LENGTH) return line;
  // Salesforce counts UTF-16 units; never leave half of a surrogate pair at the end.
  const cut = line.slice(0, SUBJECT_MAX_LENGTH);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

// A Salesforce My Domain (the Connection tab's rules); the org emulator's loopback address may be
// stored, but only e2e and development builds ever connect to it (lib/salesforce/hosts.ts).
const checkMyDomain = (s: string): SettingProblem | null => (parseMyDomain(s, { allowLoopback: true }).ok ? null : 'badUrl');

export const SETTINGS = {
  /** Off, or which of the two ways (API or Email to Salesforce BCC, README "How email is logged") logs sent email. */
  emailLogging: choice(['off', 'api', 'bcc'] as const, 'api'),
  logAs: choice(['task', 'enhancedEmail'] as const, 'task'),
  logToContacts: flag(true),
  logToLeads: flag(true),
  relatedRecords: choice(['none', 'account', 'recentOpportunity', 'allOpportunitiesWithRole'] as const, 'account'),
  multipleMatches: choice(['all', 'oldest', 'mostRecentlyActive'] as const, 'all'),
  noMatch: choice(['skip', 'createLead', 'unresolved'] as const, 'unresolved'),
  /**
   * A new lead that Salesforce's duplicate rules find similar to an existing record: log to that
   * record, or create the lead anyway where the rule only alerts (docs/salesforce.md).
   */
  duplicateLeads: choice(['useExisting', 'createAnyway'] as const, 'useExisting'),
  logBody: flag(true),
  subjectTemplate: text(SUBJECT_MAX_LENGTH, 'Email: {{activity_subject}}', checkTemplate, { required: true }),
  internalDomains: list(200, (s) => (isDomain(s) ? null : 'badDomain')),
  neverLog: list(1000, (s) => (isEmailAddress(s) || isDomain(s) ? null : 'badAddressOrDomain')),
  /** Mailbox addresses to log from; empty means every mailbox the rep uses. */
  loggedMailboxes: list(50, (s) => (isEmailAddress(s) ? null : 'badEmail')),
  undoSendSeconds: whole(0, 30, 10),
  scheduledSends: choice(['logWhenScheduled', 'skip'] as const, 'logWhenScheduled'),
  /** Received email (API way only): none, replies in threads the extension logged, or all email from matched people. */
  replyLogging: choice(['off', 'replies', 'allFromMatched'] as const, 'replies'),
  bccAddress: text(254, '', (s) => (isEmailToSalesforceAddress(s) ? null : 'badEmail')),
  /** Whether the compose control starts "on" for a new email. */
  composeDefaultOn: flag(true),
  taskSync: choice(['off', 'twoWay', 'oneWay'] as const, 'off'),
  taskSyncIntervalMinutes: whole(1, 1440, 5),
  reminders: flag(true),
  salesforceEnvironment: choice(['production', 'sandbox', 'custom'] as const, 'production'),
  salesforceMyDomain: text(255, '', checkMyDomain),
  /** Connected-app consumer key; empty means the one this build was made with. */
  salesforceClientId: text(255, ''),
} as const;

export type SettingKey = keyof typeof SETTINGS;
type ValueOf<D> = D extends Definition<infer T> ? T : never;
export type Settings = { -readonly [K in SettingKey]: ValueOf<(typeof SETTINGS)[K]> };
export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

export const isSettingKey = (key: unknown): key is SettingKey => typeof key === 'string' && Object.hasOwn(SETTINGS, key);

export function defaultSettings(): Settings {
  const out: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) {
    const value = SETTINGS[key].default;
    out[key] = Array.isArray(value) ? [...value] : value;
  }
  return out as Settings;
}

export type SettingParse<K extends SettingKey> = { ok: true; value: Settings[K] } | { ok: false; problem: SettingProblem };

export function parseSetting<K extends SettingKey>(key: K, raw: unknown): SettingParse<K> {
  return SETTINGS[key].parse(raw) as SettingParse<K>;
}

// ---------------------------------------------------------------------------------------------
// Layers

/** What an administrator deployed (see public/managed_schema.json). */
export interface AdminPolicy {
  /** Team defaults: apply where the rep has not chosen, or always when locked. */
  settings: Partial<Settings>;
  /** Keys the rep cannot change. */
  locked: SettingKey[];
}

export const NO_POLICY: AdminPolicy = { settings: {}, locked: [] };

/** Keeps only well-formed keys and values; policy files are hand-written and may be wrong. */
export function sanitizeSettings(raw: unknown): Partial<Settings> {
  const out: Record<string, unknown> = {};
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return out;
  for (const key of SETTING_KEYS) {
    if (!Object.hasOwn(raw, key)) continue;
    const parsed = parseSetting(key, (raw as Record<string, unknown>)[key]);
    if (parsed.ok) out[key] = parsed.value;
  }
  return out as Partial<Settings>;
}

const POLICY_KEYS = ['settings', 'lockedSettings', 'lockAllSettings'] as const;

/** Reads managed storage's raw object: `{ settings, lockedSettings, lockAllSettings }`. */
export function parseAdminPolicy(raw: unknown): AdminPolicy {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return NO_POLICY;
  const record = raw as Record<string, unknown>;
  const settings = sanitizeSettings(record.settings);
  const locked =
    record.lockAllSettings === true
      ? [...SETTING_KEYS]
      : Array.isArray(record.lockedSettings)
        ? record.lockedSettings.filter(isSettingKey)
        : [];
  return { settings, locked: [...new Set(locked)] };
}

export interface ResolvedSettings {
  values: Settings;
  locked: ReadonlySet<SettingKey>;
  /** What the administrator deployed, for the options page's "Admin settings" view. */
  policy: AdminPolicy;
}

export function resolveSettings(user: Partial<Settings>, policy: AdminPolicy): ResolvedSettings {
  const values = defaultSettings() as Record<SettingKey, unknown>;
  const locked = new Set(policy.locked);
  for (const key of SETTING_KEYS) {
    if (locked.has(key)) {
      if (Object.hasOwn(policy.settings, key)) values[key] = policy.settings[key];
    } else if (Object.hasOwn(user, key)) {
      values[key] = user[key];
    } else if (Object.hasOwn(policy.settings, key)) {
      values[key] = policy.settings[key];
    }
  }
  return { values: values as Settings, locked, policy };
}

// ---------------------------------------------------------------------------------------------
// Storage (the thin shell around the decisions above)

async function readAdminPolicy(): Promise<AdminPolicy> {
  try {
    const raw = await storage.snapshot('managed');
    return parseAdminPolicy(raw);
  } catch {
    // Firefox without a policies.json entry, or a browser without managed storage.
    return NO_POLICY;
  }
}

export async function loadSettings(): Promise<ResolvedSettings> {
  const [user, policy] = await Promise.all([readUserSettings(), readAdminPolicy()]);
  return resolveSettings(sanitizeSettings(user), policy);
}

export type SettingsChangeResult =
  | { ok: true; settings: ResolvedSettings }
  | { ok: false; key: SettingKey; problem: SettingProblem | 'locked' | 'storageFull' };

/** Validates and stores the rep's choices; locked keys and bad values are refused whole. */
export async function changeSettings(changes: Partial<Record<SettingKey, unknown>>): Promise<SettingsChangeResult> {
  const current = await loadSettings();
  const accepted: Record<string, unknown> = {};
  let first: SettingKey | undefined;
  for (const key of Object.keys(changes)) {
    if (!isSettingKey(key)) continue;
    if (current.locked.has(key)) return { ok: false, key, problem: 'locked' };
    const parsed = parseSetting(key, changes[key]);
    if (!parsed.ok) return { ok: false, key, problem: parsed.problem };
    accepted[key] = parsed.value;
    first ??= key;
  }
  if (!first) return { ok: true, settings: current };
  try {
    await writeUserSettings(accepted, sanitizeSettings);
  } catch (error) {
    // The browser's sync quota: the rep is told, and the earlier value stays.
    if (error instanceof StorageFullError) return { ok: false, key: first, problem: 'storageFull' };
    throw error;
  }
  return { ok: true, settings: await loadSettings() };
}

/** Calls back with the resolved settings whenever the rep's choices or the admin policy change. */
export function watchSettings(onChange: (settings: ResolvedSettings) => void): () => void {
  let stopped = false;
  const reload = () => {
    void loadSettings().then((settings) => {
      if (!stopped) onChange(settings);
    });
  };
  const unwatchUser = watchUserSettings(reload);
  const unwatchPolicy = POLICY_KEYS.map((key) => storage.watch(`managed:${key}`, reload));
  return () => {
    stopped = true;
    unwatchUser();
    for (const unwatch of unwatchPolicy) unwatch();
  };
}
