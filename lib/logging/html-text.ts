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

const TOKEN =
  /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<![^>]*>?|<\?[^>]*>?|<\/?([a-zA-Z][a-zA-Z0-9:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>|[^<]+|</;

/**
 * Plain text of an HTML fragment. Paragraphs are separated by a blank line at most, each
 * line is trimmed, and text inside <blockquote> (the quoted reply) starts with "> ".
 */
export function htmlToText(html: string): string {
  const lines: string[] = [];
  let line = '';
  let quoteDepth = 0;
  let skipping: string | null = null;
  let preDepth = 0;
  let listDepth = 0;

  const endLine = () => {
    const text = preDepth > 0 ? line.replace(/\s+$/, '') : line.replace(/[ \t\u00a0]+/g, ' ').trim();
    lines.push(text === '' ? '' : `${'> '.repeat(quoteDepth)}${text}`);
    line = '';
  };
  const blankLine = () => {
    if (line.trim() !== '') endLine();
    if (lines.length > 0 && lines[lines.length - 1] !== '') lines.push('');
  };

  const tokens = new RegExp(TOKEN.source, 'g');
  for (let match = tokens.exec(html); match !== null; match = tokens.exec(html)) {
    const token = match[0];
    if (token === '') {
      tokens.lastIndex++;
      continue;
    }
    const tag = match[1]?.toLowerCase();
    if (!tag) {
      if (skipping || token.startsWith('<!') || token.startsWith('<?')) continue;
      const text = decodeEntities(token);
      if (preDepth > 0) {
        const parts = text.split(/\r\n|\r|\n/);
        parts.forEach((part, i) => {
          if (i > 0) endLine();
          line += part;
        });
      } else {
        line += text.replace(/[\r\n\t ]+/g, ' ');
      }
      continue;
    }
    const closing = token.startsWith('</');
    if (skipping) {
      if (closing && tag === skipping) skipping = null;
      continue;
    }
    if (SKIPPED_CONTENT.has(tag)) {
      if (!closing && !token.endsWith('/>')) skipping = tag;
      continue;
    }
    if (tag === 'br') {
      endLine();
      continue;
    }
    if (tag === 'td' || tag === 'th') {
      if (closing) line += '\t';
      continue;
    }
    if (tag === 'img' && !closing) {
      const alt = /\balt\s*=\s*("([^"]*)"|'([^']*)')/i.exec(match[2] ?? '');
      const text = alt ? decodeEntities(alt[2] ?? alt[3] ?? '').trim() : '';
      if (text) line += `[${text}]`;
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
    } else if (line.trim() !== '') {
      endLine();
    }
    // After the line ends: the text before </pre> keeps its spaces.
    if (tag === 'pre') preDepth = Math.max(0, preDepth + (closing ? -1 : 1));
    if (tag === 'li' && !closing) line += `${'  '.repeat(Math.max(0, listDepth - 1))}- `;
    if (tag === 'hr') lines.push('----');
  }
  if (line.trim() !== '') endLine();

  // At most one blank line in a row, none at the ends.
  const out: string[] = [];
  for (const l of lines.map((l) => l.replace(/\t+$/, ''))) {
    if (l === '' && (out.length === 0 || out[out.length - 1] === '')) continue;
    out.push(l);
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out.join('\n');
}
