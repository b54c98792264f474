import { describe, expect, it } from 'vitest';
import { soqlQuote } from '@/lib/salesforce/soql';

describe('SOQL string literals', () => {
  it.each([
    ['ken@example.com', "'ken@example.com'"],
    ["o'brien@example.com", "'o\\'brien@example.com'"],
    ['a\\b', "'a\\\\b'"],
    ["x' OR Name != '", "'x\\' OR Name != \\''"],
    ['line\nbreak\ttab"quote', "'line\\nbreak\\ttab\\\"quote'"],
    ['日本語', "'日本語'"],
  ])('quotes %j', (value, literal) => {
    expect(soqlQuote(value)).toBe(literal);
  });

  it('never lets a value close the literal', () => {
    for (const value of ["'", "\\'", "\\\\'", "a'b'c", '\\']) {
      const inner = soqlQuote(value).slice(1, -1);
      // Every quote inside is preceded by an odd number of backslashes.
      for (const match of inner.matchAll(/(\\*)'/g)) expect((match[1] ?? '').length % 2).toBe(1);
      expect(inner.endsWith('\\') && !inner.endsWith('\\\\')).toBe(false);
    }
  });
});
