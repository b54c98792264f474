/**
 * What Outlook on the web has open in its reading pane or pop-out window, from the page's URL
 * (docs/outlook.md "The open item"): `/mail/<folder>/id/<id>` (also `/mail/0/<folder>/id/…` on
 * outlook.live.com), with `/sxs/<ItemId>` after it when one message of a conversation is shown
 * beside the list, and `/mail/deeplink/read/<ItemId>` (or `?ItemID=`) in a pop-out. The id is
 * URL-encoded and is a ConversationId or an ItemId; which one is not decided here: the caller
 * matches it against both ids of the messages the page loaded.
 *
 * Pure and total: any input gives a list (empty when nothing is open) and never throws; the
 * work is linear in the input, which is cut to a bound first.
 */
import { SEND_LIMITS } from '../detected-send';

/** Longer than any OWA URL with an id in it; a longer one is not read. */
const MAX_URL_LENGTH = 8_000;
const MAX_SEGMENTS = 40;
/** Exchange ids are base64: the EWS form with `+` and `/`, the REST form with `-` and `_`. */
const ID = /^[A-Za-z0-9+/_-]+={0,2}$/;

/** One id in one form, so that the URL's REST-style id and the EWS id of the same item compare equal. */
export function owaIdKey(id: string): string {
  return id.replace(/-/g, '+').replace(/_/g, '/');
}

function idOf(segment: string | null | undefined): string | null {
  if (!segment) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    return null;
  }
  return decoded.length >= 8 && decoded.length <= SEND_LIMITS.idLength && ID.test(decoded) ? owaIdKey(decoded) : null;
}

/** The ids (in owaIdKey form) of what the URL has open: none, the conversation or item, and the item shown beside it. */
export function openOwaIds(url: unknown): string[] {
  if (typeof url !== 'string' || url.length > MAX_URL_LENGTH) return [];
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [];
  }
  const segments = parsed.pathname.split('/', MAX_SEGMENTS);
  if (segments[1] !== 'mail') return [];
  const out: string[] = [];
  const add = (id: string | null) => id && !out.includes(id) && out.push(id);
  for (let i = 2; i < segments.length - 1; i++) {
    const name = segments[i];
    if (name === 'id' || name === 'sxs' || (name === 'read' && segments[i - 1] === 'deeplink')) add(idOf(segments[i + 1]));
  }
  if (segments.includes('deeplink')) add(idOf(parsed.searchParams.get('ItemID')));
  return out;
}
