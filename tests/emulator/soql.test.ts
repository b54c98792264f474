// SOQL through jsforce's query() and queryAll(): what Salesforce answers for the queries the
// extension makes (lookups by email, open tasks by date, related names) and for bad queries.
import type { Connection } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from './client';
import { type Emulator, startEmulator } from './index';

let sf: Emulator;
let conn: Connection;
beforeAll(async () => {
  sf = await startEmulator();
  conn = await connect(sf.url);
});
afterAll(() => sf.stop());

// biome-ignore lint/suspicious/noExplicitAny: rows hold whatever the SELECT list names; the assertions check them.
type Row = Record<string, any>;
const query = async (soql: string) => (await conn.query<Row>(soql)).records;
const names = async (soql: string) => (await query(soql)).map((r) => r.Name);

async function sfError(promise: PromiseLike<unknown>): Promise<{ errorCode: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { errorCode: string; message: string };
  }
  throw new Error('expected the query to fail');
}

describe('fields and relationships', () => {
  it('returns rows with attributes, canonical field names and parent records', async () => {
    const [row] = await query("select id, name, account.name from contact where email = 'hiroshi.suzuki@sakura-seiki.example'");
    expect(row).toEqual({
      attributes: { type: 'Contact', url: `/services/data/v62.0/sobjects/Contact/${row!.Id}` },
      Id: expect.stringMatching(/^003[A-Za-z0-9]{15}$/),
      Name: '浩 鈴木',
      Account: { attributes: { type: 'Account', url: expect.stringContaining('/sobjects/Account/001') }, Name: '株式会社サクラ精機' },
    });
  });

  it('follows polymorphic Who and What, with null where a task has none', async () => {
    const rows = await query(
      "SELECT Subject, Who.Name, Who.Type, What.Name FROM Task WHERE Subject = '初回訪問の準備' OR Subject = '展示会のお礼メール' ORDER BY Subject",
    );
    expect(rows.map((r) => [r.Subject, r.Who?.Name ?? null, r.Who?.Type ?? null, r.What?.Name ?? null])).toEqual([
      ['初回訪問の準備', null, null, '海風フーズ株式会社'],
      ['展示会のお礼メール', '真由美 吉田', 'Lead', null],
    ]);
    const leadTasks = await query("SELECT Subject FROM Task WHERE Who.Type = 'lead' ORDER BY Subject");
    expect(leadTasks.map((r) => r.Subject)).toEqual(['Qualify Fabrikam lead', '展示会のお礼メール']);
  });

  it('returns child relationships as nested results, null when there are none', async () => {
    const rows = await query(
      "SELECT Name, (SELECT Name FROM Opportunities ORDER BY Name) FROM Account WHERE Name IN ('青葉ソフトウェア合同会社', '株式会社サクラ精機') ORDER BY Name",
    );
    // Sorted by code point: 株 (U+682A) before 青 (U+9752).
    expect(rows[1]!.Opportunities).toBeNull();
    expect(rows[0]!.Opportunities).toEqual({
      totalSize: 2,
      done: true,
      records: [
        expect.objectContaining({ Name: 'サクラ精機 保守契約更新' }),
        expect.objectContaining({ Name: 'サクラ精機 第二工場 生産管理システム' }),
      ],
    });
    const roles = await query(
      "SELECT (SELECT Role FROM OpportunityContactRoles ORDER BY Role) FROM Opportunity WHERE Name = 'サクラ精機 第二工場 生産管理システム'",
    );
    expect(roles[0]!.OpportunityContactRoles.records.map((r: Row) => r.Role)).toEqual(['Decision Maker', 'Technical Buyer']);
  });

  it('supports semi-joins: contacts with an open task', async () => {
    const rows = await names('SELECT Name FROM Contact WHERE Id IN (SELECT WhoId FROM Task WHERE IsClosed = false) ORDER BY Name');
    expect(rows).toEqual(['Anika Patel', 'Emily Harper', '健太 伊藤', '浩 鈴木']);
  });
});

describe('WHERE', () => {
  it('compares strings case-insensitively, as Salesforce does', async () => {
    expect(await names("SELECT Name FROM Contact WHERE Email = 'mei.watanabe@aoba-soft.example'")).toEqual(['Mei Watanabe']);
    expect(await names("SELECT Name FROM Contact WHERE Email IN ('EMILY.HARPER@NORTHWIND.EXAMPLE')")).toEqual(['Emily Harper']);
    expect(await names("SELECT Name FROM Lead WHERE Company LIKE '%WORKS'")).toEqual(['Linh Nguyen']);
  });

  it('unescapes backslash escapes in literals', async () => {
    expect(await names("SELECT Name FROM Contact WHERE Email = 'liam.o\\'brien@globex.example'")).toEqual(["Liam O'Brien"]);
    expect(await names("SELECT Name FROM Contact WHERE LastName LIKE 'O\\'B%'")).toEqual(["Liam O'Brien"]);
  });

  it('treats \\% and \\_ in LIKE as the characters, not wildcards', async () => {
    expect(await names("SELECT Name FROM Contact WHERE Email LIKE 'info\\_%'")).toEqual([]);
    expect(await names("SELECT Name FROM Contact WHERE Email LIKE 'info_shared%' ORDER BY Name")).toEqual(['Hanae Kimura', 'Taro Kimura']);
  });

  it('combines AND, OR, NOT and parentheses', async () => {
    const rows = await names(
      "SELECT Name FROM Lead WHERE (LeadSource = 'Web' OR LeadSource = 'Trade Show') AND NOT Status = 'Closed - Not Converted' ORDER BY Name",
    );
    expect(rows).toEqual(['大輔 山本', '真由美 吉田']);
    expect(await names("SELECT Name FROM Lead WHERE NOT (Status = 'Open - Not Contacted' OR Status = 'Working - Contacted')")).toEqual([
      'Jonas Müller',
    ]);
  });

  it('matches nulls with = null and != null, and != includes nulls', async () => {
    expect(await names('SELECT Name FROM Lead WHERE FirstName = null')).toEqual(['加藤']);
    const notWeb = await names("SELECT Name FROM Lead WHERE LeadSource != 'Web'");
    expect(notWeb).toContain('Linh Nguyen'); // LeadSource is null
    expect(notWeb).not.toContain('大輔 山本');
  });

  it('evaluates date literals against dates and datetimes', async () => {
    const dueSoon = await query(
      'SELECT Subject FROM Task WHERE IsClosed = false AND ActivityDate <= TOMORROW AND ActivityDate >= YESTERDAY ORDER BY ActivityDate',
    );
    expect(dueSoon.map((r) => r.Subject)).toEqual(['展示会のお礼メール', 'Call Emily about rollout schedule', '見積書の送付 (第二工場)']);
    expect(await names('SELECT Name FROM Lead WHERE CreatedDate = LAST_N_DAYS:3 ORDER BY CreatedDate')).toEqual(['加藤', 'Linh Nguyen']);
    expect(await names('SELECT Name FROM Lead WHERE CreatedDate = TODAY')).toEqual([]);
    const iso = new Date(Date.now() - 3 * 86_400_000).toISOString();
    expect(await names(`SELECT Name FROM Lead WHERE CreatedDate > ${iso} ORDER BY Name`)).toEqual(['Linh Nguyen', '加藤']);
  });

  it('matches 15-character ids like their 18-character form', async () => {
    const id = sf.org.records('Account')[0]!.Id;
    expect(await names(`SELECT Name FROM Account WHERE Id = '${id.slice(0, 15)}'`)).toEqual(['株式会社サクラ精機']);
  });
});

describe('ORDER BY, LIMIT, OFFSET, COUNT()', () => {
  it('puts nulls first by default, and where NULLS LAST says', async () => {
    const first = await query('SELECT Subject, ActivityDate FROM Task WHERE IsClosed = false ORDER BY ActivityDate');
    expect(first[0]!.ActivityDate).toBeNull();
    const last = await query('SELECT Subject, ActivityDate FROM Task WHERE IsClosed = false ORDER BY ActivityDate DESC NULLS LAST');
    expect(last.at(-1)!.ActivityDate).toBeNull();
    expect(last[0]!.Subject).toBe('Qualify Fabrikam lead');
  });

  it('sorts text case-insensitively and pages with LIMIT and OFFSET', async () => {
    expect(await names('SELECT Name FROM Account ORDER BY Name LIMIT 2 OFFSET 1')).toEqual(['Globex Corporation', 'Northwind Traders']);
  });

  it('COUNT() answers totalSize with no records', async () => {
    const result = await conn.query("SELECT COUNT() FROM Contact WHERE Account.Name = '株式会社サクラ精機'");
    expect(result).toMatchObject({ totalSize: 2, done: true, records: [] });
  });
});

describe('queryAll and deleted records', () => {
  it('query hides deleted records; queryAll shows them with IsDeleted = true', async () => {
    const soql = "SELECT Subject, IsDeleted FROM Task WHERE Subject = 'Old follow-up (deleted)'";
    expect((await conn.query(soql)).totalSize).toBe(0);
    const all = await conn.query<Row>(soql, { scanAll: true });
    expect(all.records).toEqual([expect.objectContaining({ Subject: 'Old follow-up (deleted)', IsDeleted: true })]);
  });
});

describe('pages of 2,000', () => {
  it('answers the first 2,000 rows with nextRecordsUrl, and queryMore the rest', async () => {
    const accountId = sf.org.records('Account')[0]!.Id;
    const records = Array.from({ length: 2_050 }, (_, i) => ({ LastName: `Bulk ${String(i).padStart(4, '0')}`, AccountId: '@acct' }));
    sf.control.addRecords({ Account: [{ '@ref': 'acct', Name: 'Bulk Co' }], Contact: records });
    const soql = "SELECT Id, LastName FROM Contact WHERE LastName LIKE 'Bulk %' ORDER BY LastName";
    const first = await conn.query<Row>(soql, { autoFetch: false });
    expect(first.totalSize).toBe(2_050);
    expect(first.done).toBe(false);
    expect(first.records).toHaveLength(2_000);
    expect(first.nextRecordsUrl).toMatch(/\/services\/data\/v62\.0\/query\/01g\w+-2000$/);
    const rest = await conn.queryMore<Row>(first.nextRecordsUrl!);
    expect(rest.done).toBe(true);
    expect(rest.records.map((r) => r.LastName)).toEqual(['Bulk 2000', ...Array.from({ length: 49 }, (_, i) => `Bulk ${2001 + i}`)]);
    expect(accountId).toBeTruthy();
  });
});

describe('errors', () => {
  it('a syntax error is 400 MALFORMED_QUERY', async () => {
    const error = await sfError(conn.query('SELECT FROM Contact'));
    expect(error.errorCode).toBe('MALFORMED_QUERY');
  });

  it('an unknown field is 400 INVALID_FIELD, an unknown object INVALID_TYPE', async () => {
    expect((await sfError(conn.query('SELECT Id, Nickname FROM Contact'))).errorCode).toBe('INVALID_FIELD');
    expect((await sfError(conn.query("SELECT Id FROM Contact WHERE Foo = 'x'"))).errorCode).toBe('INVALID_FIELD');
    expect((await sfError(conn.query('SELECT Id, Who.Nickname FROM Task'))).errorCode).toBe('INVALID_FIELD');
    expect((await sfError(conn.query('SELECT Id FROM Gadget'))).errorCode).toBe('INVALID_TYPE');
  });

  it('quoting a date is INVALID_FIELD, and an unknown escape MALFORMED_QUERY', async () => {
    const quoted = await sfError(conn.query("SELECT Id FROM Task WHERE ActivityDate = '2024-01-01'"));
    expect(quoted).toMatchObject({ errorCode: 'INVALID_FIELD', message: expect.stringContaining('should not be enclosed in quotes') });
    expect((await sfError(conn.query("SELECT Id FROM Contact WHERE LastName = 'a\\qb'"))).errorCode).toBe('MALFORMED_QUERY');
  });
});

describe('size limits', () => {
  const emails = (n: number) => Array.from({ length: n }, (_, i) => `'person${i}@example.com'`).join(',');

  it('a URI over 16,384 bytes is 414, and URI plus headers over it 431', async () => {
    const headers = { authorization: `Bearer ${conn.accessToken}` };
    const long = await fetch(
      `${sf.url}/services/data/v62.0/query?q=${encodeURIComponent(`SELECT Id FROM Contact WHERE Email IN (${emails(700)})`)}`,
      { headers },
    );
    expect(long.status).toBe(414);
    const soql = `SELECT Id FROM Contact WHERE Email IN (${emails(250)})`;
    const fits = await fetch(`${sf.url}/services/data/v62.0/query?q=${encodeURIComponent(soql)}`, { headers });
    expect(fits.status).toBe(200);
    const padded = await fetch(`${sf.url}/services/data/v62.0/query?q=${encodeURIComponent(soql)}`, {
      headers: { ...headers, 'x-padding': 'x'.repeat(9_000) },
    });
    expect(padded.status).toBe(431);
  });

  it('a SOQL statement over 100,000 characters is MALFORMED_QUERY, even in a composite body', async () => {
    const soql = `SELECT Id FROM Contact WHERE Email IN (${emails(4_500)})`;
    expect(soql.length).toBeGreaterThan(100_000);
    const result = await conn.requestPost<{ compositeResponse: Array<{ httpStatusCode: number; body: Array<{ errorCode: string }> }> }>(
      '/services/data/v62.0/composite',
      { compositeRequest: [{ method: 'GET', url: `/services/data/v62.0/query?q=${encodeURIComponent(soql)}`, referenceId: 'q' }] },
    );
    expect(result.compositeResponse[0]).toMatchObject({ httpStatusCode: 400, body: [{ errorCode: 'MALFORMED_QUERY' }] });
  });
});
