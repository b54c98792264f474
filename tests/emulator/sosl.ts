/**
 * SOSL, for looking people up by name or address:
 *   FIND {term} [IN ALL|NAME|EMAIL|PHONE FIELDS] [RETURNING Object[(fields [WHERE ...] [ORDER BY ...] [LIMIT n])], ...] [LIMIT n]
 * Each RETURNING item runs as SOQL with the search match as an extra filter. Words match at
 * word starts (with * as a trailing wildcard); Japanese and other scripts without spaces
 * between words match anywhere, as Salesforce's CJK search does.
 */
import { apiError } from './errors';
import { OBJECTS, type ObjectDef, objectDef, type Rec } from './objects';
import type { QueryEngine, Row } from './soql';

const malformed = (message: string) => apiError(400, 'MALFORMED_SEARCH', message);
const TEXT_TYPES = new Set(['string', 'textarea', 'email', 'phone', 'url', 'picklist', 'combobox']);

type Scope = 'all' | 'name' | 'email' | 'phone';

interface Returning {
  def: ObjectDef;
  soql: string;
}

interface ParsedSearch {
  term: string;
  scope: Scope;
  returning: Returning[];
  limit: number;
}

/** Reads `{...}` honouring backslash escapes of reserved characters. */
function readTerm(text: string, start: number): { term: string; end: number } {
  let term = '';
  for (let i = start; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) {
      term += text[++i];
      continue;
    }
    if (c === '}') return { term, end: i + 1 };
    term += c;
  }
  throw malformed('Missing closing } in search term');
}

/** Splits at top-level commas (not inside parentheses or quotes). */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && quoted) {
      current += c + (text[++i] ?? '');
      continue;
    }
    if (c === "'") quoted = !quoted;
    if (!quoted && c === '(') depth++;
    if (!quoted && c === ')') depth--;
    if (!quoted && depth === 0 && c === ',') {
      parts.push(current.trim());
      current = '';
    } else current += c;
  }
  if (current.trim()) parts.push(current.trim());
  return parts;
}

function parseReturning(spec: string): Returning {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)\s*(?:\(([\s\S]*)\))?$/.exec(spec);
  if (!match) throw malformed(`unexpected token in RETURNING: ${spec}`);
  const def = objectDef(match[1]!);
  if (!def?.searchable) throw apiError(400, 'INVALID_TYPE', `sObject type '${match[1]}' is not supported.`);
  const inner = (match[2] ?? '').trim();
  const clause = /\s(WHERE|ORDER\s+BY|LIMIT|OFFSET)\s/i.exec(` ${inner} `);
  const fields = (clause ? ` ${inner} `.slice(0, clause.index) : inner).trim() || 'Id';
  const rest = clause ? ` ${inner} `.slice(clause.index).trim() : '';
  return { def, soql: `SELECT ${fields} FROM ${def.name} ${rest}`.trim() };
}

export function parseSearch(sosl: string): ParsedSearch {
  const text = sosl.trim();
  const find = /^FIND\s*\{/i.exec(text);
  if (!find) throw malformed('unexpected token: expected FIND {term}');
  const { term, end } = readTerm(text, find[0].length);
  let rest = text.slice(end).trim();
  let scope: Scope = 'all';
  const inMatch = /^IN\s+(ALL|NAME|EMAIL|PHONE)\s+FIELDS\b/i.exec(rest);
  if (inMatch) {
    scope = inMatch[1]!.toLowerCase() as Scope;
    rest = rest.slice(inMatch[0].length).trim();
  }
  let limit = 2000;
  let returning: Returning[] = [];
  const retMatch = /^RETURNING\s+/i.exec(rest);
  // A LIMIT after the last object's parentheses limits the whole search, not that object.
  const takeLimit = (text: string) => {
    const m = /(?:^|\s)LIMIT\s+(\d+)\s*$/i.exec(text);
    if (!m || m.index < text.lastIndexOf(')')) return text;
    limit = Number(m[1]);
    return text.slice(0, m.index);
  };
  if (retMatch) {
    returning = splitTopLevel(takeLimit(rest.slice(retMatch[0].length))).map(parseReturning);
  } else if (takeLimit(rest).trim() !== '') {
    throw malformed(`unexpected token: ${rest.split(/\s+/)[0]}`);
  }
  if (returning.length === 0) {
    returning = [...OBJECTS.values()].filter((d) => d.searchable).map((def) => ({ def, soql: `SELECT Id FROM ${def.name}` }));
  }
  return { term, scope, returning, limit };
}

/** term -> OR of groups, each an AND of word matchers. */
function compileTerm(term: string): (text: string) => boolean {
  const tokens = term.match(/"[^"]*"|\S+/g) ?? [];
  const groups: RegExp[][] = [[]];
  for (const token of tokens) {
    if (token.toUpperCase() === 'OR') {
      groups.push([]);
      continue;
    }
    if (token.toUpperCase() === 'AND' || token.toUpperCase() === 'AND NOT') continue;
    const phrase = token.replace(/^"|"$/g, '');
    const wildcard = phrase.endsWith('*');
    const core = phrase.replace(/[*?]+$/, '');
    if (!core) continue;
    const escaped = core.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
    // Scripts without spaces between words (Japanese, Chinese) have no word starts to anchor on.
    const spaced = /^[\p{Script=Latin}\p{N}\p{P}\s]+$/u.test(core);
    const source = spaced ? `(?:^|[^\\p{L}\\p{N}])${escaped}${wildcard ? '' : '(?=$|[^\\p{L}\\p{N}])'}` : escaped;
    groups.at(-1)!.push(new RegExp(source, 'iu'));
  }
  const live = groups.filter((g) => g.length > 0);
  return (text) => live.some((group) => group.every((re) => re.test(text)));
}

export function runSearch(engine: QueryEngine, sosl: string, version: string): Row[] {
  const parsed = parseSearch(sosl);
  if (parsed.term.replace(/[\s*?"]/g, '').length < 2) {
    throw apiError(400, 'INVALID_SEARCH', `search term must be longer than one character: ${parsed.term}`);
  }
  const matches = compileTerm(parsed.term);
  const rows: Row[] = [];
  for (const { def, soql } of parsed.returning) {
    const fields = def.fields.filter((f) => (parsed.scope === 'all' ? TEXT_TYPES.has(f.type) : f.searchGroup === parsed.scope));
    if (fields.length === 0) continue;
    const filter = (rec: Rec) => matches(fields.map((f) => rec[f.name] ?? '').join('\n'));
    const result = engine.run(soql, { includeDeleted: false, version, filter });
    for (const row of result.rows) {
      if (rows.length >= parsed.limit) return rows;
      rows.push(row);
    }
  }
  return rows;
}
