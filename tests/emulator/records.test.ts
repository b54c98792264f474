// Records through jsforce: create, retrieve, update, destroy, describe, and the replication
// resources, with the validation rules the extension must live with.
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
const byEmail = (type: string, email: string) => sf.org.records(type).find((r) => r.Email === email)!.Id;
const contactId = () => byEmail('Contact', 'hiroshi.suzuki@sakura-seiki.example');
const leadId = () => byEmail('Lead', 'mayumi.yoshida@midori-shoji.example');
const accountId = () => sf.org.records('Account').find((r) => r.Name === '株式会社サクラ精機')!.Id;

async function sfError(promise: PromiseLike<unknown>): Promise<{ errorCode: string; message: string; fields?: string[] }> {
  try {
    await promise;
  } catch (error) {
    // jsforce's HttpApiError keeps Salesforce's error object (with `fields`) in `data`.
    const e = error as { errorCode: string; message: string; data?: unknown };
    const data = (Array.isArray(e.data) ? e.data[0] : e.data) as { fields?: string[] } | undefined;
    return { errorCode: e.errorCode, message: e.message, ...(data?.fields ? { fields: data.fields } : {}) };
  }
  throw new Error('expected Salesforce to refuse');
}

describe('create, read, update, delete', () => {
  it('creates a task with defaults and system fields, and reads it back', async () => {
    const result = await conn.sobject('Task').create({ Subject: 'Follow up', WhoId: contactId(), TaskSubtype: 'Email' });
    expect(result).toEqual({ id: expect.stringMatching(/^00T\w{15}$/), success: true, errors: [] });
    const task = (await conn.sobject('Task').retrieve(result.id!)) as Row;
    expect(task).toMatchObject({
      Subject: 'Follow up',
      Status: 'Not Started',
      Priority: 'Normal',
      IsClosed: false,
      IsDeleted: false,
      OwnerId: sf.org.defaultUser().Id,
      AccountId: accountId(),
      TaskSubtype: 'Email',
    });
    expect(task.CreatedDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    expect(task.SystemModstamp).toBe(task.LastModifiedDate);
  });

  it('updates with PATCH (204) and deletes with DELETE (204)', async () => {
    const { id } = await conn.sobject('Task').create({ Subject: 'To finish' });
    await conn.sobject('Task').update({ Id: id!, Status: 'Completed' });
    expect(sf.org.get(id!)).toMatchObject({ Status: 'Completed', IsClosed: true, CompletedDateTime: expect.any(String) });
    const response = await fetch(`${sf.url}/services/data/v62.0/sobjects/Task/${id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${conn.accessToken}` },
    });
    expect(response.status).toBe(204);
    expect(sf.org.get(id!)!.IsDeleted).toBe(true);
  });

  it('a deleted record is 404: NOT_FOUND to read, ENTITY_IS_DELETED to change', async () => {
    const { id } = await conn.sobject('Task').create({ Subject: 'Short-lived' });
    await conn.sobject('Task').destroy(id!);
    expect(await sfError(conn.sobject('Task').retrieve(id!))).toMatchObject({ errorCode: 'NOT_FOUND' });
    expect(await sfError(conn.sobject('Task').update({ Id: id!, Subject: 'x' }))).toMatchObject({ errorCode: 'ENTITY_IS_DELETED' });
    expect(await sfError(conn.sobject('Task').destroy(id!))).toMatchObject({ errorCode: 'ENTITY_IS_DELETED' });
  });

  it('deleting a contact takes its tasks along (visible to queryAll)', async () => {
    const { id: contact } = await conn.sobject('Contact').create({ LastName: 'Temp' });
    const { id: task } = await conn.sobject('Task').create({ Subject: 'Call Temp', WhoId: contact });
    await conn.sobject('Contact').destroy(contact!);
    const rows = await conn.query<Row>(`SELECT Id, IsDeleted FROM Task WHERE Id = '${task}'`, { scanAll: true });
    expect(rows.records).toEqual([expect.objectContaining({ Id: task, IsDeleted: true })]);
  });
});

describe('validation', () => {
  it('STRING_TOO_LONG names the field and its limit', async () => {
    const error = await sfError(conn.sobject('Task').create({ Subject: 'x'.repeat(256) }));
    expect(error).toMatchObject({ errorCode: 'STRING_TOO_LONG', fields: ['Subject'], message: expect.stringContaining('max length=255') });
    await expect(conn.sobject('Task').create({ Subject: 'x'.repeat(255), Description: 'y'.repeat(32_000) })).resolves.toMatchObject({
      success: true,
    });
  });

  it('TaskSubtype is set on create only: INVALID_FIELD_FOR_INSERT_UPDATE on update', async () => {
    const { id } = await conn.sobject('Task').create({ Subject: 'Call', TaskSubtype: 'Call' });
    const error = await sfError(conn.sobject('Task').update({ Id: id!, TaskSubtype: 'Email' }));
    expect(error).toMatchObject({ errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', fields: ['TaskSubtype'] });
    expect(sf.org.get(id!)!.TaskSubtype).toBe('Call');
  });

  it('read-only fields cannot be written', async () => {
    const error = await sfError(conn.sobject('Task').create({ Subject: 'x', IsClosed: true }));
    expect(error).toMatchObject({ errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', fields: ['IsClosed'] });
  });

  it('a task whose WhoId is a lead cannot have a WhatId: FIELD_INTEGRITY_EXCEPTION', async () => {
    const error = await sfError(conn.sobject('Task').create({ Subject: 'x', WhoId: leadId(), WhatId: accountId() }));
    expect(error).toMatchObject({ errorCode: 'FIELD_INTEGRITY_EXCEPTION', fields: ['WhatId'] });
    const { id } = await conn.sobject('Task').create({ Subject: 'x', WhoId: leadId() });
    expect((await sfError(conn.sobject('Task').update({ Id: id!, WhatId: accountId() }))).errorCode).toBe('FIELD_INTEGRITY_EXCEPTION');
  });

  it('restricted picklists refuse unknown values', async () => {
    const error = await sfError(conn.sobject('Task').create({ Subject: 'x', Status: 'Done-ish' }));
    expect(error).toMatchObject({ errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', fields: ['Status'] });
    // Unrestricted picklists take any value, as in Salesforce.
    await expect(conn.sobject('Task').create({ Subject: 'x', Type: 'Lunch' })).resolves.toMatchObject({ success: true });
  });

  it('required fields: REQUIRED_FIELD_MISSING lists them', async () => {
    const error = await sfError(conn.sobject('Lead').create({ FirstName: 'No', Email: 'no@x.example' }));
    expect(error).toMatchObject({ errorCode: 'REQUIRED_FIELD_MISSING', fields: ['LastName', 'Company'] });
    expect((await sfError(conn.sobject('Task').create({ Subject: 'x', Priority: null }))).errorCode).toBe('REQUIRED_FIELD_MISSING');
  });

  it('references must point at the right kind of live record', async () => {
    expect(await sfError(conn.sobject('Task').create({ Subject: 'x', WhoId: accountId() }))).toMatchObject({
      errorCode: 'FIELD_INTEGRITY_EXCEPTION',
      fields: ['WhoId'],
    });
    expect((await sfError(conn.sobject('Task').create({ Subject: 'x', WhoId: 'not-an-id' }))).errorCode).toBe('MALFORMED_ID');
  });

  it('unknown fields, bad emails and bad dates are refused', async () => {
    expect((await sfError(conn.sobject('Contact').create({ LastName: 'x', Nickname: 'y' }))).errorCode).toBe('INVALID_FIELD');
    expect((await sfError(conn.sobject('Contact').create({ LastName: 'x', Email: 'not an email' }))).errorCode).toBe(
      'INVALID_EMAIL_ADDRESS',
    );
    expect((await sfError(conn.sobject('Task').create({ Subject: 'x', ActivityDate: '05/01/2024' }))).errorCode).toBe('JSON_PARSER_ERROR');
  });

  it('an object the API cannot create says so', async () => {
    expect((await sfError(conn.sobject('TaskWhoRelation').create({ TaskId: 'x' }))).errorCode).toBe('INVALID_TYPE_FOR_OPERATION');
  });
});

describe('activity relations', () => {
  it('TaskWhoRelation follows WhoId and TaskRelation adds more contacts', async () => {
    const other = byEmail('Contact', 'misaki.takahashi@sakura-seiki.example');
    const { id: task } = await conn.sobject('Task').create({ Subject: 'Meeting', WhoId: contactId() });
    await conn.sobject('TaskRelation').create({ TaskId: task, RelationId: other });
    const who = await conn.query<Row>(`SELECT RelationId, Type FROM TaskWhoRelation WHERE TaskId = '${task}' ORDER BY RelationId`);
    expect(who.records.map((r) => [r.RelationId, r.Type])).toEqual(
      [
        [contactId(), 'Contact'],
        [other, 'Contact'],
      ].sort(),
    );
    const lead = await sfError(conn.sobject('TaskRelation').create({ TaskId: task, RelationId: leadId() }));
    expect(lead.errorCode).toBe('FIELD_INTEGRITY_EXCEPTION');
  });

  it('logs an email: ToIds and CcIds become relations, and Salesforce creates the Email task', async () => {
    const other = byEmail('Contact', 'misaki.takahashi@sakura-seiki.example');
    const opportunity = sf.org.records('Opportunity').find((o) => o.AccountId === accountId() && !o.IsClosed)!.Id;
    const { id: email } = await conn.sobject('EmailMessage').create({
      Subject: 'ご提案資料の送付',
      HtmlBody: '<p>鈴木様</p>',
      TextBody: '鈴木様\n\nご提案資料をお送りします。',
      FromAddress: 'aiko.tanaka@demo-org.example',
      ToAddress: 'hiroshi.suzuki@sakura-seiki.example',
      CcAddress: 'misaki.takahashi@sakura-seiki.example, someone@unknown.example',
      MessageDate: new Date().toISOString(),
      Status: '3',
      MessageIdentifier: '<abc@mail.example>',
      RelatedToId: opportunity,
      ToIds: [contactId()],
      CcIds: [other],
    });
    const relations = await conn.query<Row>(
      `SELECT RelationId, RelationType, RelationAddress, RelationObjectType FROM EmailMessageRelation WHERE EmailMessageId = '${email}' ORDER BY RelationType DESC`,
    );
    expect(relations.records.map((r) => [r.RelationId, r.RelationType, r.RelationAddress, r.RelationObjectType])).toEqual([
      [contactId(), 'ToAddress', 'hiroshi.suzuki@sakura-seiki.example', 'Contact'],
      [other, 'CcAddress', 'misaki.takahashi@sakura-seiki.example', 'Contact'],
    ]);
    const [logged] = (
      await conn.query<Row>(
        `SELECT ActivityId, Activity.Subject, Activity.TaskSubtype, Activity.Status, Activity.WhoId, Activity.WhatId FROM EmailMessage WHERE Id = '${email}'`,
      )
    ).records;
    expect(logged!.Activity).toMatchObject({
      Subject: 'ご提案資料の送付',
      TaskSubtype: 'Email',
      Status: 'Completed',
      WhoId: contactId(),
      WhatId: opportunity,
    });
    const who = await conn.query<Row>(`SELECT RelationId FROM TaskWhoRelation WHERE TaskId = '${logged!.ActivityId}'`);
    expect(who.records.map((r) => r.RelationId).sort()).toEqual([contactId(), other].sort());
  });

  it('refuses what Salesforce refuses for emails: naming an ActivityId, editing a sent email, a bad Status', async () => {
    const task = sf.org.records('Task')[0]!.Id;
    expect((await sfError(conn.sobject('EmailMessage').create({ Subject: 'x', Status: '3', ActivityId: task }))).errorCode).toBe(
      'FIELD_INTEGRITY_EXCEPTION',
    );
    expect((await sfError(conn.sobject('EmailMessage').create({ Subject: 'x', Status: '9' }))).errorCode).toBe(
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
    );
    const { id: sent } = await conn.sobject('EmailMessage').create({ Subject: 'sent', Status: '3' });
    expect((await sfError(conn.sobject('EmailMessage').update({ Id: sent!, Subject: 'changed' }))).errorCode).toBe(
      'INSUFFICIENT_ACCESS_OR_READONLY',
    );
    const { id: draft } = await conn.sobject('EmailMessage').create({ Subject: 'draft', Status: '5' });
    await expect(conn.sobject('EmailMessage').update({ Id: draft!, Subject: 'still a draft' })).resolves.toMatchObject({ success: true });
    expect(sf.org.get(draft!)!.ActivityId).toBeNull();
    expect((await sfError(conn.query('SELECT ToIds FROM EmailMessage'))).errorCode).toBe('INVALID_FIELD');
  });
});

describe('describe', () => {
  it('describeGlobal lists the objects with key prefixes', async () => {
    const global = await conn.describeGlobal();
    const prefixes = Object.fromEntries(global.sobjects.map((o) => [o.name, o.keyPrefix]));
    expect(prefixes).toMatchObject({
      Account: '001',
      Contact: '003',
      Lead: '00Q',
      Task: '00T',
      Opportunity: '006',
      EmailMessage: '02s',
      User: '005',
    });
  });

  it('describe gives types, lengths, create/update rules and picklists', async () => {
    const task = await conn.sobject('Task').describe();
    const field = (name: string) => task.fields.find((f) => f.name === name)!;
    expect(field('Subject')).toMatchObject({ type: 'combobox', length: 255, createable: true, updateable: true });
    expect(field('Description')).toMatchObject({ type: 'textarea', length: 32000 });
    expect(field('TaskSubtype')).toMatchObject({ createable: true, updateable: false, restrictedPicklist: true });
    expect(field('Status').picklistValues?.map((p) => p.value)).toEqual([
      'Not Started',
      'In Progress',
      'Completed',
      'Waiting on someone else',
      'Deferred',
    ]);
    expect(field('WhoId')).toMatchObject({
      type: 'reference',
      referenceTo: ['Contact', 'Lead'],
      relationshipName: 'Who',
      polymorphicForeignKey: true,
    });
    expect(field('IsClosed')).toMatchObject({ createable: false, updateable: false });
  });

  it('an unknown object is 404 NOT_FOUND', async () => {
    expect((await sfError(conn.sobject('Gadget').describe())).errorCode).toBe('NOT_FOUND');
  });
});

describe('updated and deleted', () => {
  it('lists ids changed and deleted in the window, with latestDateCovered to start from next time', async () => {
    const start = new Date(Date.now() - 60_000);
    const { id: kept } = await conn.sobject('Task').create({ Subject: 'Changed in window' });
    const { id: gone } = await conn.sobject('Task').create({ Subject: 'Deleted in window' });
    await conn.sobject('Task').destroy(gone!);
    // Changes in the current minute are not covered yet; two minutes later they are.
    sf.control.advanceClock(120_000);
    const end = new Date(Date.now() + 10 * 60_000);
    const updated = await conn.sobject('Task').updated(start.toISOString(), end.toISOString());
    expect(updated.ids).toContain(kept);
    expect(updated.ids).not.toContain(gone);
    expect(Date.parse(updated.latestDateCovered)).toBeLessThanOrEqual(Date.now() + 120_000);
    const deleted = await conn.sobject('Task').deleted(start.toISOString(), end.toISOString());
    expect(deleted.deletedRecords).toContainEqual({ id: gone, deletedDate: expect.stringMatching(/\+0000$/) });
    expect(deleted.deletedRecords.map((r) => r.id)).not.toContain(kept);
    expect(deleted.earliestDateAvailable).toMatch(/\+0000$/);
  });

  it('refuses windows older than Salesforce keeps (30 days updated, 15 days deleted)', async () => {
    const now = Date.now();
    const iso = (daysAgo: number) => new Date(now - daysAgo * 86_400_000).toISOString();
    expect((await sfError(conn.sobject('Task').updated(iso(31), iso(0)))).errorCode).toBe('INVALID_REPLICATION_DATE');
    await expect(conn.sobject('Task').updated(iso(29), iso(0))).resolves.toHaveProperty('ids');
    expect((await sfError(conn.sobject('Task').deleted(iso(16), iso(0)))).errorCode).toBe('INVALID_REPLICATION_DATE');
  });
});
