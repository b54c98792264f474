/**
 * Seed files: records by object name, written for people.
 *
 *   { "Account": [{ "@ref": "sakura", "Name": "株式会社サクラ精機" }],
 *     "Contact": [{ "LastName": "鈴木", "AccountId": "@sakura", "CreatedDate": "$now-3d" }] }
 *
 * - "@ref" names a record; a string value "@name" elsewhere (also inside lists, e.g. an
 *   EmailMessage's "ToIds": ["@suzuki"]) is that record's id.
 * - "$today", "$today+3", "$today-1" are dates; "$now", "$now-2d", "$now+4h", "$now-30m" datetimes,
 *   so a seed stays "due tomorrow" whatever day it is loaded.
 * - Objects load in dependency order (users first), whatever the order in the file; every record
 *   passes the same checks as an API create, and may also set system fields (CreatedDate,
 *   LastModifiedDate, IsDeleted, ...). OwnerId defaults to the first user.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isoDate } from './dates';
import { createRecord, RecordErrors } from './dml';
import { OBJECTS } from './objects';
import { formatDateTime, type OrgStore } from './store';

export type SeedRecord = Record<string, unknown>;
export type Seed = Record<string, SeedRecord[]>;

export const DEFAULT_SEED_PATH = fileURLToPath(new URL('./seed.json', import.meta.url));

const LOAD_ORDER = [
  'User',
  'Organization',
  'Account',
  'Contact',
  'Lead',
  'Opportunity',
  'OpportunityContactRole',
  'Task',
  'TaskRelation',
  'EmailMessage',
  'EmailMessageRelation',
];

const DAY = 86_400_000;
const UNIT: Record<string, number> = { d: DAY, h: 3_600_000, m: 60_000 };

export function readSeed(path: string): Seed {
  return JSON.parse(readFileSync(path, 'utf8')) as Seed;
}

function expand(value: unknown, refs: Map<string, string>, now: number, where: string): unknown {
  if (Array.isArray(value)) return value.map((item) => expand(item, refs, now, where));
  if (typeof value !== 'string') return value;
  if (value.startsWith('@')) {
    const id = refs.get(value.slice(1));
    if (!id) throw new Error(`${where}: unknown reference ${value} (define it with "@ref" on an earlier record)`);
    return id;
  }
  const today = /^\$today(?:([+-])(\d+))?$/.exec(value);
  if (today) return isoDate(now + (today[1] === '-' ? -1 : 1) * Number(today[2] ?? 0) * DAY);
  const at = /^\$now(?:([+-])(\d+)([dhm]))?$/.exec(value);
  if (at) return formatDateTime(now + (at[1] === '-' ? -1 : 1) * Number(at[2] ?? 0) * (UNIT[at[3] ?? 'd'] ?? DAY));
  return value;
}

/** Adds a seed's records to the org; returns the ids of the records that have an "@ref". */
export function loadSeed(store: OrgStore, seed: Seed): Record<string, string> {
  for (const name of Object.keys(seed)) {
    if (!LOAD_ORDER.includes(name) && !OBJECTS.has(name.toLowerCase())) throw new Error(`seed: unknown object ${name}`);
  }
  const refs = new Map<string, string>();
  const now = store.now();
  const userTable = store.table('User')!;
  const firstUser = () => userTable.rows.keys().next().value ?? '';
  store.transaction(() => {
    for (const name of LOAD_ORDER) {
      (seed[name] ?? []).forEach((raw, i) => {
        const where = `seed ${name}[${i}]`;
        const { '@ref': ref, ...fields } = raw;
        if ('Id' in fields) throw new Error(`${where}: ids are assigned by the org; name the record with "@ref" instead`);
        const body = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, expand(v, refs, now, where)]));
        let id: string;
        try {
          id = createRecord(store, name, body, firstUser(), true);
        } catch (error) {
          if (error instanceof RecordErrors) throw new Error(`${where}: ${error.message}`);
          throw error;
        }
        if (name === 'User' && userTable.rows.size === 1) {
          // The first user creates itself.
          const rec = userTable.rows.get(id)!;
          store.put(userTable, { ...rec, CreatedById: id, LastModifiedById: id });
        }
        if (typeof ref === 'string') refs.set(ref, id);
      });
    }
  });
  return Object.fromEntries(refs);
}
