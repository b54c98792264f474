/**
 * The shape of an email address and a domain, as the extension accepts them everywhere
 * (settings, the page bridge, the worker). Kept apart from settings.ts so that content
 * scripts can check addresses without bundling the settings schema.
 */

// Deliberately plain: the shape a person can read, not RFC 5322 in full.
const EMAIL = /^[^\s@"<>()[\],;:]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/i;
const DOMAIN = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/i;

export const isEmailAddress = (s: string) => s.length <= 254 && EMAIL.test(s);
export const isDomain = (s: string) => DOMAIN.test(s);

/** The part after the last "@", lower-cased; "" when there is none. */
export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? '' : address.slice(at + 1).toLowerCase();
}
