/**
 * SOQL string literals (salesforce.md, "SOQL safety"). Every value pasted into a query goes
 * through `soqlQuote`: an email address like o'brien@example.com is ordinary user input.
 */

// The escape sequences SOQL knows inside a quoted string.
const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/** The value as a quoted SOQL string literal, e.g. o'brien -> 'o\'brien'. */
export function soqlQuote(value: string): string {
  return `'${value.replace(/[\\'"\n\r\t\b\f]/g, (c) => ESCAPES[c] ?? c)}'`;
}

const RECORD_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/** A record id as a SOQL literal; anything that is not an id is refused rather than escaped. */
export function soqlId(id: string): string {
  if (!RECORD_ID.test(id)) throw new Error(`not a Salesforce id: ${id.slice(0, 40)}`);
  return `'${id}'`;
}

/**
 * A SOQL dateTime literal (unquoted, UTC) for an instant or a Salesforce timestamp
 * (2024-05-01T09:30:00.000+0000). Whole seconds are written as Salesforce documents them
 * (2024-05-01T09:30:00Z); a fraction is kept only when there is one.
 */
export function soqlDateTime(instant: number | string): string {
  const ms = typeof instant === 'number' ? instant : Date.parse(instant.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  if (!Number.isFinite(ms)) throw new Error(`not a date-time: ${String(instant).slice(0, 40)}`);
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

// SOSL's reserved characters: ? & | ! { } [ ] ( ) ^ ~ * : \ " ' + -
const SOSL_RESERVED = /[?&|!{}[\]()^~*:\\"'+-]/g;

/**
 * A SOSL search term in braces, for `FIND {…}`: reserved characters escaped, cut to 100
 * characters; null when fewer than two searchable characters are left (SOSL refuses those).
 * With `prefix`, the last word also matches longer words (search as you type).
 */
export function soslTerm(text: string, options: { prefix?: boolean } = {}): string | null {
  const plain = text.replace(/\s+/g, ' ').trim().slice(0, 100);
  if (plain.replace(/[\s?&|!{}[\]()^~*:\\"'+-]/g, '').length < 2) return null;
  const escaped = plain.replace(SOSL_RESERVED, (c) => `\\${c}`);
  return `{${escaped}${options.prefix && /[\p{L}\p{N}]$/u.test(plain) ? '*' : ''}}`;
}
