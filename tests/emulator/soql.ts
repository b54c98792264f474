/**
 * SOQL, parsed by @jetstreamapp/soql-parser-js and compiled once per query string into plain
 * functions: a record predicate, a projection building Salesforce's JSON rows, and a sort.
 * Evaluation is one pass over the candidate records; `Field = value` and `Field IN (...)` on an
 * indexed field (Id, references, Email, ...) start from the index instead of the whole table.
 */
import {
  type Condition,
  type LiteralType,
  type OrderByClause,
  type FieldType as ParsedField,
  parseQuery,
  type Query,
  type Subquery,
  type ValueQueryCondition,
  type WhereClause,
} from '@jetstreamapp/soql-parser-js';
import { dateLiteralRange, toMillis } from './dates';
import { type ApiError, apiError } from './errors';
import { toId18 } from './ids';
import { type FieldDef, type ObjectDef, objectDef, POLYMORPHIC_FIELDS, type Rec, relationshipField } from './objects';
import type { OrgStore, Table } from './store';

export type Row = Record<string, unknown>;

export interface RunOptions {
  includeDeleted: boolean;
  /** API version the request used, for the `attributes.url` of each row. */
  version: string;
  /** An extra condition on the queried records (SOSL's search match). */
  filter?: (rec: Rec) => boolean;
}

export interface QueryResult {
  totalSize: number;
  /** Every row of the result (the REST layer pages them); empty for COUNT(). */
  rows: Row[];
}

interface Ctx {
  store: OrgStore;
  now: number;
  options: RunOptions;
  semiJoins: Map<Compiled, Set<unknown>>;
}

type Getter = (rec: Rec, ctx: Ctx) => unknown;
type Predicate = (rec: Rec, ctx: Ctx) => boolean;

interface Path {
  field: FieldDef;
  /** Reference fields followed from the queried record, e.g. [WhoId] for Who.Name. */
  refs: FieldDef[];
  /** The leaf's name as Salesforce spells it in rows. */
  name: string;
  get: Getter;
}

/** A projection node: fields of one record, its parents by relationship, and child subqueries. */
interface Selection {
  items: Array<
    | { kind: 'field'; name: string; get: (rec: Rec, type: string) => unknown }
    | { kind: 'parent'; name: string; ref: FieldDef; selection: Selection }
    | { kind: 'children'; name: string; field: string; query: Compiled }
  >;
}

interface Compiled {
  table: Table;
  count: boolean;
  selection: Selection;
  where?: Predicate;
  candidates?: (ctx: Ctx) => Iterable<string>;
  compare?: (a: Rec, b: Rec, ctx: Ctx) => number;
  limit?: number;
  offset?: number;
  /** For a semi-join subquery: the single selected field. */
  single?: Path;
}

const malformed = (message: string) => apiError(400, 'MALFORMED_QUERY', message);
const invalidField = (message: string) => apiError(400, 'INVALID_FIELD', message);
const unsupported = (what: string) => malformed(`The org emulator does not support ${what}`);

function noSuchColumn(name: string, def: ObjectDef): ApiError {
  return invalidField(
    `No such column '${name}' on entity '${def.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
  );
}

/** Salesforce's default limit on the length of a SOQL statement. */
const MAX_SOQL_LENGTH = 100_000;
const TEXT_TYPES = new Set(['string', 'textarea', 'email', 'phone', 'url', 'picklist', 'combobox']);
const NUMBER_TYPES = new Set(['int', 'double', 'currency', 'percent']);
const POLYMORPHIC_NAMES = new Map(
  ['Id', 'Name', 'FirstName', 'LastName', 'Email', 'Phone', 'Title', 'Type', 'Alias', 'Username', 'IsActive'].map((n) => [
    n.toLowerCase(),
    n,
  ]),
);

/** Comparable form of a stored value: text lower-cased, dates and datetimes in milliseconds. */
function comparable(f: FieldDef, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (TEXT_TYPES.has(f.type)) return (value as string).toLowerCase();
  if (f.type === 'date' || f.type === 'datetime') return toMillis(value as string);
  return value;
}

function resolvePath(def: ObjectDef, raw: string, alias: string | undefined): Path {
  let parts = raw.split('.');
  if (alias && parts.length > 1 && parts[0]!.toLowerCase() === alias.toLowerCase()) parts = parts.slice(1);
  const refs: FieldDef[] = [];
  let current: ObjectDef | undefined = def;
  for (const part of parts.slice(0, -1)) {
    if (!current) throw invalidField(`Didn't understand relationship '${part}' in field path '${raw}'.`);
    const ref = relationshipField(current, part);
    if (!ref)
      throw invalidField(
        `Didn't understand relationship '${part}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    refs.push(ref);
    current = ref.referenceTo.length === 1 ? objectDef(ref.referenceTo[0]!) : undefined;
  }
  const leaf = parts.at(-1)!;
  let field: FieldDef | undefined;
  if (current) field = current.field.get(leaf.toLowerCase());
  else if (POLYMORPHIC_FIELDS.has(leaf.toLowerCase())) {
    const name = POLYMORPHIC_NAMES.get(leaf.toLowerCase())!;
    field = { ...objectDef('Contact')!.field.get('name')!, name, type: name === 'Id' ? 'id' : name === 'IsActive' ? 'boolean' : 'string' };
  }
  // Write-only id lists (EmailMessage.ToIds) cannot be queried.
  if (!field || field.type === 'junctionidlist') throw noSuchColumn(raw, current ?? def);
  const leafField = field;
  const polymorphicType = !current && leafField.name === 'Type';
  const get: Getter =
    refs.length === 0
      ? (rec) => rec[leafField.name] ?? null
      : (rec, ctx) => {
          let target: Rec | undefined = rec;
          let type = '';
          for (const ref of refs) {
            const id = target[ref.name];
            if (typeof id !== 'string') return null;
            const found = ctx.store.find(id);
            if (!found) return null;
            target = found.rec;
            type = found.table.def.name;
          }
          return polymorphicType ? type : (target[leafField.name] ?? null);
        };
  return { field: leafField, refs, name: leafField.name, get };
}

// ---------------------------------------------------------------------------------------------
// Literals

/** A quoted SOQL string literal, unescaped; `wild` marks unescaped % and _ for LIKE. */
function stringLiteral(raw: string): { text: string; chars: Array<{ c: string; wild: boolean }> } {
  const body = raw.slice(1, -1);
  const chars: Array<{ c: string; wild: boolean }> = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      chars.push({ c, wild: c === '%' || c === '_' });
      continue;
    }
    const next = body[++i];
    const escaped: Record<string, string> = {
      n: '\n',
      N: '\n',
      r: '\r',
      R: '\r',
      t: '\t',
      T: '\t',
      b: '\b',
      B: '\b',
      f: '\f',
      F: '\f',
      '"': '"',
      "'": "'",
      '\\': '\\',
      '%': '%',
      _: '_',
    };
    const value = next === undefined ? undefined : escaped[next];
    if (value === undefined)
      throw malformed(`Invalid string literal '${body}'. Illegal character sequence '\\${next ?? ''}' in string literal.`);
    chars.push({ c: value, wild: false });
  }
  return { text: chars.map((ch) => ch.c).join(''), chars };
}

type Literal = { kind: 'value'; value: unknown } | { kind: 'range'; literal: string };

function literalFor(path: Path, raw: string, type: LiteralType | undefined): Literal {
  const f = path.field;
  const mismatch = () => {
    const expected = f.type === 'datetime' ? 'dateTime' : f.type;
    return invalidField(
      `value of filter criterion for field '${path.name}' must be of type ${expected} and should not be enclosed in quotes`,
    );
  };
  switch (type) {
    case 'NULL':
      return { kind: 'value', value: null };
    case 'STRING': {
      const text = stringLiteral(raw).text;
      if (f.type === 'id' || f.type === 'reference') {
        const id = toId18(text);
        if (!id) throw apiError(400, 'INVALID_QUERY_FILTER_OPERATOR', `invalid ID field: ${text}`);
        return { kind: 'value', value: id };
      }
      if (!TEXT_TYPES.has(f.type)) throw mismatch();
      return { kind: 'value', value: text.toLowerCase() };
    }
    case 'BOOLEAN':
      if (f.type !== 'boolean') throw mismatch();
      return { kind: 'value', value: raw.toUpperCase() === 'TRUE' };
    case 'INTEGER':
    case 'DECIMAL':
      if (!NUMBER_TYPES.has(f.type)) throw mismatch();
      return { kind: 'value', value: Number(raw) };
    case 'DATE':
      if (f.type !== 'date') throw mismatch();
      return { kind: 'value', value: toMillis(raw) };
    case 'DATETIME': {
      if (f.type !== 'datetime') throw mismatch();
      const ms = toMillis(raw.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
      if (Number.isNaN(ms)) throw malformed(`line 1:0 no viable alternative at character '${raw}'`);
      return { kind: 'value', value: ms };
    }
    case 'DATE_LITERAL':
    case 'DATE_N_LITERAL':
      if (f.type !== 'date' && f.type !== 'datetime') throw mismatch();
      if (!dateLiteralRange(raw, 0)) throw malformed(`unsupported date literal: ${raw}`);
      return { kind: 'range', literal: raw };
    default:
      throw unsupported(`${type ?? 'this kind of'} literals`);
  }
}

function likeRegExp(raw: string): RegExp {
  const pattern = stringLiteral(raw)
    .chars.map(({ c, wild }) => (wild ? (c === '%' ? '.*' : '.') : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${pattern}$`, 'is');
}

// ---------------------------------------------------------------------------------------------
// WHERE

type Token = '(' | ')' | 'AND' | 'OR' | 'NOT' | { cond: Condition | ValueQueryCondition };

function flatten(where: WhereClause | undefined): Token[] {
  const tokens: Token[] = [];
  let node: WhereClause | undefined = where;
  while (node) {
    const left = node.left as (Partial<Condition> & Partial<ValueQueryCondition> & { openParen?: number; closeParen?: number }) | null;
    if (left) {
      for (let i = 0; i < (left.openParen ?? 0); i++) tokens.push('(');
      if ('field' in left || 'fn' in left) tokens.push({ cond: left as Condition });
      for (let i = 0; i < (left.closeParen ?? 0); i++) tokens.push(')');
    }
    if ('operator' in node && node.operator) tokens.push(node.operator);
    node = 'right' in node ? node.right : undefined;
  }
  return tokens;
}

type Tree = { kind: 'and' | 'or'; items: Tree[] } | { kind: 'not'; item: Tree } | { kind: 'cond'; cond: Condition | ValueQueryCondition };

function toTree(tokens: Token[]): Tree {
  let i = 0;
  const peek = () => tokens[i];
  const parseOr = (): Tree => {
    const items = [parseAnd()];
    while (peek() === 'OR') {
      i++;
      items.push(parseAnd());
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  };
  const parseAnd = (): Tree => {
    const items = [parseNot()];
    while (peek() === 'AND') {
      i++;
      items.push(parseNot());
    }
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  };
  const parseNot = (): Tree => {
    const token = tokens[i++];
    if (token === 'NOT') return { kind: 'not', item: parseNot() };
    if (token === '(') {
      const inner = parseOr();
      if (tokens[i++] !== ')') throw malformed('unexpected token in WHERE clause');
      return inner;
    }
    if (typeof token === 'object') return { kind: 'cond', cond: token.cond };
    throw malformed(`unexpected token: ${token ?? 'end of query'}`);
  };
  const tree = parseOr();
  if (i !== tokens.length) throw malformed('unexpected token in WHERE clause');
  return tree;
}

function compileCondition(store: OrgStore, def: ObjectDef, cond: Condition | ValueQueryCondition, alias: string | undefined): Predicate {
  if (!('field' in cond)) throw unsupported('functions in WHERE');
  const path = resolvePath(def, cond.field, alias);
  const f = path.field;
  const get = path.get;
  const value = (rec: Rec, ctx: Ctx) => comparable(f, get(rec, ctx));
  const op = cond.operator.toUpperCase();

  if ('valueQuery' in cond && cond.valueQuery) {
    const sub = compile(store, cond.valueQuery);
    if (!sub.single) throw malformed('A semi-join subquery must select exactly one field');
    const set = (ctx: Ctx) => semiJoin(sub, ctx);
    if (op === 'IN') return (rec, ctx) => set(ctx).has(get(rec, ctx));
    if (op === 'NOT IN') return (rec, ctx) => !set(ctx).has(get(rec, ctx));
    throw malformed(`Semi-join subqueries are only allowed with IN and NOT IN`);
  }

  const c = cond as Condition & { value: string | string[]; literalType?: LiteralType | LiteralType[] };
  const rawValues = Array.isArray(c.value) ? c.value : [c.value];
  const types = Array.isArray(c.literalType) ? c.literalType : rawValues.map(() => c.literalType as LiteralType | undefined);
  const literals = rawValues.map((raw, i) => literalFor(path, raw, types[i] ?? types[0]));

  if (op === 'LIKE') {
    if (!TEXT_TYPES.has(f.type) && f.type !== 'id' && f.type !== 'reference')
      throw apiError(400, 'INVALID_FIELD', `invalid operator on ${f.type} field: LIKE`);
    const re = likeRegExp(rawValues[0]!);
    return (rec, ctx) => {
      const v = get(rec, ctx);
      return typeof v === 'string' && re.test(v);
    };
  }
  if (op === 'IN' || op === 'NOT IN') {
    const values = new Set(literals.filter((l) => l.kind === 'value').map((l) => (l as { value: unknown }).value));
    const ranges = literals.filter((l) => l.kind === 'range').map((l) => (l as { literal: string }).literal);
    const inList = (rec: Rec, ctx: Ctx) => {
      const v = value(rec, ctx);
      if (values.has(v)) return true;
      return ranges.some((literal) => {
        const r = dateLiteralRange(literal, ctx.now)!;
        return typeof v === 'number' && v >= r.start && v < r.end;
      });
    };
    return op === 'IN' ? inList : (rec, ctx) => !inList(rec, ctx);
  }
  if (literals.length !== 1) throw malformed(`unexpected list of values for ${op}`);
  const literal = literals[0]!;
  if (literal.kind === 'range') {
    const name = literal.literal;
    const test: Record<string, (v: number, start: number, end: number) => boolean> = {
      '=': (v, s, e) => v >= s && v < e,
      '!=': (v, s, e) => !(v >= s && v < e),
      '<': (v, s) => v < s,
      '<=': (v, _s, e) => v < e,
      '>': (v, _s, e) => v >= e,
      '>=': (v, s) => v >= s,
    };
    const check = test[op];
    if (!check) throw malformed(`invalid operator ${op} for a date literal`);
    return (rec, ctx) => {
      const v = value(rec, ctx) as number | null;
      if (v === null) return op === '!=';
      const r = dateLiteralRange(name, ctx.now)!;
      return check(v, r.start, r.end);
    };
  }
  const lit = literal.value;
  switch (op) {
    case '=':
      return (rec, ctx) => value(rec, ctx) === lit;
    case '!=':
      return (rec, ctx) => value(rec, ctx) !== lit;
    case '<':
    case '<=':
    case '>':
    case '>=': {
      if (lit === null) return () => false;
      const cmp = { '<': (x: number) => x < 0, '<=': (x: number) => x <= 0, '>': (x: number) => x > 0, '>=': (x: number) => x >= 0 }[op];
      return (rec, ctx) => {
        const v = value(rec, ctx);
        return v !== null && cmp(compareValues(v, lit));
      };
    }
    default:
      throw unsupported(`the ${op} operator`);
  }
}

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  return (a as number) < (b as number) ? -1 : 1;
}

function compileTree(store: OrgStore, def: ObjectDef, tree: Tree, alias: string | undefined): Predicate {
  switch (tree.kind) {
    case 'cond':
      return compileCondition(store, def, tree.cond, alias);
    case 'not': {
      const inner = compileTree(store, def, tree.item, alias);
      return (rec, ctx) => !inner(rec, ctx);
    }
    case 'and': {
      const items = tree.items.map((t) => compileTree(store, def, t, alias));
      return (rec, ctx) => items.every((p) => p(rec, ctx));
    }
    case 'or': {
      const items = tree.items.map((t) => compileTree(store, def, t, alias));
      return (rec, ctx) => items.some((p) => p(rec, ctx));
    }
  }
}

/** Candidate ids from an index when a top-level AND term is `IndexedField = x` or `IN (...)`. */
function indexCandidates(store: OrgStore, table: Table, tree: Tree, alias: string | undefined): Compiled['candidates'] {
  const terms = tree.kind === 'and' ? tree.items : [tree];
  for (const term of terms) {
    if (term.kind !== 'cond' || !('field' in term.cond)) continue;
    const op = term.cond.operator.toUpperCase();
    if (op !== '=' && op !== 'IN') continue;
    const path = resolvePath(table.def, term.cond.field, alias);
    if (path.refs.length > 0 || !store.hasIndex(table, path.name)) continue;
    if ('valueQuery' in term.cond && term.cond.valueQuery) {
      const sub = compile(store, term.cond.valueQuery);
      return (ctx) => idsFor(store, table, path.name, semiJoin(sub, ctx));
    }
    const c = term.cond as Condition & { value: string | string[]; literalType?: LiteralType | LiteralType[] };
    const raws = Array.isArray(c.value) ? c.value : [c.value];
    const types = Array.isArray(c.literalType) ? c.literalType : raws.map(() => c.literalType as LiteralType);
    if (types.some((t) => t !== 'STRING')) continue;
    const keys = raws.map((raw) => stringLiteral(raw).text);
    return () => idsFor(store, table, path.name, keys);
  }
  return undefined;
}

function idsFor(store: OrgStore, table: Table, field: string, values: Iterable<unknown>): Set<string> {
  const ids = new Set<string>();
  for (const value of values) for (const id of store.lookup(table, field, value) ?? []) ids.add(id);
  return ids;
}

function semiJoin(sub: Compiled, ctx: Ctx): Set<unknown> {
  let set = ctx.semiJoins.get(sub);
  if (!set) {
    set = new Set();
    for (const rec of matching(sub, ctx)) set.add(sub.single!.get(rec, ctx));
    set.delete(null);
    ctx.semiJoins.set(sub, set);
  }
  return set;
}

// ---------------------------------------------------------------------------------------------
// SELECT list and ORDER BY

function selectionOf(
  store: OrgStore,
  def: ObjectDef,
  fields: ParsedField[],
  alias: string | undefined,
): { selection: Selection; count: boolean; single?: Path } {
  const root: Selection = { items: [] };
  let count = false;
  const paths: Path[] = [];
  const add = (raw: string) => {
    const path = resolvePath(def, raw, alias);
    paths.push(path);
    let node = root;
    for (const ref of path.refs) {
      const name = ref.relationshipName!;
      let parent = node.items.find((item) => item.kind === 'parent' && item.name === name) as
        | { kind: 'parent'; name: string; ref: FieldDef; selection: Selection }
        | undefined;
      if (!parent) {
        parent = { kind: 'parent', name, ref, selection: { items: [] } };
        node.items.push(parent);
      }
      node = parent.selection;
    }
    if (node.items.some((item) => item.kind === 'field' && item.name === path.name)) {
      throw apiError(400, 'INVALID_FIELD', `duplicate field selected: ${raw}`);
    }
    const leaf = path.field.name;
    const polymorphicType = leaf === 'Type' && path.refs.length > 0 && path.refs.at(-1)!.referenceTo.length > 1;
    node.items.push({ kind: 'field', name: path.name, get: polymorphicType ? (_rec, type) => type : (rec) => rec[leaf] ?? null });
  };
  for (const field of fields) {
    switch (field.type) {
      case 'Field':
        add(field.field);
        break;
      case 'FieldRelationship':
        add([...field.relationships, field.field].join('.'));
        break;
      case 'FieldFunctionExpression': {
        const fn = field.functionName.toUpperCase();
        if (fn === 'COUNT' && field.parameters.length === 0) {
          if (fields.length > 1) throw malformed('COUNT() must be the only element in the SELECT list.');
          count = true;
        } else if (fn === 'FIELDS') {
          const which = String(field.parameters[0] ?? '').toUpperCase();
          if (which !== 'ALL' && which !== 'STANDARD') throw malformed(`FIELDS(${which}) is not supported`);
          for (const f of def.fields) if (f.type !== 'junctionidlist') add(f.name);
        } else {
          throw unsupported(`the ${fn}() function in SELECT`);
        }
        break;
      }
      case 'FieldSubquery': {
        const rel = def.childRelationships.find((c) => c.relationshipName.toLowerCase() === field.subquery.relationshipName.toLowerCase());
        if (!rel)
          throw invalidField(
            `Didn't understand relationship '${field.subquery.relationshipName}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
          );
        const query = compile(store, { ...field.subquery, sObject: rel.childSObject });
        root.items.push({ kind: 'children', name: rel.relationshipName, field: rel.field, query });
        break;
      }
      default:
        throw unsupported('TYPEOF');
    }
  }
  return { selection: root, count, ...(paths.length === 1 ? { single: paths[0] } : {}) };
}

function compileOrder(
  def: ObjectDef,
  orderBy: OrderByClause | OrderByClause[] | undefined,
  alias: string | undefined,
): Compiled['compare'] {
  const clauses = orderBy === undefined ? [] : Array.isArray(orderBy) ? orderBy : [orderBy];
  if (clauses.length === 0) return undefined;
  const keys = clauses.map((clause) => {
    if (!('field' in clause)) throw unsupported('functions in ORDER BY');
    const path = resolvePath(def, clause.field, alias);
    const desc = clause.order === 'DESC';
    const nullsFirst = clause.nulls ? clause.nulls === 'FIRST' : true;
    return { path, desc, nullsFirst };
  });
  return (a, b, ctx) => {
    for (const { path, desc, nullsFirst } of keys) {
      const x = comparable(path.field, path.get(a, ctx));
      const y = comparable(path.field, path.get(b, ctx));
      if (x === y) continue;
      if (x === null) return nullsFirst ? -1 : 1;
      if (y === null) return nullsFirst ? 1 : -1;
      const c = compareValues(x, y);
      return desc ? -c : c;
    }
    return 0;
  };
}

// ---------------------------------------------------------------------------------------------
// Compile and run

function compile(store: OrgStore, query: Query | Subquery): Compiled {
  const name = (query as Query).sObject ?? '';
  const def = objectDef(name);
  if (!def) {
    throw apiError(
      400,
      'INVALID_TYPE',
      `sObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }
  if (query.groupBy || query.having) throw unsupported('GROUP BY and HAVING');
  if (query.for || query.update || query.withDataCategory) throw unsupported('FOR, UPDATE and WITH DATA CATEGORY');
  if ((query.offset ?? 0) > 2000) throw apiError(400, 'NUMBER_OUTSIDE_VALID_RANGE', 'Maximum SOQL offset allowed is 2000');
  const alias = query.sObjectAlias;
  const table = store.table(def.name)!;
  const { selection, count, single } = selectionOf(store, def, query.fields ?? [], alias);
  const tree = query.where ? toTree(flatten(query.where)) : undefined;
  const compiled: Compiled = { table, count, selection };
  if (tree) {
    compiled.where = compileTree(store, def, tree, alias);
    const candidates = indexCandidates(store, table, tree, alias);
    if (candidates) compiled.candidates = candidates;
  }
  const compare = compileOrder(def, query.orderBy, alias);
  if (compare) compiled.compare = compare;
  if (query.limit !== undefined) compiled.limit = query.limit;
  if (query.offset !== undefined) compiled.offset = query.offset;
  if (single) compiled.single = single;
  return compiled;
}

function* matching(q: Compiled, ctx: Ctx, restrict?: Iterable<string>): Generator<Rec> {
  const rows = q.table.rows;
  const ids = restrict ?? q.candidates?.(ctx);
  const source = ids ? mapIds(ids, rows) : rows.values();
  for (const rec of source) {
    // query leaves out deleted and archived records; queryAll includes both.
    if ((rec.IsDeleted || rec.IsArchived === true) && !ctx.options.includeDeleted) continue;
    if (!restrict && ctx.options.filter && !ctx.options.filter(rec)) continue;
    if (q.where && !q.where(rec, ctx)) continue;
    yield rec;
  }
}

function* mapIds(ids: Iterable<string>, rows: Map<string, Rec>): Generator<Rec> {
  for (const id of ids) {
    const rec = rows.get(id);
    if (rec) yield rec;
  }
}

function select(q: Compiled, ctx: Ctx, restrict?: Iterable<string>): Rec[] {
  let recs = [...matching(q, ctx, restrict)];
  if (q.compare) {
    const compare = q.compare;
    recs.sort((a, b) => compare(a, b, ctx));
  }
  if (q.offset || q.limit !== undefined) recs = recs.slice(q.offset ?? 0, q.limit === undefined ? undefined : (q.offset ?? 0) + q.limit);
  return recs;
}

function project(selection: Selection, rec: Rec, type: string, ctx: Ctx): Row {
  const row: Row = { attributes: { type, url: `/services/data/v${ctx.options.version}/sobjects/${type}/${rec.Id}` } };
  for (const item of selection.items) {
    if (item.kind === 'field') row[item.name] = item.get(rec, type);
    else if (item.kind === 'parent') {
      const id = rec[item.ref.name];
      const found = typeof id === 'string' ? ctx.store.find(id) : undefined;
      row[item.name] = found ? project(item.selection, found.rec, found.table.def.name, ctx) : null;
    } else {
      const children = select(item.query, ctx, ctx.store.lookup(item.query.table, item.field, rec.Id) ?? []);
      row[item.name] =
        children.length === 0
          ? null
          : {
              totalSize: children.length,
              done: true,
              records: children.map((child) => project(item.query.selection, child, item.query.table.def.name, ctx)),
            };
    }
  }
  return row;
}

/** Parses and compiles SOQL, caching per store; throws ApiError 400 for bad queries. */
export class QueryEngine {
  private cache = new Map<string, Compiled>();

  constructor(private readonly store: OrgStore) {}

  compile(soql: string): Compiled {
    if (soql.length > MAX_SOQL_LENGTH) {
      throw malformed(
        `SOQL statements cannot be longer than ${MAX_SOQL_LENGTH.toLocaleString('en-US')} characters (this one has ${soql.length.toLocaleString('en-US')})`,
      );
    }
    let compiled = this.cache.get(soql);
    if (compiled) return compiled;
    let parsed: Query;
    try {
      parsed = parseQuery(soql);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const found = /but found: '([^']*)'/.exec(message);
      throw malformed(found ? `unexpected token: '${found[1] || 'end of query'}'` : (message.split('\n')[0] ?? 'unexpected token'));
    }
    compiled = compile(this.store, parsed);
    if (this.cache.size >= 500) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(soql, compiled);
    return compiled;
  }

  run(soql: string, options: RunOptions): QueryResult {
    const q = this.compile(soql);
    const ctx: Ctx = { store: this.store, now: this.store.now(), options, semiJoins: new Map() };
    if (q.count) {
      let n = 0;
      for (const _ of matching(q, ctx)) n++;
      const limited = Math.max(0, Math.min(n - (q.offset ?? 0), q.limit ?? Number.POSITIVE_INFINITY));
      return { totalSize: limited, rows: [] };
    }
    const recs = select(q, ctx);
    const type = q.table.def.name;
    return { totalSize: recs.length, rows: recs.map((rec) => project(q.selection, rec, type, ctx)) };
  }
}
