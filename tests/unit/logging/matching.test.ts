import { describe, expect, it } from 'vitest';
import { isFresh } from '@/lib/logging/lookups';
import {
  chooseRecords,
  companyFromDomain,
  type MatchPolicy,
  matchEmail,
  namesFor,
  type PersonRecord,
  recipientsToMatch,
} from '@/lib/logging/matching';
import { taskGroups, whatIdsFor } from '@/lib/logging/related';

const contact = (id: string, created: string, active?: string, accountId: string | null = '001A'): PersonRecord => ({
  id,
  type: 'Contact',
  createdDate: created,
  ...(active ? { lastActivity: active } : {}),
  accountId,
});
const lead = (id: string, created: string): PersonRecord => ({ id, type: 'Lead', createdDate: created });

const policy = (p: Partial<MatchPolicy> = {}): MatchPolicy => ({
  logToContacts: true,
  logToLeads: true,
  multipleMatches: 'all',
  noMatch: 'unresolved',
  ...p,
});

describe('several records for one address', () => {
  const records = [contact('003B', '2024-03-01', '2026-11-01'), contact('003A', '2023-01-01', '2025-01-01'), contact('003C', '2025-06-01')];

  it('logs to all of them, oldest first', () => {
    expect(chooseRecords(records, policy()).map((r) => r.id)).toEqual(['003A', '003B', '003C']);
  });

  it('logs to the oldest', () => {
    expect(chooseRecords(records, policy({ multipleMatches: 'oldest' })).map((r) => r.id)).toEqual(['003A']);
  });

  it('logs to the most recently active; a record never active counts as least active', () => {
    expect(chooseRecords(records, policy({ multipleMatches: 'mostRecentlyActive' })).map((r) => r.id)).toEqual(['003B']);
  });

  it('prefers contacts over a lead with the same address, and uses leads only when allowed', () => {
    const mixed = [lead('00QA', '2020-01-01'), contact('003A', '2023-01-01')];
    expect(chooseRecords(mixed, policy()).map((r) => r.id)).toEqual(['003A']);
    expect(chooseRecords(mixed, policy({ logToContacts: false })).map((r) => r.id)).toEqual(['00QA']);
    expect(chooseRecords(mixed, policy({ logToLeads: false, logToContacts: false }))).toEqual([]);
    expect(chooseRecords([lead('00QA', '2020-01-01')], policy({ logToLeads: false }))).toEqual([]);
  });
});

describe('an email with no match', () => {
  const recipients = [{ email: 'new.person@prospect.io', name: 'New Person', role: 'to' as const }];
  const none = () => [];

  it('is unresolved for the rep to assign', () => {
    expect(matchEmail(recipients, none, policy())).toMatchObject({ kind: 'unresolved', unresolved: ['new.person@prospect.io'] });
  });

  it('is not logged with "don\'t log"', () => {
    expect(matchEmail(recipients, none, policy({ noMatch: 'skip' })).kind).toBe('noMatch');
  });

  it('creates a lead named from the display name, with the company from the domain', () => {
    const match = matchEmail(recipients, none, policy({ noMatch: 'createLead' }));
    expect(match).toMatchObject({
      kind: 'log',
      people: [],
      newLeads: [{ email: 'new.person@prospect.io', firstName: 'New', lastName: 'Person', company: 'Prospect' }],
    });
  });

  it('names the company after an Account found for the domain', () => {
    const match = matchEmail(recipients, none, policy({ noMatch: 'createLead' }), new Map([['prospect.io', 'Prospect Industries KK']]));
    expect(match.kind === 'log' && match.newLeads[0]?.company).toBe('Prospect Industries KK');
  });

  it('cannot create a lead when leads are not logged to', () => {
    expect(matchEmail(recipients, none, policy({ noMatch: 'createLead', logToLeads: false })).kind).toBe('noMatch');
  });

  it('logs to the matched recipients and notes the others', () => {
    const two = [...recipients, { email: 'known@customer.com', role: 'cc' as const }];
    const match = matchEmail(two, (e) => (e === 'known@customer.com' ? [contact('003A', '2020-01-01')] : []), policy());
    expect(match).toMatchObject({ kind: 'log', people: [{ id: '003A' }], unresolved: ['new.person@prospect.io'] });
  });
});

describe('names and companies for new leads', () => {
  it.each([
    [
      { email: 'jane@x.com', name: 'Jane Q. Doe' },
      { firstName: 'Jane Q.', lastName: 'Doe' },
    ],
    [
      { email: 'jane@x.com', name: 'Doe, Jane' },
      { firstName: 'Jane', lastName: 'Doe' },
    ],
    [{ email: 'jane.doe+news@x.com' }, { firstName: 'Jane', lastName: 'Doe' }],
    [{ email: 'sales@x.com', name: 'sales@x.com' }, { lastName: 'Sales' }],
    [
      { email: '山田太郎@x.jp', name: '山田 太郎' },
      { firstName: '山田', lastName: '太郎' },
    ],
  ])('%o -> %o', (address, names) => {
    expect(namesFor(address)).toEqual(names);
  });

  it.each([
    ['acme.com', 'Acme'],
    ['mail.acme-corp.co.uk', 'Acme Corp'],
    ['www.example.co.jp', 'Example'],
    ['gmail.com', 'gmail.com'],
    ['eu.big-bank.com.au', 'Big Bank'],
  ])('%s -> %s', (domain, company) => {
    expect(companyFromDomain(domain)).toBe(company);
  });
});

describe('which recipients are matched', () => {
  it('uses To and Cc once each, without the rep, colleagues or Bcc', () => {
    const to = [{ email: 'A@Customer.com' }, { email: 'rep@acme.com' }, { email: 'boss@sales.acme.com' }];
    const cc = [{ email: 'a@customer.com' }, { email: 'b@customer.com', name: 'B' }];
    expect(recipientsToMatch(to, cc, 'Rep@acme.com', ['acme.com'])).toEqual([
      { email: 'a@customer.com', role: 'to' },
      { email: 'b@customer.com', role: 'cc', name: 'B' },
    ]);
  });
});

describe('WhoId and WhatId', () => {
  const a = contact('003A', '2020', undefined, '001X');
  const b = contact('003B', '2021', undefined, '001X');
  const c = contact('003C', '2022', undefined, '001Y');
  const orphan = contact('003D', '2022', undefined, null);
  const l = lead('00QA', '2020');

  it('never gives a lead a WhatId, and gives every lead its own task', () => {
    const groups = taskGroups([a, l], 1, 'account', true);
    expect(groups).toEqual([
      { who: [{ id: '003A' }], whatId: '001X' },
      { who: [{ id: '00QA' }], whatId: null },
      { who: [{ newLead: 0 }], whatId: null },
    ]);
  });

  it('puts contacts of one account on one task with Shared Activities, one task per account', () => {
    expect(taskGroups([a, c, b, orphan], 0, 'account', true)).toEqual([
      { who: [{ id: '003A' }, { id: '003B' }], whatId: '001X' },
      { who: [{ id: '003C' }], whatId: '001Y' },
      { who: [{ id: '003D' }], whatId: null },
    ]);
  });

  it('makes one task per contact without Shared Activities', () => {
    expect(taskGroups([a, b], 0, 'none', false)).toEqual([
      { who: [{ id: '003A' }], whatId: null },
      { who: [{ id: '003B' }], whatId: null },
    ]);
  });

  it('splits more than 50 contacts over several tasks', () => {
    const many = Array.from({ length: 120 }, (_, i) => contact(`003${String(i).padStart(3, '0')}`, '2020', undefined, '001X'));
    expect(taskGroups(many, 0, 'account', true).map((g) => g.who.length)).toEqual([50, 50, 20]);
  });

  it("relates to the account's most recent open opportunity, or the account when it has none", () => {
    const info = {
      recentByAccount: new Map([
        ['001X', '006R'],
        ['001Y', null],
      ]),
      withRoleByContact: new Map(),
    };
    expect(whatIdsFor(a, 'recentOpportunity', info)).toEqual(['006R']);
    expect(whatIdsFor(c, 'recentOpportunity', info)).toEqual(['001Y']);
  });

  it('relates to every open opportunity where the contact has a role, one task each', () => {
    const info = { recentByAccount: new Map(), withRoleByContact: new Map([['003A', ['006P', '006Q']]]) };
    expect(taskGroups([a, b], 0, 'allOpportunitiesWithRole', true, info)).toEqual([
      { who: [{ id: '003A' }], whatId: '006P' },
      { who: [{ id: '003A' }], whatId: '006Q' },
      { who: [{ id: '003B' }], whatId: '001X' },
    ]);
  });
});

describe('the address cache', () => {
  const now = Date.parse('2026-11-28T00:00:00Z');
  const day = 86_400_000;
  it('trusts a match for a week, no match for a day, and an assignment until a record is gone', () => {
    const contactRecord = { id: '003A', type: 'Contact' as const, accountId: '001A' };
    expect(isFresh({ records: [contactRecord], checkedAt: now - 6 * day }, now)).toBe(true);
    expect(isFresh({ records: [contactRecord], checkedAt: now - 8 * day }, now)).toBe(false);
    expect(isFresh({ records: [], checkedAt: now - 2 * 3_600_000 }, now)).toBe(true);
    expect(isFresh({ records: [], checkedAt: now - 2 * day }, now)).toBe(false);
    expect(isFresh({ records: [contactRecord], checkedAt: now - 90 * day, source: 'assigned' }, now)).toBe(true);
  });

  it('looks up in full a contact remembered without its account (a person picked for a call)', () => {
    expect(isFresh({ records: [{ id: '003A', type: 'Contact', name: 'Jane' }], checkedAt: now }, now)).toBe(false);
  });
});
