import { describe, expect, it } from 'vitest';
import { decodeEntities, htmlToText } from '@/lib/logging/html-text';
import { cutAt, fitHtmlWithMarker, fitWithMarker } from '@/lib/logging/text-fields';

describe('an email body as plain text', () => {
  it('keeps paragraphs and line breaks, drops tags and collapses spaces', () => {
    const html = '<div dir="ltr">Hi   Jane,<br><br>Here is the <b>quote</b>.<p>Best,<br>Rep</p></div>';
    expect(htmlToText(html)).toBe('Hi Jane,\n\nHere is the quote.\n\nBest,\nRep');
  });

  it('decodes entities, including numeric ones and ones outside the BMP', () => {
    expect(htmlToText('Fish &amp; chips &lt;3 &#x1F600; &#8364;5 &nbsp;ok')).toBe('Fish & chips <3 😀 €5 ok');
    expect(decodeEntities('&unknown; &#0; &#xD800;')).toBe('&unknown; \ufffd \ufffd');
  });

  it('never carries script, style or comments into the text', () => {
    const html = '<style>.a{color:red}</style><script>alert(1)</script><!-- hidden -->Visible<img src=x alt="logo">';
    expect(htmlToText(html)).toBe('Visible[logo]');
  });

  it('marks the quoted reply with "> " and lists with "- "', () => {
    const html = '<p>Thanks!</p><ul><li>one</li><li>two</li></ul><blockquote>On Monday you wrote:<br>Can you send it?</blockquote>';
    expect(htmlToText(html)).toBe('Thanks!\n\n- one\n- two\n\n> On Monday you wrote:\n> Can you send it?');
  });

  it('treats a stray "<" as text and survives unclosed markup', () => {
    expect(htmlToText('a < b and <b>bold')).toBe('a < b and bold');
    expect(htmlToText('<div><p>unclosed')).toBe('unclosed');
  });

  it('keeps the line structure of preformatted text', () => {
    expect(htmlToText('<pre>line 1\n  line 2</pre>')).toBe('line 1\n  line 2');
  });
});

describe('fitting text into a Salesforce field', () => {
  it('leaves text that fits alone', () => {
    expect(fitWithMarker('short', 10, ' [cut]')).toBe('short');
  });

  it('cuts a 40,000-character multi-byte body to the field length with the marker, never splitting a character', () => {
    const body = '😀日本語テキス'.repeat(5_000); // 8 UTF-16 units per repeat: 40,000 units
    expect(body.length).toBe(40_000);
    const marker = '\n\n[… the rest was cut to fit Salesforce]';
    const fitted = fitWithMarker(body, 32_000, marker);
    expect(fitted.length).toBeLessThanOrEqual(32_000);
    expect(fitted.endsWith(marker)).toBe(true);
    const kept = fitted.slice(0, -marker.length);
    // Every emoji is whole: no lone surrogate anywhere.
    expect(kept).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    expect(body.startsWith(kept)).toBe(true);
  });

  it('drops a high surrogate rather than cut an emoji in half', () => {
    expect(cutAt('ab😀', 3)).toBe('ab');
    expect(cutAt('ab😀', 4)).toBe('ab😀');
  });

  it('prefers to cut at a word boundary near the limit', () => {
    expect(fitWithMarker('alpha beta gamma delta', 16, '…')).toBe('alpha beta…');
  });

  it('closes a cut HTML body without half a tag, with the marker as escaped text', () => {
    const html = `<p>${'x'.repeat(50)}</p><p><a href="https://example.com">link</a></p>`;
    const fitted = fitHtmlWithMarker(html, 70, '[cut <here>]');
    expect(fitted.length).toBeLessThanOrEqual(70);
    expect(fitted.endsWith('<p>[cut &#60;here&#62;]</p>')).toBe(true);
    expect(fitted).not.toMatch(/<[^>]*<p>\[cut/);
  });
});
