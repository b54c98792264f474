// sObject Collections, Composite, SOSL search, limits and versions, through jsforce.
import type { Connection } from 'jsforce';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connect } from './client';
import { type Emulator, startEmulator } from './index';

let sf: Emulator;
let conn: Connection;
beforeAll(async () => {
  sf = await startEmulator();
  conn = await connect(sf.url);
});
afterAll(() => sf.stop());
beforeEach(() => sf.control.resetCalls());

interface CompositeResponse {
  compositeResponse: Array<{ body: unknown; httpStatusCode: number; referenceId: string; httpHeaders: Record<string, string> }>;
}
const compositeCall = (body: object) => conn.requestPost<CompositeResponse>('/services/data/v62.0/composite', body);
const sub = (referenceId: string, method: string, path: string, body?: unknown) => ({
  referenceId,
  method,
  url: `/services/data/v62.0${path}`,
  ...(body ? { body } : {}),
});

describe('sObject Collections', () => {
  it('creates up to 200 records in one call, each with its own result', async () => {
    const results = await conn.sobject('Task').create([{ Subject: 'one' }, { Subject: 'two', Status: 'Nope' }, { Subject: 'three' }]);
    expect(results.map((r) => r.success)).toEqual([true, false, true]);
    expect(results[1]).toMatchObject({
      success: false,
      errors: [expect.objectContaining({ statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST' })],
    });
    expect(sf.control.calls().byEndpoint).toEqual({ 'POST /composite/sobjects': 1 });
  });

  it('allOrNone rolls every record back when one fails', async () => {
    const before = sf.org.records('Task').length;
    const results = await conn.sobject('Task').create([{ Subject: 'kept?' }, { Subject: 'x'.repeat(300) }], { allOrNone: true });
    expect(results[0]).toEqual({
      id: null,
      success: false,
      errors: [expect.objectContaining({ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK' })],
    });
    expect(results[1]).toMatchObject({
      success: false,
      errors: [expect.objectContaining({ statusCode: 'STRING_TOO_LONG', fields: ['Subject'] })],
    });
    expect(sf.org.records('Task')).toHaveLength(before);
  });

  it('refuses more than 200 records', async () => {
    const records = Array.from({ length: 201 }, (_, i) => ({ attributes: { type: 'Task' }, Subject: `t${i}` }));
    await expect(conn.requestPost('/services/data/v62.0/composite/sobjects', { records })).rejects.toMatchObject({
      errorCode: 'EXCEEDED_ID_LIMIT',
    });
  });

  it('updates, retrieves and deletes in collections', async () => {
    const created = await conn.sobject('Task').create([{ Subject: 'a' }, { Subject: 'b' }]);
    const ids = created.map((r) => r.id!);
    const updated = await conn.sobject('Task').update(ids.map((Id) => ({ Id, Status: 'Completed' })));
    expect(updated.every((r) => r.success)).toBe(true);
    const retrieved = await conn.sobject('Task').retrieve(ids, { fields: ['Subject', 'IsClosed'] });
    expect(retrieved.map((r) => (r as { IsClosed?: boolean } | null)?.IsClosed)).toEqual([true, true]);
    const removed = await conn.sobject('Task').destroy(ids);
    expect(removed).toEqual(ids.map((id) => ({ id, success: true, errors: [] })));
    expect(sf.control.calls().byEndpoint).toEqual({
      'POST /composite/sobjects': 1,
      'PATCH /composite/sobjects': 1,
      'POST /composite/sobjects/Task': 1,
      'DELETE /composite/sobjects': 1,
    });
  });
});

describe('Composite', () => {
  it('runs subrequests in order with @{ref.field} references, as ONE API call', async () => {
    const result = await compositeCall({
      compositeRequest: [
        sub('acct', 'POST', '/sobjects/Account', { Name: '株式会社テスト' }),
        sub('who', 'POST', '/sobjects/Contact', { LastName: '佐藤', AccountId: '@{acct.id}' }),
        sub('task', 'POST', '/sobjects/Task', { Subject: 'Welcome call for @{acct.id}', WhoId: '@{who.id}' }),
        sub('check', 'GET', "/query?q=SELECT+Id,Who.Name,Account.Name+FROM+Task+WHERE+Id='@{task.id}'"),
      ],
    });
    expect(result.compositeResponse.map((r) => r.httpStatusCode)).toEqual([201, 201, 201, 200]);
    const acct = result.compositeResponse[0]!;
    expect(acct.httpHeaders.Location).toMatch(/^\/services\/data\/v62\.0\/sobjects\/Account\/001\w{15}$/);
    expect(result.compositeResponse[3]!.body).toMatchObject({
      totalSize: 1,
      records: [{ Who: { Name: '佐藤' }, Account: { Name: '株式会社テスト' } }],
    });
    expect(sf.control.calls()).toMatchObject({ total: 1, byEndpoint: { 'POST /composite': 1 } });
  });

  it('without allOrNone a failure halts only the subrequests that depend on it', async () => {
    const result = await compositeCall({
      compositeRequest: [
        sub('bad', 'POST', '/sobjects/Contact', { FirstName: 'No last name' }),
        sub('dependent', 'POST', '/sobjects/Task', { Subject: 'x', WhoId: '@{bad.id}' }),
        sub('independent', 'POST', '/sobjects/Task', { Subject: 'stays' }),
      ],
    });
    expect(result.compositeResponse.map((r) => r.httpStatusCode)).toEqual([400, 400, 201]);
    expect(result.compositeResponse[0]!.body).toEqual([expect.objectContaining({ errorCode: 'REQUIRED_FIELD_MISSING' })]);
    expect(result.compositeResponse[1]!.body).toEqual([expect.objectContaining({ errorCode: 'PROCESSING_HALTED' })]);
  });

  it('with allOrNone one failure rolls the whole request back', async () => {
    const before = sf.org.records('Account').length;
    const result = await compositeCall({
      allOrNone: true,
      compositeRequest: [
        sub('acct', 'POST', '/sobjects/Account', { Name: 'Rolled back' }),
        sub('bad', 'POST', '/sobjects/Task', { Status: 'Nope' }),
      ],
    });
    expect(result.compositeResponse[0]).toMatchObject({ httpStatusCode: 400, body: [{ errorCode: 'PROCESSING_HALTED' }] });
    expect(result.compositeResponse[1]).toMatchObject({
      httpStatusCode: 400,
      body: [{ errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST' }],
    });
    expect(sf.org.records('Account')).toHaveLength(before);
  });

  it('refuses more than 25 subrequests', async () => {
    const compositeRequest = Array.from({ length: 26 }, (_, i) => sub(`q${i}`, 'GET', '/limits'));
    await expect(compositeCall({ compositeRequest })).rejects.toMatchObject({ errorCode: 'INVALID_INPUT' });
  });
});

describe('SOSL search', () => {
  type Found = { searchRecords: Array<{ attributes: { type: string }; Name?: string; Email?: string }> };
  const find = async (sosl: string) => ((await conn.search(sosl)) as unknown as Found).searchRecords;

  it('finds contacts and leads by name, in RETURNING order', async () => {
    const rows = await find('FIND {Garcia OR Harper} IN NAME FIELDS RETURNING Contact(Id, Name), Lead(Id, Name)');
    expect(rows.map((r) => [r.attributes.type, r.Name])).toEqual([
      ['Contact', 'Emily Harper'],
      ['Lead', 'Sofia Garcia'],
    ]);
  });

  it('finds Japanese names without word boundaries', async () => {
    const rows = await find('FIND {鈴木} IN NAME FIELDS RETURNING Contact(Name), Lead(Name)');
    expect(rows.map((r) => r.Name)).toEqual(['浩 鈴木']);
  });

  it('finds by email address, with escaped reserved characters and a WHERE per object', async () => {
    const rows = await find("FIND {liam.o\\'brien@globex.example} IN EMAIL FIELDS RETURNING Contact(Name, Email WHERE Email != null)");
    expect(rows).toEqual([expect.objectContaining({ Name: "Liam O'Brien" })]);
  });

  it('matches word starts and trailing wildcards, not word middles', async () => {
    expect(await find('FIND {Harp*} RETURNING Contact(Name)')).toHaveLength(1);
    expect(await find('FIND {arper} RETURNING Contact(Name)')).toHaveLength(0);
  });

  it('refuses a one-character term', async () => {
    await expect(conn.search('FIND {a} RETURNING Contact')).rejects.toMatchObject({ errorCode: 'INVALID_SEARCH' });
  });
});

describe('limits and versions', () => {
  it('limits reports the daily allowance that Sforce-Limit-Info counts', async () => {
    sf.control.setAllowance(15_000, 100);
    const limits = await conn.limits();
    expect(limits.DailyApiRequests).toEqual({ Max: 15_000, Remaining: 15_000 - 101 });
    expect(conn.limitInfo.apiUsage).toEqual({ used: 101, limit: 15_000 });
  });

  it('GET /services/data lists versions without a session', async () => {
    const res = await fetch(`${sf.url}/services/data`);
    const versions = (await res.json()) as Array<{ version: string; url: string; label: string }>;
    expect(versions).toContainEqual({ label: "Winter '25", url: '/services/data/v62.0', version: '62.0' });
  });
});
