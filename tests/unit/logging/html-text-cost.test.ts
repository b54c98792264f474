/**
 * HTML to text costs what the length of the body costs, whatever the body holds: a hostile
 * body (unclosed tags, unclosed quotes, deep nesting, long runs of blanks) is converted in about
 * the time an ordinary body of the same size takes, and a huge body is cut before it is read.
 */
import { describe, expect, it } from 'vitest';
import { htmlToText, MAX_HTML_LENGTH } from '@/lib/logging/html-text';

const SIZE = 200_000;
const fill = (unit: string, size = SIZE) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);

/** An ordinary email body: paragraphs, links, a quoted reply. */
const ordinaryBody = (size = SIZE) =>
  fill(
    '<p>Hello <b>Jane</b>, here is the <a href="https://example.com/q?id=1">quote</a> &amp; terms.</p><blockquote>On Monday you wrote: <br>Can you send it?</blockquote>',
    size,
  );

/** Bodies made to be slow for a naive tokenizer, each about `size` characters. */
const hostileBodies = (size = SIZE): Record<string, string> => ({
  unclosedTags: fill('<a', size),
  unclosedTagsWithText: `text ${fill('<b and more ', size)}`,
  quotedGreaterThan: fill('<a x=">" ', size),
  unclosedQuotes: fill('<img alt="', size),
  manyAltAttributes: `<img ${fill('alt="x ', size)}>`,
  deepQuotes: `${fill('<blockquote>', size / 2)}${fill('<br>x', size / 2)}`,
  blanksBetweenBlocks: fill(' <div>', size),
  preformattedBlanks: `<pre>${fill(' ', size - 20)}x\n</pre>`,
  tableCells: `${fill('</td>', size)}x`,
  comments: fill('<!--', size),
});

function costMs(body: string, runs = 3): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    htmlToText(body);
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

describe('the cost of HTML to text', () => {
  it('converts each 200 KB hostile body in about the time of an ordinary 200 KB body', () => {
    const ordinary = Math.max(costMs(ordinaryBody()), 1);
    for (const [name, body] of Object.entries(hostileBodies())) {
      const cost = costMs(body);
      // Generous against a busy machine: the quadratic version took minutes here.
      expect({ name, ratio: cost / ordinary < 8 || cost < 50 }).toEqual({ name, ratio: true });
    }
  });

  it('reads a body only up to its cap', () => {
    const huge = `${'<p>x</p>'.repeat(MAX_HTML_LENGTH / 8)}<p>past the cap</p>`;
    expect(htmlToText(huge)).not.toContain('past the cap');
  });

  it('keeps what a browser shows of broken markup', () => {
    expect(htmlToText('<p>kept</p><a href="https://x.example>lost')).toBe('kept');
    expect(htmlToText('<div title="a>b">inside</div>')).toBe('inside');
    expect(htmlToText('<img src=x alt=\'a "quoted" logo\'>')).toBe('[a "quoted" logo]');
    expect(htmlToText(`${'<blockquote>'.repeat(50)}deep`)).toBe(`${'> '.repeat(8)}deep`);
  });
});
