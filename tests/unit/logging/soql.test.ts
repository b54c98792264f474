import { describe, expect, it } from 'vitest';
import {
  accountsByWebsite,
  contactsByEmail,
  leadsByEmail,
  soqlLikeContains,
  splitInList,
  tasksBySubject,
} from '@/lib/logging/soql-lookups';

const fields = { lastActivity: true };

describe('SOQL built from hostile addresses', () => {
  it("escapes a quote in an address (o'brien is a valid address)", () => {
    const [soql] = contactsByEmail(["a'b@x.com"], fields);
    expect(soql).toContain("Email IN ('a\\'b@x.com')");
  });

  it('escapes backslashes before anything else, so a trailing backslash cannot end the literal', () => {
    const [soql] = leadsByEmail(["a\\'); DELETE@x.com", 'b\\@x.com'], fields);
    expect(soql).toContain("'a\\\\\\'); delete@x.com'");
    expect(soql).toContain("'b\\\\@x.com'");
    expect(soql).toMatch(/IsConverted = false AND Email IN \(/);
  });

  it('escapes % and _ in LIKE patterns, and quotes and backslashes too', () => {
    expect(soqlLikeContains('100%_off.com')).toBe("'%100\\%\\_off.com%'");
    expect(soqlLikeContains("o'neil\\co")).toBe("'%o\\'neil\\\\co%'");
    const [soql] = accountsByWebsite(['my_co.com', 'x%y.io']);
    expect(soql).toBe(
      "SELECT Id, Name, Website FROM Account WHERE Website LIKE '%my\\_co.com%' OR Website LIKE '%x\\%y.io%' ORDER BY CreatedDate ASC",
    );
  });

  it('lower-cases and de-duplicates addresses (Email compares case-insensitively)', () => {
    const [soql] = contactsByEmail(['Jane@X.com', 'jane@x.com'], { lastActivity: false });
    expect(soql).toBe("SELECT Id, Name, Email, CreatedDate, LastModifiedDate, AccountId FROM Contact WHERE Email IN ('jane@x.com')");
  });

  it('escapes subjects in the check for a lost write', () => {
    const [soql] = tasksBySubject(["Email: it's \\ done"], '005000000000001AAA', '2026-11-27T09:00:00Z');
    expect(soql).toContain("Subject IN ('Email: it\\'s \\\\ done')");
    expect(soql).toContain("CreatedById = '005000000000001AAA' AND CreatedDate >= 2026-11-27T09:00:00Z");
  });
});

describe('statement length limits', () => {
  it('splits a long IN list so that no statement passes the limit, losing no value', () => {
    const emails = Array.from({ length: 3_000 }, (_, i) => `person.${i}.${'x'.repeat(40)}@example-company-${i}.com`);
    const statements = contactsByEmail(emails, fields);
    expect(statements.length).toBeGreaterThan(1);
    for (const s of statements) expect(s.length).toBeLessThanOrEqual(100_000);
    const found = statements.flatMap((s) => [...s.matchAll(/'([^']+)'/g)].map((m) => m[1]));
    expect(new Set(found)).toEqual(new Set(emails));
  });

  it('splits at any limit given, each statement whole', () => {
    const statements = splitInList('SELECT Id FROM Contact WHERE Email IN (', ["'a@x.com'", "'b@x.com'", "'c@x.com'"], ')', 60);
    expect(statements).toEqual([
      "SELECT Id FROM Contact WHERE Email IN ('a@x.com', 'b@x.com')",
      "SELECT Id FROM Contact WHERE Email IN ('c@x.com')",
    ]);
  });
});
