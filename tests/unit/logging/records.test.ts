import { describe, expect, it } from 'vitest';
import { type Capabilities, capabilitiesFrom, loggingMode } from '@/lib/logging/capabilities';
import { type EmailToLog, emailWrite, headerBlock, messageIdentifier, type RecordContext } from '@/lib/logging/email-records';
import { matchEmail, type PersonRecord } from '@/lib/logging/matching';
import { buildWriteBatch, packUnits, readWriteBatch } from '@/lib/outbox/write-batch';
import type { SubResult } from '@/lib/salesforce/composite';

const capabilities: Capabilities = capabilitiesFrom({
  Task: {
    name: 'Task',
    createable: true,
    fields: [
      { name: 'Subject', length: 255 },
      { name: 'Description', length: 32_000 },
      { name: 'Status', picklistValues: [{ value: 'Not Started' }, { value: 'Completed' }] },
      { name: 'TaskSubtype', picklistValues: [{ value: 'Task' }, { value: 'Email' }, { value: 'Call' }] },
    ],
  },
  TaskRelation: { name: 'TaskRelation', createable: true, fields: [] },
  EmailMessage: {
    name: 'EmailMessage',
    createable: true,
    fields: [
      { name: 'RelatedToId' },
      { name: 'MessageIdentifier' },
      { name: 'HtmlBody', length: 131_072 },
      { name: 'TextBody', length: 131_072 },
    ],
  },
  EmailMessageRelation: { name: 'EmailMessageRelation', createable: true, fields: [] },
});

const email: EmailToLog = {
  key: 'gmail:rep@acme.com:msg-a:r1',
  provider: 'gmail',
  mailbox: 'rep@acme.com',
  from: { email: 'rep@acme.com', name: 'Rep' },
  to: [{ email: 'jane@customer.com', name: 'Jane Doe' }],
  cc: [{ email: 'bob@customer.com' }, { email: 'nobody@prospect.io' }],
  subject: 'Quote\nfor Q4',
  bodyHtml: '<p>Hello <b>Jane</b></p>',
  // 23:30 UTC on the 27th is the 28th in Tokyo.
  sentAt: Date.parse('2026-11-27T23:30:00Z'),
  rfcMessageId: '<CAF123@mail.gmail.com>',
};

const jane: PersonRecord = {
  id: '003000000000001AAA',
  type: 'Contact',
  accountId: '001000000000001AAA',
  name: 'Jane Doe',
  email: 'jane@customer.com',
};
const bob: PersonRecord = { id: '003000000000002AAA', type: 'Contact', accountId: '001000000000001AAA', email: 'bob@customer.com' };
const records = new Map([
  ['jane@customer.com', [jane]],
  ['bob@customer.com', [bob]],
]);

function context(over: Partial<RecordContext> = {}, logAs: 'task' | 'enhancedEmail' = 'task'): RecordContext {
  return {
    settings: { logBody: true, subjectTemplate: '{{activity_type}}: {{activity_subject}}', relatedRecords: 'account' },
    capabilities,
    mode: loggingMode(logAs, capabilities),
    userId: '005000000000001AAA',
    timeZone: 'Asia/Tokyo',
    truncatedMarker: '[cut]',
    ...over,
  };
}

const match = (noMatch: 'unresolved' | 'createLead' = 'unresolved') => {
  const m = matchEmail(
    [
      { email: 'jane@customer.com', name: 'Jane Doe', role: 'to' },
      { email: 'bob@customer.com', role: 'cc' },
      { email: 'nobody@prospect.io', role: 'cc' },
    ],
    (e) => records.get(e) ?? [],
    { logToContacts: true, logToLeads: true, multipleMatches: 'all', noMatch },
  );
  if (m.kind !== 'log') throw new Error('expected a match');
  return m;
};

describe('a Task for a sent email', () => {
  it('is an Email subtype, Completed, dated the send day in the rep time zone, subject from the template on one line', () => {
    const unit = emailWrite(email, match(), context());
    expect(unit.activities).toHaveLength(1);
    expect(unit.activities[0]!.fields).toMatchObject({
      Subject: 'Email: Quote for Q4',
      Status: 'Completed',
      TaskSubtype: 'Email',
      ActivityDate: '2026-11-28',
      WhoId: jane.id,
      WhatId: jane.accountId,
    });
    // The further contact through TaskRelation (Shared Activities).
    expect(unit.children).toEqual([
      { type: 'TaskRelation', fields: { TaskId: { ref: 'activity', index: 0 }, RelationId: bob.id, IsWhat: false } },
    ]);
  });

  it('describes the email with its headers, Message-ID and the body as text', () => {
    const unit = emailWrite(email, match(), context());
    expect(unit.activities[0]!.fields.Description).toBe(
      [
        'From: Rep <rep@acme.com>',
        'To: Jane Doe <jane@customer.com>',
        'Cc: bob@customer.com, nobody@prospect.io',
        'Date: 2026-11-28 08:30 (Asia/Tokyo)',
        'Subject: Quote for Q4',
        'Message-ID: <CAF123@mail.gmail.com>',
        '',
        'Hello Jane',
      ].join('\n'),
    );
    expect(unit.proof).toEqual({ type: 'Task', subject: 'Email: Quote for Q4', marker: 'Message-ID: <CAF123@mail.gmail.com>' });
  });

  it('keeps only the headers when the rep does not log bodies', () => {
    const unit = emailWrite(
      email,
      match(),
      context({ settings: { logBody: false, subjectTemplate: 'Email: {{activity_subject}}', relatedRecords: 'none' } }),
    );
    expect(String(unit.activities[0]!.fields.Description)).not.toContain('Hello');
    expect(unit.activities[0]!.fields.WhatId).toBeUndefined();
  });

  it('cuts a long body to the Description length, keeping the Message-ID line', () => {
    const long = { ...email, bodyHtml: `<p>${'本文'.repeat(30_000)}</p>` };
    const description = String(emailWrite(long, match(), context()).activities[0]!.fields.Description);
    expect(description.length).toBeLessThanOrEqual(32_000);
    expect(description).toContain('Message-ID: <CAF123@mail.gmail.com>');
    expect(description.endsWith('[cut]')).toBe(true);
  });

  it('creates the lead first and points a task of its own at it, without WhatId', () => {
    const unit = emailWrite(email, match('createLead'), context());
    expect(unit.leads).toEqual([{ LastName: 'Nobody', Company: 'Prospect', Email: 'nobody@prospect.io' }]);
    expect(unit.activities[1]!.fields.WhoId).toEqual({ ref: 'lead', index: 0 });
    expect(unit.activities[1]!.fields.WhatId).toBeUndefined();
  });

  it('falls back to Type = Email, and says so, where TaskSubtype is missing', () => {
    const old = capabilitiesFrom({ Task: { name: 'Task', fields: [{ name: 'Type', picklistValues: [{ value: 'Email' }] }] } });
    const mode = loggingMode('task', old);
    expect(mode.notes).toEqual(['taskSubtypeUnavailable']);
    const fields = emailWrite(email, match(), context({ capabilities: old, mode })).activities[0]!.fields;
    expect(fields.Type).toBe('Email');
    expect(fields.TaskSubtype).toBeUndefined();
  });
});

describe('an Enhanced Email for a sent email', () => {
  it('is an EmailMessage with Status 3, its Message-ID, bodies, the matched people in ToIds/CcIds and the sender related', () => {
    const unit = emailWrite(email, match(), context({}, 'enhancedEmail'));
    expect(unit.activities).toEqual([
      {
        type: 'EmailMessage',
        fields: expect.objectContaining({
          Status: '3',
          MessageIdentifier: '<CAF123@mail.gmail.com>',
          FromAddress: 'rep@acme.com',
          ToAddress: null,
          ToIds: [jane.id],
          CcIds: [bob.id],
          // Only an address that is no record stays as text.
          CcAddress: 'nobody@prospect.io',
          TextBody: 'Hello Jane',
          HtmlBody: '<p>Hello <b>Jane</b></p>',
          RelatedToId: jane.accountId,
          Incoming: false,
        }),
      },
    ]);
    expect(unit.children.map((c) => [c.fields.RelationType, c.fields.RelationId])).toEqual([['FromAddress', '005000000000001AAA']]);
    expect(unit.proof).toEqual({ type: 'EmailMessage', identifier: '<CAF123@mail.gmail.com>' });
  });

  it('points ToIds at a lead created in the same write', () => {
    const unit = emailWrite(email, match('createLead'), context({}, 'enhancedEmail'));
    expect(unit.activities[0]!.fields.CcIds).toEqual([bob.id, { ref: 'lead', index: 0 }]);
    expect(buildWriteBatch([unit]).subrequests.find((s) => s.referenceId === 'ac0')?.body).toMatchObject({
      records: [{ CcIds: [bob.id, '@{ld0[0].id}'] }],
    });
  });

  it('falls back to a Task, with a note, when the org has no Enhanced Email', () => {
    const noEnhanced = { ...capabilities, enhancedEmail: false };
    const mode = loggingMode('enhancedEmail', noEnhanced);
    expect(mode).toEqual({ as: 'task', notes: ['enhancedEmailUnavailable'] });
  });

  it('names an email without an RFC Message-ID by its provider id, stable and unique', () => {
    const { rfcMessageId: _, ...noId } = email;
    expect(messageIdentifier(noId)).toBe('<gmail-rep-acme.com-msg-a-r1@sales-activity-sync.invalid>');
    expect(headerBlock(noId, 'UTC')).toContain('Message-ID: <gmail-rep-acme.com-msg-a-r1@sales-activity-sync.invalid>');
  });
});

describe('writing many emails in one call', () => {
  const units = Array.from({ length: 3 }, (_, i) =>
    emailWrite({ ...email, key: `k${i}`, rfcMessageId: `<m${i}@x>` }, match('createLead'), context()),
  );

  it('puts leads, tasks and relations in collections with references across them, the duplicate check first', () => {
    const batch = buildWriteBatch(units);
    expect(batch.subrequests.map((s) => s.referenceId)).toEqual(['dup', 'ld0', 'ac0', 'ch0']);
    const tasks = (batch.subrequests[2]!.body as { records: Array<Record<string, unknown>> }).records;
    expect(tasks[1]).toMatchObject({ attributes: { type: 'Task' }, WhoId: '@{ld0[0].id}' });
    expect(tasks[3]).toMatchObject({ WhoId: '@{ld0[1].id}' });
    const relations = (batch.subrequests[3]!.body as { records: Array<Record<string, unknown>> }).records;
    expect(relations[1]).toMatchObject({ TaskId: '@{ac0[2].id}' });
  });

  it('reads ids back per email, and which emails another tool had logged', () => {
    const batch = buildWriteBatch(units);
    const ok = (ids: string[]): SubResult => ({ ok: true, status: 200, body: ids.map((id) => ({ id, success: true, errors: [] })) });
    const results: SubResult[] = [
      { ok: true, status: 200, body: { records: [{ Id: '02sX', MessageIdentifier: '<m1@x>' }] } },
      ok(['00Q1', '00Q2', '00Q3']),
      ok(['00T1', '00T2', '00T3', '00T4', '00T5', '00T6']),
      ok(['0RT1', '0RT2', '0RT3']),
    ];
    const outcome = readWriteBatch(batch, results);
    expect(outcome.committed).toBe(true);
    if (!outcome.committed) return;
    expect(outcome.ids.get('k1')).toEqual({ activities: ['00T3', '00T4'], children: ['0RT2'], leads: ['00Q2'] });
    expect([...outcome.duplicates]).toEqual(['k1']);
  });

  it('names the email whose record Salesforce refused', () => {
    const batch = buildWriteBatch(units);
    const rolledBack = { id: null, success: false, errors: [{ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK', message: 'rolled back' }] };
    const results: SubResult[] = [
      { ok: true, status: 200, body: { records: [] } },
      { ok: true, status: 200, body: [rolledBack, rolledBack, rolledBack] },
      {
        ok: true,
        status: 200,
        body: [
          rolledBack,
          rolledBack,
          {
            id: null,
            success: false,
            errors: [{ statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'Subject must not say Quote' }],
          },
        ],
      },
    ];
    const outcome = readWriteBatch(batch, results);
    expect(outcome).toMatchObject({
      committed: false,
      culprit: { key: 'k1', error: { kind: 'validation', message: 'Subject must not say Quote' } },
    });
  });

  it('never takes a call whose every subrequest was halted for a success', () => {
    const batch = buildWriteBatch(units);
    const halted: SubResult = {
      ok: false,
      status: 400,
      halted: true,
      body: null,
      error: { kind: 'rejected', errorCode: 'PROCESSING_HALTED', message: 'The transaction was rolled back' },
    };
    expect(
      readWriteBatch(
        batch,
        batch.subrequests.map(() => halted),
      ),
    ).toMatchObject({ committed: false, culprit: null, error: { errorCode: 'PROCESSING_HALTED' } });
  });

  it('packs units into calls of at most five queries and collections', () => {
    const many = Array.from({ length: 450 }, (_, i) => emailWrite({ ...email, key: `m${i}` }, match(), context()));
    const { batches } = packUnits(many, { reservedFirst: 2 });
    for (const [i, b] of batches.entries()) {
      const heavy = buildWriteBatch(b).subrequests.length;
      expect(heavy).toBeLessThanOrEqual(i === 0 ? 3 : 5);
    }
    expect(batches.flat()).toHaveLength(450);
  });
});
