import { describe, expect, it } from 'vitest';
import { base64url, challengeOf, createPkcePair, randomToken } from '@/lib/salesforce/pkce';

describe('PKCE', () => {
  it('derives the RFC 7636 appendix B challenge from its verifier', async () => {
    const pair = await createPkcePair('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk');
    expect(pair.challenge).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('encodes the RFC 7636 appendix B octets as its verifier', () => {
    const octets = [
      116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83,
      132, 141, 121,
    ];
    expect(base64url(new Uint8Array(octets))).toBe('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk');
  });

  it('makes a fresh 43-character verifier each time, and its matching challenge', async () => {
    const a = await createPkcePair();
    const b = await createPkcePair();
    expect(a.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.verifier).not.toBe(b.verifier);
    expect(a.challenge).toBe(await challengeOf(a.verifier));
  });

  it('refuses a verifier RFC 7636 does not allow', async () => {
    await expect(createPkcePair('short')).rejects.toThrow(RangeError);
    await expect(createPkcePair(`${'a'.repeat(42)}+`)).rejects.toThrow(RangeError);
  });

  it('makes unguessable state values', () => {
    const values = new Set(Array.from({ length: 50 }, () => randomToken(16)));
    expect(values.size).toBe(50);
    for (const v of values) expect(v).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});
