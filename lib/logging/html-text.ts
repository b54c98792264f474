/**
 * An email's HTML body as plain text, for Task.Description and EmailMessage.TextBody. The
 * service worker has no DOMParser, and the HTML comes from a web page, so this is a small
 * tokenizer that only ever produces text: tags are dropped, block ends become line breaks,
 * quoted replies are prefixed with "> ", entities are decoded. Nothing here is ever rendered.
 */

const BLOCK_TAGS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'dd',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'tr',
  'ul',
]);

/** Elements whose content is not part of the message text. */
const SKIPPED_CONTENT = new Set(['script', 'style', 'head', 'title', 'template', 'noscript', 'svg', 'object']);

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  ensp: '\u2002',
  emsp: '\u2003',
  thinsp: '\u2009',
  zwnj: '\u200c',
  zwj: '\u200d',
  ndash: '\u2013',
  mdash: '\u2014',
  lsquo: '\u2018',
  rsquo: '\u2019',
  sbquo: '\u201a',
  ldquo: '\u201c',
  rdquo: '\u201d',
  bdquo: '\u201e',
  hellip: '\u2026',
  bull: '\u2022',
  middot: '\u00b7',
  copy: '\u00a9',
  reg: '\u00ae',
  trade: '\u2122',
  euro: '\u20ac',
  pound: '\u00a3',
  yen: '\u00a5',
  cent: '\u00a2',
  sect: '\u00a7',
  para: '\u00b6',
  deg: '\u00b0',
  times: '\u00d7',
  divide: '\u00f7',
  laquo: '\u00ab',
  raquo: '\u00bb',
  iexcl: '\u00a1',
  iquest: '\u00bf',
  shy: '',
};

/** Decodes character references; an unknown or invalid one stays as written. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z][a-zA-Z0-9]{1,31});?/g, (whole, body: string) => {
    if (body.startsWith('#')) {
      const code = body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10);
      // Surrogates, NUL and values past Unicode are not characters.
      if (!Number.isFinite(code) || code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd';
      return String.fromCodePoint(code);
    }
    const named = NAMED_ENTITIES[body] ?? NAMED_ENTITIES[body.toLowerCase()];
    return named ?? whole;
  });
}

/**
 * The longest body read: a body is cut to this many characters before it is converted. Salesforce
 * keeps 32,000 characters of text at most (docs/exactly-once.md), and a cap keeps the cost of one
 * email bounded whatever it holds.
 */
export const MAX_HTML_LENGTH = 4_000_000;
/** Quote and list nesting deeper than this is shown at this depth (each level costs every line). */
const MAX_NESTING_SHOWN = 8;

type Token =
  | { kind: 'text'; text: string }
  | { kind: 'skip' }
  | { kind: 'tag'; name: string; closing: boolean; selfClosing: boolean; alt: string | null };

const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isNameChar = (c: number) => isLetter(c) || (c >= 48 && c <= 57) || c === 58 || c === 45;
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 12 || c === 13;

/**
 * Reads one tag starting at `start` (a "<" followed by a letter, or "</" and a letter), the way
 * the HTML tokenizer does: attribute values may be quoted, and a ">" inside quotes does not end
 * the tag. Each character is looked at once. A tag still open at the end of the input is dropped
 * with what follows, as a browser does (the rep never saw that text either).
 */
function readTag(html: string, start: number): { token: Token; end: number } {
  const length = html.length;
  const closing = html.charCodeAt(start + 1) === 47;
  let i = start + (closing ? 2 : 1);
  const nameStart = i;
  while (i < length && isNameChar(html.charCodeAt(i))) i++;
  const name = html.slice(nameStart, i).toLowerCase();
  let alt: string | null = null;
  let selfClosing = false;
  while (i < length) {
    const c = html.charCodeAt(i);
    if (c === 62) return { token: { kind: 'tag', name, closing, selfClosing, alt }, end: i + 1 };
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === 47) {
      selfClosing = true;
      i++;
      continue;
    }
    selfClosing = false;
    // An attribute: its name up to "=", a space, "/" or ">"; then maybe a value.
    const attrStart = i;
    while (i < length) {
      const a = html.charCodeAt(i);
      if (a === 61 || a === 62 || a === 47 || isSpace(a)) break;
      i++;
    }
    if (i === attrStart) i++;
    const attrName = html.slice(attrStart, i);
    let j = i;
    while (j < length && isSpace(html.charCodeAt(j))) j++;
    if (html.charCodeAt(j) !== 61) continue;
    j++;
    while (j < length && isSpace(html.charCodeAt(j))) j++;
    const q = html.charCodeAt(j);
    let value: string;
    if (q === 34 || q === 39) {
      const close = html.indexOf(q === 34 ? '"' : "'", j + 1);
      if (close < 0) return { token: { kind: 'skip' }, end: length };
      value = html.slice(j + 1, close);
      i = close + 1;
    } else {
      const valueStart = j;
      while (j < length && !isSpace(html.charCodeAt(j)) && html.charCodeAt(j) !== 62) j++;
      value = html.slice(valueStart, j);
      i = j;
    }
    if (name === 'img' && attrName.toLowerCase() === 'alt') alt = value;
  }
  return { token: { kind: 'skip' }, end: length };
}

/** The token at `start` and where the next one begins. Linear over the whole input. */
function readToken(html: string, start: number): { token: Token; end: number } {
  const length = html.length;
  if (html.charCodeAt(start) !== 60) {
    const next = html.indexOf('<', start);
    const end = next < 0 ? length : next;
    return { token: { kind: 'text', text: html.slice(start, end) }, end };
  }
  const after = (marker: string, from: number) => {
    const at = html.indexOf(marker, from);
    return at < 0 ? length : at + marker.length;
  };
  if (html.startsWith('<!--', start)) return { token: { kind: 'skip' }, end: after('-->', start + 4) };
  if (html.startsWith('<![CDATA[', start)) return { token: { kind: 'skip' }, end: after(']]>', start + 9) };
  const next = html.charCodeAt(start + 1);
  if (next === 33 || next === 63) return { token: { kind: 'skip' }, end: after('>', start + 2) };
  if (isLetter(next) || (next === 47 && isLetter(html.charCodeAt(start + 2)))) return readTag(html, start);
  // A "<" that opens nothing is text.
  return { token: { kind: 'text', text: '<' }, end: start + 1 };
}

/** The text without trailing tabs (a loop: a regex anchored at the end is quadratic on a long run). */
function withoutTrailingTabs(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 9) end--;
  return end === text.length ? text : text.slice(0, end);
}

/**
 * Plain text of an HTML fragment. Paragraphs are separated by a blank line at most, each
 * line is trimmed, and text inside <blockquote> (the quoted reply) starts with "> ".
 * Linear in the length of the input, which is first cut to MAX_HTML_LENGTH.
 */
export function htmlToText(input: string): string {
  const html = input.length > MAX_HTML_LENGTH ? input.slice(0, MAX_HTML_LENGTH) : input;
  const lines: string[] = [];
  // The current line as pieces, joined once when it ends (no rescanning of a growing string).
  let pieces: string[] = [];
  let lineHasText = false;
  let quoteDepth = 0;
  let skipping: string | null = null;
  let preDepth = 0;
  let listDepth = 0;

  const add = (piece: string) => {
    if (piece === '') return;
    pieces.push(piece);
    if (!lineHasText && piece.trim() !== '') lineHasText = true;
  };
  const endLine = () => {
    const line = pieces.join('');
    const text = preDepth > 0 ? line.trimEnd() : line.replace(/[ \t\u00a0]+/g, ' ').trim();
    lines.push(text === '' ? '' : `${'> '.repeat(Math.min(quoteDepth, MAX_NESTING_SHOWN))}${text}`);
    pieces = [];
    lineHasText = false;
  };
  const blankLine = () => {
    if (lineHasText) endLine();
    if (lines.length > 0 && lines[lines.length - 1] !== '') lines.push('');
  };

  for (let at = 0; at < html.length; ) {
    const { token, end } = readToken(html, at);
    at = end;
    if (token.kind === 'skip') continue;
    if (token.kind === 'text') {
      if (skipping) continue;
      const text = decodeEntities(token.text);
      if (preDepth > 0) {
        const parts = text.split(/\r\n|\r|\n/);
        parts.forEach((part, i) => {
          if (i > 0) endLine();
          add(part);
        });
      } else {
        add(text.replace(/[\r\n\t ]+/g, ' '));
      }
      continue;
    }
    const { name: tag, closing } = token;
    if (skipping) {
      if (closing && tag === skipping) skipping = null;
      continue;
    }
    if (SKIPPED_CONTENT.has(tag)) {
      if (!closing && !token.selfClosing) skipping = tag;
      continue;
    }
    if (tag === 'br') {
      endLine();
      continue;
    }
    if (tag === 'td' || tag === 'th') {
      if (closing) add('\t');
      continue;
    }
    if (tag === 'img' && !closing) {
      const text = token.alt ? decodeEntities(token.alt).trim() : '';
      if (text) add(`[${text}]`);
      continue;
    }
    if (!BLOCK_TAGS.has(tag)) continue;
    if (tag === 'blockquote') {
      blankLine();
      quoteDepth = Math.max(0, quoteDepth + (closing ? -1 : 1));
      continue;
    }
    if (tag === 'ul' || tag === 'ol') listDepth = Math.max(0, listDepth + (closing ? -1 : 1));
    if (tag === 'p' || /^h[1-6]$/.test(tag) || tag === 'table' || ((tag === 'ul' || tag === 'ol') && listDepth === 0)) {
      blankLine();
    } else if (lineHasText) {
      endLine();
    }
    // After the line ends: the text before </pre> keeps its spaces.
    if (tag === 'pre') preDepth = Math.max(0, preDepth + (closing ? -1 : 1));
    if (tag === 'li' && !closing) add(`${'  '.repeat(Math.min(Math.max(0, listDepth - 1), MAX_NESTING_SHOWN))}- `);
    if (tag === 'hr') lines.push('----');
  }
  if (lineHasText) endLine();

  // At most one blank line in a row, none at the ends.
  const out: string[] = [];
  for (const l of lines.map(withoutTrailingTabs)) {
    if (l === '' && (out.length === 0 || out[out.length - 1] === '')) continue;
    out.push(l);
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out.join('\n');
}
