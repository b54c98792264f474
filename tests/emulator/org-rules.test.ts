// The rules real orgs apply to API writes, each with Salesforce's own answer: duplicate rules,
// composite rollback through nested collections, collection type chunks, replication windows,
// archived activities, whole-second datetimes, OAuth CORS and callbacks, and the switches an
// admin sets (Enhanced Email, Shared Activities, Task rules, "Update Email Messages").
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EXTENSION_REDIRECT_URI, pkcePair, signIn } from './client';
import { type Emulator, startEmulator } from './index';
import { NEW_ORG_SETTINGS } from './org-settings';

let sf: Emulator;
let token: string;
let ids: Record<string, string>;

beforeAll(async () => {
  sf = await startEmulator({
    seed: { User: [{ '@ref': 'rep', Username: 'rep@org.example', LastName: 'Rep', Alias: 'rep', Email: 'rep@org.example' }] },
  });
  token = (await signIn(sf.url)).access_token;
  ids = sf.control.addRecords({
    Account: [{ '@ref': 'acme', Name: 'Acme Corp' }],
    Contact: [{ '@ref': 'ken', FirstName: 'Ken', LastName: 'Sato', AccountId: '@acme', Email: 'ken.sato@acme.example' }],
    Lead: [{ '@ref': 'mia', FirstName: 'Mia', LastName: 'Ito', Company: 'Ito Trading', Email: 'mia@ito.example' }],
  });
});
afterAll(() => sf.stop());
afterEach(() => {
  sf.control.configure(structuredClone(NEW_ORG_SETTINGS));
});

const rest = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  fetch(`${sf.url}/services/data/v62.0${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  }).then(async (r) => ({ status: r.status, headers: r.headers, body: r.status === 204 ? null : await r.json() }));

const leadLikeKen = { FirstName: 'Ken', LastName: 'Sato', Company: 'Acme Corp', Email: 'k.sato@other.example' };

describe('the Standard Lead Duplicate Rule (active in a new org)', () => {
  it('refuses a Lead matching a Contact with DUPLICATES_DETECTED naming the match', async () => {
    const answer = await rest('POST', '/sobjects/Lead', leadLikeKen);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual([
      {
        duplicateResut: {
          allowSave: true,
          duplicateRule: 'Standard_Lead_Duplicate_Rule',
          duplicateRuleEntityType: 'Lead',
          errorMessage: 'Use one of these records?',
          matchResults: [
            {
              entityType: 'Contact',
              errors: [],
              matchEngine: 'FuzzyMatchEngine',
              matchRecords: [
                {
                  additionalInformation: [],
                  fieldDiffs: [],
                  matchConfidence: 100,
                  record: { attributes: { type: 'Contact', url: `/services/data/v62.0/sobjects/Contact/${ids.ken}` }, Id: ids.ken },
                },
              ],
              rule: 'Standard_Contact_Match_Rule_v1_1',
              size: 1,
              success: true,
            },
          ],
        },
        errorCode: 'DUPLICATES_DETECTED',
        message: 'Use one of these records?',
      },
    ]);
    expect(sf.org.records('Lead').some((l) => l.Email === leadLikeKen.Email)).toBe(false);
  });

  it('matches Leads too, by name and email, and gives record details when asked', async () => {
    const answer = await rest(
      'POST',
      '/sobjects/Lead',
      { FirstName: 'mia', LastName: 'ITO', Company: 'Elsewhere', Email: 'MIA@ito.example' },
      {
        'Sforce-Duplicate-Rule-Header': 'includeRecordDetails=true',
      },
    );
    expect(answer.status).toBe(400);
    const match = answer.body[0].duplicateResut.matchResults[0];
    expect(match).toMatchObject({ entityType: 'Lead', rule: 'Standard_Lead_Match_Rule_v1_0' });
    expect(match.matchRecords[0].record).toMatchObject({ Id: ids.mia, Name: 'Mia Ito', Email: 'mia@ito.example', Company: 'Ito Trading' });
  });

  it('saves the duplicate with allowSave=true while the rule only alerts', async () => {
    const answer = await rest(
      'POST',
      '/sobjects/Lead',
      { ...leadLikeKen, Email: 'k1@other.example' },
      {
        'Sforce-Duplicate-Rule-Header': 'allowSave=true',
      },
    );
    expect(answer.status).toBe(201);
    expect(sf.org.get(answer.body.id)).toMatchObject({ LastName: 'Sato', Company: 'Acme Corp' });
  });

  it('is readable as a DuplicateRule record whose IsActive follows the switch', async () => {
    const q = encodeURIComponent("SELECT MasterLabel, IsActive FROM DuplicateRule WHERE SobjectType = 'Lead' AND IsActive = true");
    expect((await rest('GET', `/query?q=${q}`)).body.records).toEqual([
      expect.objectContaining({ MasterLabel: 'Standard Lead Duplicate Rule', IsActive: true }),
    ]);
    sf.control.configure({ leadDuplicateRule: 'off' });
    expect((await rest('GET', `/query?q=${q}`)).body.records).toEqual([]);
  });

  it('blocks even with allowSave=true when the admin sets the rule to block', async () => {
    sf.control.configure({ leadDuplicateRule: 'block' });
    const answer = await rest(
      'POST',
      '/sobjects/Lead',
      { ...leadLikeKen, Email: 'k2@other.example' },
      {
        'Sforce-Duplicate-Rule-Header': 'allowSave=true',
      },
    );
    expect(answer.status).toBe(400);
    expect(answer.body[0]).toMatchObject({ errorCode: 'DUPLICATES_DETECTED', duplicateResut: { allowSave: false } });
  });

  it('creates the Lead when the rule is inactive, and a Lead matching nothing always', async () => {
    expect((await rest('POST', '/sobjects/Lead', { LastName: 'Nobody', Company: 'None Ltd' })).status).toBe(201);
    sf.control.configure({ leadDuplicateRule: 'off' });
    expect((await rest('POST', '/sobjects/Lead', { ...leadLikeKen, Email: 'k3@other.example' })).status).toBe(201);
  });

  it('answers per record in sObject Collections, without naming the match, and honours the header there', async () => {
    const records = [{ attributes: { type: 'Lead' }, ...leadLikeKen, Email: 'k4@other.example' }];
    const refused = await rest('POST', '/composite/sobjects', { allOrNone: false, records });
    expect(refused.body).toEqual([
      { success: false, errors: [{ statusCode: 'DUPLICATES_DETECTED', message: 'Use one of these records?', fields: [] }] },
    ]);
    const saved = await rest(
      'POST',
      '/composite/sobjects',
      { allOrNone: false, records },
      { 'Sforce-Duplicate-Rule-Header': 'allowSave=true' },
    );
    expect(saved.body[0]).toMatchObject({ success: true });
  });
});

describe('composite allOrNone', () => {
  it('rolls back earlier subrequests when a record inside a later collection fails; the others are PROCESSING_HALTED', async () => {
    const before = sf.org.records('Task').length;
    const answer = await rest('POST', '/composite', {
      allOrNone: true,
      compositeRequest: [
        { method: 'POST', url: '/services/data/v62.0/sobjects/Task', referenceId: 'first', body: { Subject: 'kept?' } },
        {
          method: 'POST',
          url: '/services/data/v62.0/composite/sobjects',
          referenceId: 'collection',
          body: {
            allOrNone: true,
            records: [
              { attributes: { type: 'Task' }, Subject: 'ok' },
              { attributes: { type: 'Task' }, Status: 'Nope' },
            ],
          },
        },
        { method: 'POST', url: '/services/data/v62.0/sobjects/Task', referenceId: 'after', body: { Subject: 'after' } },
      ],
    });
    const [first, collection, after] = answer.body.compositeResponse;
    expect(first).toMatchObject({ httpStatusCode: 400, body: [{ errorCode: 'PROCESSING_HALTED' }] });
    expect(collection.httpStatusCode).toBe(200);
    expect(collection.body[1]).toMatchObject({ success: false, errors: [{ statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST' }] });
    expect(after).toMatchObject({ httpStatusCode: 400, body: [{ errorCode: 'PROCESSING_HALTED' }] });
    expect(sf.org.records('Task')).toHaveLength(before);
  });

  it('passes a subrequest its own headers (the duplicate rule header)', async () => {
    const answer = await rest('POST', '/composite', {
      allOrNone: true,
      compositeRequest: [
        {
          method: 'POST',
          url: '/services/data/v62.0/composite/sobjects',
          referenceId: 'leads',
          httpHeaders: { 'Sforce-Duplicate-Rule-Header': 'allowSave=true' },
          body: { allOrNone: true, records: [{ attributes: { type: 'Lead' }, ...leadLikeKen, Email: 'k5@other.example' }] },
        },
      ],
    });
    expect(answer.body.compositeResponse[0].body[0]).toMatchObject({ success: true });
  });
});

describe('sObject Collections type chunks', () => {
  it('refuses more than 10 chunks of consecutive same-type records, saving none', async () => {
    const before = sf.org.records('Task').length;
    const records = Array.from({ length: 11 }, (_, i) =>
      i % 2 === 0 ? { attributes: { type: 'Task' }, Subject: `t${i}` } : { attributes: { type: 'Account' }, Name: `a${i}` },
    );
    const answer = await rest('POST', '/composite/sobjects', { allOrNone: false, records });
    expect(answer.body).toHaveLength(11);
    for (const r of answer.body) expect(r).toMatchObject({ success: false, errors: [{ statusCode: 'EXCEEDED_MAX_TYPES_LIMIT' }] });
    expect(sf.org.records('Task')).toHaveLength(before);
    // Ten chunks are fine.
    expect((await rest('POST', '/composite/sobjects', { allOrNone: false, records: records.slice(0, 10) })).body[0].success).toBe(true);
  });
});

describe('replication windows', () => {
  const minute = (ms: number) => new Date(Math.floor(ms / 60_000) * 60_000).toISOString();
  it('needs start more than one minute before end, seconds ignored', async () => {
    const now = Date.now() - 10 * 60_000;
    const oneMinute = await rest(
      'GET',
      `/sobjects/Task/deleted/?start=${minute(now)}&end=${new Date(Date.parse(minute(now)) + 60_000 + 59_000).toISOString()}`,
    );
    expect(oneMinute.status).toBe(400);
    expect(oneMinute.body).toEqual([
      { errorCode: 'INVALID_REPLICATION_DATE', message: 'startDate must chronologically precede endDate by more than one minute' },
    ]);
    const twoMinutes = await rest(
      'GET',
      `/sobjects/Task/updated/?start=${minute(now)}&end=${new Date(Date.parse(minute(now)) + 120_000).toISOString()}`,
    );
    expect(twoMinutes.status).toBe(200);
  });

  it('reports the last purge of the recycle bin as earliestDateAvailable', async () => {
    const { id } = (await rest('POST', '/sobjects/Task', { Subject: 'to purge' })).body;
    await rest('DELETE', `/sobjects/Task/${id}`);
    const start = new Date(Date.now() - 3 * 86_400_000).toISOString();
    const end = new Date(Date.now() + 120_000).toISOString();
    const before = await rest('GET', `/sobjects/Task/deleted/?start=${start}&end=${end}`);
    expect(Date.parse(before.body.earliestDateAvailable)).toBeLessThan(Date.parse(start));
    expect(sf.control.emptyRecycleBin()).toBeGreaterThan(0);
    const after = await rest('GET', `/sobjects/Task/deleted/?start=${start}&end=${end}`);
    expect(Date.parse(after.body.earliestDateAvailable)).toBeGreaterThan(Date.parse(start));
    expect(after.body.deletedRecords).toEqual([]);
  });
});

describe('archived activities', () => {
  it('leaves closed tasks due more than 365 days ago out of query, not out of queryAll', async () => {
    const old = sf.control.addRecords({
      Task: [
        { '@ref': 'old', Subject: 'old and done', Status: 'Completed', ActivityDate: '$today-400', CreatedDate: '$now-400d' },
        { '@ref': 'open', Subject: 'old but open', Status: 'Not Started', ActivityDate: '$today-400', CreatedDate: '$now-400d' },
      ],
    });
    const q = encodeURIComponent("SELECT Id, IsArchived FROM Task WHERE Subject LIKE 'old%'");
    const live = await rest('GET', `/query?q=${q}`);
    expect(live.body.records.map((r: { Id: string }) => r.Id)).toEqual([old.open]);
    const all = await rest('GET', `/queryAll?q=${q}`);
    expect(all.body.records).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Id: old.old, IsArchived: true }),
        expect.objectContaining({ Id: old.open, IsArchived: false }),
      ]),
    );
    // Still readable by id.
    expect((await rest('GET', `/sobjects/Task/${old.old}`)).body).toMatchObject({ IsArchived: true });
  });
});

describe('datetimes', () => {
  it('are stored to the second', async () => {
    const { id } = (await rest('POST', '/sobjects/Task', { Subject: 'remind', ReminderDateTime: '2026-05-01T09:30:15.789Z' })).body;
    const rec = (await rest('GET', `/sobjects/Task/${id}`)).body;
    expect(rec.ReminderDateTime).toBe('2026-05-01T09:30:15.000+0000');
    expect(rec.CreatedDate).toMatch(/:\d\d\.000\+0000$/);
  });
});

describe('OAuth', () => {
  const tokenRequest = (origin: string) =>
    fetch(`${sf.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=refresh_token&refresh_token=nope&client_id=sales-activity-sync',
    });

  it('sends no CORS headers from the token endpoint unless the origin is allowlisted', async () => {
    const page = await tokenRequest('https://mail.google.com');
    expect(page.headers.get('access-control-allow-origin')).toBeNull();
    sf.control.configure({ corsOrigins: ['https://mail.google.com'] });
    expect((await tokenRequest('https://mail.google.com')).headers.get('access-control-allow-origin')).toBe('https://mail.google.com');
    expect((await tokenRequest('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('matches callback URLs exactly, as registered in the External Client App', async () => {
    const authorize = (redirectUri: string) => {
      const url = new URL('/services/oauth2/authorize', sf.url);
      url.search = new URLSearchParams({
        response_type: 'code',
        client_id: 'sales-activity-sync',
        redirect_uri: redirectUri,
        code_challenge: pkcePair().challenge,
      }).toString();
      return fetch(url, { redirect: 'manual' });
    };
    expect((await authorize(EXTENSION_REDIRECT_URI)).status).toBe(302);
    for (const near of [
      `${EXTENSION_REDIRECT_URI}/`,
      EXTENSION_REDIRECT_URI.replace('/oauth2', '/other'),
      'https://someotherextensionidxxxxxxxxxxxx.chromiumapp.org/oauth2',
      EXTENSION_REDIRECT_URI.toUpperCase(),
    ]) {
      const answer = await authorize(near);
      expect(answer.status).toBe(400);
      expect(await answer.text()).toContain('error=redirect_uri_mismatch');
    }
  });
});

describe('switches an admin sets', () => {
  it('a required custom field on Task: REQUIRED_FIELD_MISSING naming it, and describe says so', async () => {
    sf.control.configure({ taskRequiredFields: ['Region__c'] });
    const refused = await rest('POST', '/sobjects/Task', { Subject: 'x' });
    expect(refused).toMatchObject({
      status: 400,
      body: [{ errorCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [Region__c]', fields: ['Region__c'] }],
    });
    const field = (await rest('GET', '/sobjects/Task/describe')).body.fields.find((f: { name: string }) => f.name === 'Region__c');
    expect(field).toMatchObject({ nillable: false, custom: true });
    expect((await rest('POST', '/sobjects/Task', { Subject: 'x', Region__c: 'EMEA' })).status).toBe(201);
  });

  it('a validation rule on Task: FIELD_CUSTOM_VALIDATION_EXCEPTION with the admin message', async () => {
    sf.control.configure({
      taskValidationRule: {
        name: 'Type_required',
        errorMessage: 'Pick a Type for every task',
        requiredField: 'Type',
        errorDisplayField: 'Type',
      },
    });
    expect(await rest('POST', '/sobjects/Task', { Subject: 'x' })).toMatchObject({
      status: 400,
      body: [{ errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'Pick a Type for every task', fields: ['Type'] }],
    });
  });

  it('Shared Activities off: TaskRelation cannot be created and describe says so', async () => {
    sf.control.configure({ sharedActivities: false });
    const { id } = (await rest('POST', '/sobjects/Task', { Subject: 'x' })).body;
    expect((await rest('GET', '/sobjects/TaskRelation/describe')).body.createable).toBe(false);
    expect(await rest('POST', '/sobjects/TaskRelation', { TaskId: id, RelationId: ids.ken, IsWhat: false })).toMatchObject({
      status: 400,
      body: [{ errorCode: 'INVALID_TYPE_FOR_OPERATION' }],
    });
  });

  it('Enhanced Email off: no EmailMessageRelation, and a non-case email is refused', async () => {
    sf.control.configure({ enhancedEmail: false });
    expect((await rest('GET', '/sobjects/EmailMessageRelation/describe')).status).toBe(404);
    const global = (await rest('GET', '/sobjects')).body.sobjects.map((o: { name: string }) => o.name);
    expect(global).not.toContain('EmailMessageRelation');
    expect((await rest('POST', '/sobjects/EmailMessage', { Subject: 'hi', Status: '3' })).body[0]).toMatchObject({
      errorCode: 'FIELD_INTEGRITY_EXCEPTION',
    });
  });

  it('"Update Email Messages": a FromAddress relation added after a sent email is refused without it', async () => {
    const { id } = (await rest('POST', '/sobjects/EmailMessage', { Subject: 'hi', Status: '3', ToIds: [ids.ken] })).body;
    const from = { EmailMessageId: id, RelationType: 'FromAddress', RelationId: sf.org.defaultUser().Id };
    expect(await rest('POST', '/sobjects/EmailMessageRelation', from)).toMatchObject({
      status: 400,
      body: [{ errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY', fields: ['EmailMessageId'] }],
    });
    sf.control.configure({ updateEmailMessages: true });
    expect((await rest('POST', '/sobjects/EmailMessageRelation', from)).status).toBe(201);
  });

  it('over HTTP: GET and PATCH /__emulator/settings, with bad values refused', async () => {
    const patch = (body: unknown) =>
      fetch(`${sf.url}/__emulator/settings`, { method: 'PATCH', body: JSON.stringify(body) }).then(async (r) => ({
        status: r.status,
        body: await r.json(),
      }));
    expect(await patch({ leadDuplicateRule: 'block' })).toMatchObject({ status: 200, body: { leadDuplicateRule: 'block' } });
    expect(await patch({ leadDuplicateRule: 'sometimes' })).toMatchObject({ status: 400 });
    expect(await (await fetch(`${sf.url}/__emulator/settings`)).json()).toMatchObject({ leadDuplicateRule: 'block', enhancedEmail: true });
  });
});
