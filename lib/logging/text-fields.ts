/**
 * Fitting text into Salesforce fields: cut to the length describe reports, with a marker that
 * says something was cut, never splitting a character in two. Salesforce counts a field's
 * length in UTF-16 units, as JavaScript does, so `string.length` is the measure here.
 */

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/** The first `max` UTF-16 units of `text`, one fewer when that would cut a surrogate pair. */
export function cutAt(text: string, max: number): string {
  if (max <= 0) return '';
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  return isHighSurrogate(cut.charCodeAt(cut.length - 1)) ? cut.slice(0, -1) : cut;
}

/**
 * `text` unchanged when it fits in `max`; otherwise its beginning followed by `marker`, the
 * whole at most `max` long. The cut prefers a line or word end close to the limit, so the
 * last word kept is whole.
 */
export function fitWithMarker(text: string, max: number, marker: string): string {
  if (text.length <= max) return text;
  if (marker.length >= max) return cutAt(marker, max);
  const room = max - marker.length;
  let kept = cutAt(text, room);
  const boundary = Math.max(kept.lastIndexOf('\n'), kept.lastIndexOf(' '));
  if (boundary >= room - 200 && boundary > 0) kept = kept.slice(0, boundary);
  return `${kept.replace(/\s+$/, '')}${marker}`;
}

/** An HTML body cut to fit, closed with the marker as a paragraph of escaped text. */
export function fitHtmlWithMarker(html: string, max: number, marker: string): string {
  if (html.length <= max) return html;
  const tail = `<p>${escapeHtml(marker.trim())}</p>`;
  if (tail.length >= max) return cutAt(escapeHtml(marker.trim()), max);
  let kept = cutAt(html, max - tail.length);
  // Never leave half a tag or half an entity before the marker.
  const lastOpen = kept.lastIndexOf('<');
  if (lastOpen > kept.lastIndexOf('>')) kept = kept.slice(0, lastOpen);
  const lastAmp = kept.lastIndexOf('&');
  if (lastAmp > kept.lastIndexOf(';') && kept.length - lastAmp < 12) kept = kept.slice(0, lastAmp);
  return `${kept}${tail}`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** One line: line breaks and runs of spaces become one space (subjects, names). */
export const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
