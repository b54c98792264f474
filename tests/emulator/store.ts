/**
 * The org's records in memory: one table per object, with an id map and value indexes for the
 * lookups the extension makes (emails, references), a journal so a request that fails part-way
 * (allOrNone, composite) leaves nothing behind, and a clock tests can move forward.
 */
import { makeId, toId18 } from './ids';
import { OBJECTS, type ObjectDef, objectDef, objectsForPrefix, type Rec } from './objects';
import { NEW_ORG_SETTINGS, type OrgSettings } from './org-settings';

export interface Table {
  def: ObjectDef;
  /** Every record, deleted ones too, in insertion order. */
  rows: Map<string, Rec>;
  /** field name -> normalised value -> ids; for Id-like and indexed fields only. */
  indexes: Map<string, Map<string, Set<string>>>;
}

type JournalEntry = { table: Table; id: string; previous: Rec | undefined };

export interface OrgJSON {
  counter: number;
  clockOffsetMs: number;
  records: Record<string, Rec[]>;
  settings?: OrgSettings;
}

/** Salesforce's datetime format in JSON: 2024-05-01T09:30:00.000+0000. Datetimes are stored to the second. */
export function formatDateTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('Z', '+0000');
}

/** Index key: references and ids as they are, text case-insensitively as SOQL compares it. */
export function indexKey(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  return typeof value === 'string' ? value.toLowerCase() : String(value);
}

export class OrgStore {
  readonly tables = new Map<string, Table>();
  private counter = 1;
  private journal: JournalEntry[] | null = null;
  clockOffsetMs = 0;
  /** What the admin has switched on (duplicate rules, Enhanced Email, ...): a new org's by default. */
  settings: OrgSettings = structuredClone(NEW_ORG_SETTINGS);
  /** The org minute archiveOldActivities last looked at every task in (-1: never). */
  archivedThrough = -1;
  /** Closed tasks written since, which may be old enough to archive at once. */
  readonly archiveCandidates = new Set<string>();
  /** When the recycle bin was last emptied (ms), which getDeleted reports as earliestDateAvailable. */
  purgedAt = 0;
  /** Called after every committed change (persistence listens). */
  onChange: () => void = () => {};

  constructor() {
    for (const def of OBJECTS.values()) {
      const indexes = new Map<string, Map<string, Set<string>>>();
      for (const f of def.fields) if (f.type === 'reference') indexes.set(f.name, new Map());
      for (const name of def.indexed) indexes.set(name, new Map());
      this.tables.set(def.name, { def, rows: new Map(), indexes });
    }
  }

  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  nowString(): string {
    return formatDateTime(this.now());
  }

  table(name: string): Table | undefined {
    const def = objectDef(name);
    return def ? this.tables.get(def.name) : undefined;
  }

  newId(def: ObjectDef): string {
    return makeId(def.keyPrefix, this.counter++);
  }

  /** The record with this 15- or 18-character id in any table, deleted or not. */
  find(id: string): { table: Table; rec: Rec } | undefined {
    const id18 = toId18(id);
    if (!id18) return undefined;
    for (const def of objectsForPrefix(id18.slice(0, 3))) {
      const table = this.tables.get(def.name)!;
      const rec = table.rows.get(id18);
      if (rec) return { table, rec };
    }
    return undefined;
  }

  /** Ids whose `field` equals `value` (case-insensitive for text), from the index. */
  lookup(table: Table, field: string, value: unknown): Set<string> | undefined {
    if (field === 'Id') {
      const id = typeof value === 'string' ? toId18(value) : null;
      return new Set(id && table.rows.has(id) ? [id] : []);
    }
    const index = table.indexes.get(field);
    if (!index) return undefined;
    const key = indexKey(value);
    return key === undefined ? new Set() : (index.get(key) ?? new Set());
  }

  hasIndex(table: Table, field: string): boolean {
    return field === 'Id' || table.indexes.has(field);
  }

  /** Inserts or replaces a record; records are replaced whole, never mutated in place. */
  put(table: Table, rec: Rec): void {
    if (table.def.name === 'Task' && rec.IsClosed === true && rec.IsArchived !== true) this.archiveCandidates.add(rec.Id);
    const previous = table.rows.get(rec.Id);
    this.journal?.push({ table, id: rec.Id, previous });
    this.write(table, rec.Id, previous, rec);
  }

  private write(table: Table, id: string, previous: Rec | undefined, next: Rec | undefined): void {
    for (const [name, index] of table.indexes) {
      const before = indexKey(previous?.[name]);
      const after = indexKey(next?.[name]);
      if (before === after) continue;
      if (before !== undefined) {
        const ids = index.get(before);
        ids?.delete(id);
        if (ids?.size === 0) index.delete(before);
      }
      if (after !== undefined) {
        const ids = index.get(after);
        if (ids) ids.add(id);
        else index.set(after, new Set([id]));
      }
    }
    if (next) table.rows.set(id, next);
    else table.rows.delete(id);
  }

  /**
   * Runs `fn` as one transaction: if it throws, or `shouldRollback(result)` says so, every change
   * it made is undone. Transactions nest (a collection inside a composite request).
   */
  transaction<T>(fn: () => T, shouldRollback: (result: T) => boolean = () => false): T {
    const outer = this.journal;
    const journal: JournalEntry[] = [];
    this.journal = journal;
    let result: T;
    try {
      result = fn();
    } catch (error) {
      this.journal = outer;
      this.undo(journal);
      throw error;
    }
    this.journal = outer;
    if (shouldRollback(result)) this.undo(journal);
    else if (outer) outer.push(...journal);
    else if (journal.length > 0) this.onChange();
    return result;
  }

  private undo(journal: JournalEntry[]): void {
    for (let i = journal.length - 1; i >= 0; i--) {
      const { table, id, previous } = journal[i]!;
      this.write(table, id, table.rows.get(id), previous);
    }
  }

  /** Empties the recycle bin: deleted records are gone for good, and getDeleted's history starts now. */
  purgeDeleted(): number {
    let purged = 0;
    for (const table of this.tables.values()) {
      for (const rec of [...table.rows.values()]) {
        if (!rec.IsDeleted) continue;
        this.write(table, rec.Id, rec, undefined);
        purged++;
      }
    }
    this.purgedAt = Math.floor(this.now() / 60_000) * 60_000;
    this.onChange();
    return purged;
  }

  /** Every record, deleted ones included, by object name (for snapshots and persistence). */
  toJSON(): OrgJSON {
    const records: Record<string, Rec[]> = {};
    for (const [name, table] of this.tables) if (table.rows.size > 0) records[name] = [...table.rows.values()];
    return { counter: this.counter, clockOffsetMs: this.clockOffsetMs, records, settings: this.settings };
  }

  load(data: OrgJSON): void {
    for (const table of this.tables.values()) {
      table.rows.clear();
      for (const index of table.indexes.values()) index.clear();
    }
    this.counter = data.counter;
    this.clockOffsetMs = data.clockOffsetMs ?? 0;
    this.settings = { ...structuredClone(NEW_ORG_SETTINGS), ...data.settings };
    for (const [name, rows] of Object.entries(data.records)) {
      const table = this.table(name);
      if (!table) throw new Error(`unknown object ${name} in saved org`);
      for (const rec of rows) this.write(table, rec.Id, undefined, rec);
    }
  }
}
