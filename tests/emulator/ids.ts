/**
 * Salesforce record ids: a 3-character key prefix naming the object, 12 more characters, and
 * (for the 18-character form every API answers with) a 3-character suffix that makes the id
 * unambiguous when compared case-insensitively.
 */

const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[A-Z0-5]{3})?$/;

/** The checksum suffix: one character per 5-character chunk, one bit per upper-case letter. */
export function idSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET[bits];
  }
  return suffix;
}

/** The 18-character form of a 15- or 18-character id, or null when it is not an id at all. */
export function toId18(id: string): string | null {
  if (!ID_PATTERN.test(id)) return null;
  const id15 = id.slice(0, 15);
  const full = id15 + idSuffix(id15);
  // An 18-character id whose suffix does not match its first 15 characters is malformed.
  if (id.length === 18 && id.toUpperCase() !== full.toUpperCase()) return null;
  return full;
}

/** Makes the n-th id of an object: prefix, a fixed pod "5g", a reserved "0", then base-62 n. */
export function makeId(keyPrefix: string, n: number): string {
  let digits = '';
  let rest = n;
  do {
    digits = BASE62[rest % 62] + digits;
    rest = Math.floor(rest / 62);
  } while (rest > 0);
  const id15 = `${keyPrefix}5g0${digits.padStart(9, '0')}`;
  return id15 + idSuffix(id15);
}
