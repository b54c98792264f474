import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyPatch,
  type LocalFields,
  localFromRemote,
  type RemoteFields,
  recordFor,
  SYNCED_FIELDS,
  type SyncBase,
} from '@/lib/sync/fields';
import { type MergeDecision, mergeTask, type Side } from '@/lib/sync/merge';

const localBase: LocalFields = {
  subject: 'Call Ito-san',
  details: 'About the renewal',
  dueDate: '2026-11-28',
  priority: 'Normal',
  done: false,
  whoId: '003000000000001AAA',
};
const remoteBase: RemoteFields = {
  Subject: 'Call Ito-san',
  Description: 'About the renewal',
  ActivityDate: '2026-11-28',
  Priority: 'Normal',
  Status: 'Not Started',
  IsClosed: false,
  WhoId: '003000000000001AAA',
};
const base: SyncBase = { local: localBase, remote: remoteBase };

const here = (changes: Partial<LocalFields> = {}): Side<LocalFields> => ({ state: 'present', fields: { ...localBase, ...changes } });
const there = (changes: Partial<RemoteFields> = {}): Side<RemoteFields> => ({ state: 'present', fields: { ...remoteBase, ...changes } });
const deleted = { state: 'deleted' } as const;
const absent = { state: 'absent' } as const;

describe('merging one task: nothing or one side changed', () => {
  it('does nothing when neither side changed', () => {
    const decision = mergeTask({ base, local: here(), remote: there() });
    expect(decision).toEqual({ local: { kind: 'unchanged' }, remote: { kind: 'unchanged' }, base, pushed: [], conflicts: [] });
  });

  it.each([
    ['subject', { subject: 'Call Ito-san again' }, { Subject: 'Call Ito-san again' }],
    ['details', { details: '' }, { Description: null }],
    ['due date', { dueDate: '2026-12-01' }, { ActivityDate: '2026-12-01' }],
    ['no due date', { dueDate: '' }, { ActivityDate: null }],
    ['priority', { priority: 'High' as const }, { Priority: 'High' }],
    ['completion', { done: true }, { Status: 'Completed' }],
    ['contact', { whoId: '00Q000000000001AAA' }, { WhoId: '00Q000000000001AAA' }],
    ['no contact', { whoId: '' }, { WhoId: null }],
  ])('sends a %s changed here to Salesforce, only that field', (_, change, patch) => {
    const decision = mergeTask({ base, local: here(change), remote: there() });
    expect(decision.remote).toEqual({ kind: 'update', patch });
    expect(decision.local).toEqual({ kind: 'unchanged' });
    expect(decision.conflicts).toEqual([]);
    expect(decision.base?.local).toEqual({ ...localBase, ...change });
  });

  it.each([
    ['subject', { Subject: 'Visit Ito-san' }, { subject: 'Visit Ito-san' }],
    ['details', { Description: '' }, { details: '' }],
    ['due date', { ActivityDate: '2026-12-24' }, { dueDate: '2026-12-24' }],
    ['priority', { Priority: 'High' }, { priority: 'High' as const }],
    ['completion', { Status: 'Completed', IsClosed: true }, { done: true }],
    ['contact', { WhoId: '' }, { whoId: '' }],
  ])('takes a %s changed in Salesforce', (_, change, fields) => {
    const decision = mergeTask({ base, local: here(), remote: there(change) });
    expect(decision.local).toEqual({ kind: 'update', fields: { ...localBase, ...fields } });
    expect(decision.remote).toEqual({ kind: 'unchanged' });
    expect(decision.base?.remote).toEqual({ ...remoteBase, ...change });
  });

  it('reads a due date as the same calendar date, whatever the time zone', () => {
    const decision = mergeTask({ base, local: here(), remote: there({ ActivityDate: '2027-01-01' }) });
    expect(decision.local).toMatchObject({ fields: { dueDate: '2027-01-01' } });
  });

  it('reopens a task completed in Salesforce as "Not Started" when reopened here', () => {
    const done: SyncBase = { local: { ...localBase, done: true }, remote: { ...remoteBase, Status: 'Completed', IsClosed: true } };
    const decision = mergeTask({ base: done, local: here({ done: false }), remote: { state: 'present', fields: done.remote } });
    expect(decision.remote).toEqual({ kind: 'update', patch: { Status: 'Not Started' } });
  });
});

describe('Salesforce statuses the extension does not write', () => {
  const inProgress: SyncBase = { local: localBase, remote: { ...remoteBase, Status: 'In Progress' } };

  it('reads any open status as open and keeps it while nothing here changed', () => {
    const decision = mergeTask({ base, local: here(), remote: there({ Status: 'Waiting on someone else' }) });
    expect(decision.local).toEqual({ kind: 'unchanged' });
    expect(decision.remote).toEqual({ kind: 'unchanged' });
    expect(decision.base?.remote.Status).toBe('Waiting on someone else');
  });

  it('never overwrites it when another field changes here', () => {
    const decision = mergeTask({ base: inProgress, local: here({ subject: 'New' }), remote: there({ Status: 'In Progress' }) });
    expect(decision.remote).toEqual({ kind: 'update', patch: { Subject: 'New' } });
  });

  it('replaces it with Completed when the task is completed here', () => {
    const decision = mergeTask({ base: inProgress, local: here({ done: true }), remote: there({ Status: 'In Progress' }) });
    expect(decision.remote).toEqual({ kind: 'update', patch: { Status: 'Completed' } });
  });

  it('reads an org-defined closed status as completed and never rewrites it', () => {
    const decision = mergeTask({ base, local: here(), remote: there({ Status: 'Closed - Done', IsClosed: true }) });
    expect(decision.local).toEqual({ kind: 'update', fields: { ...localBase, done: true } });
    expect(decision.remote).toEqual({ kind: 'unchanged' });
  });
});

describe('Low priority stays here', () => {
  it('does not send Low to Salesforce', () => {
    const decision = mergeTask({ base, local: here({ priority: 'Low' }), remote: there() });
    expect(decision.remote).toEqual({ kind: 'unchanged' });
    expect(decision.base).toEqual({ local: { ...localBase, priority: 'Low' }, remote: remoteBase });
  });

  it("keeps Low on the next sync instead of reading Salesforce's unchanged Normal back", () => {
    const first = mergeTask({ base, local: here({ priority: 'Low' }), remote: there() });
    const second = mergeTask({ base: first.base, local: here({ priority: 'Low' }), remote: there() });
    expect(second.local).toEqual({ kind: 'unchanged' });
    expect(second.remote).toEqual({ kind: 'unchanged' });
  });

  it('creates a Low task as Normal in Salesforce', () => {
    expect(recordFor({ ...localBase, priority: 'Low' }).Priority).toBe('Normal');
  });

  it("reads Salesforce's own Low as Low", () => {
    expect(localFromRemote({ ...remoteBase, Priority: 'Low' }).priority).toBe('Low');
  });
});

describe('both sides changed', () => {
  it('takes the field each side changed when they changed different fields', () => {
    const decision = mergeTask({ base, local: here({ subject: 'Mine' }), remote: there({ ActivityDate: '2026-12-02' }) });
    expect(decision.local).toEqual({ kind: 'update', fields: { ...localBase, subject: 'Mine', dueDate: '2026-12-02' } });
    expect(decision.remote).toEqual({ kind: 'update', patch: { Subject: 'Mine' } });
    expect(decision.conflicts).toEqual([]);
  });

  it("keeps Salesforce's value when both changed the same field, and says so", () => {
    const decision = mergeTask({ base, local: here({ subject: 'Mine' }), remote: there({ Subject: 'Theirs' }) });
    expect(decision.local).toEqual({ kind: 'update', fields: { ...localBase, subject: 'Theirs' } });
    expect(decision.remote).toEqual({ kind: 'unchanged' });
    expect(decision.conflicts).toEqual([{ field: 'subject', kept: 'salesforce' }]);
  });

  it('reports no conflict when both made the same change', () => {
    const decision = mergeTask({ base, local: here({ done: true }), remote: there({ Status: 'Completed', IsClosed: true }) });
    expect(decision.remote).toEqual({ kind: 'unchanged' });
    expect(decision.local).toEqual({ kind: 'unchanged' });
    expect(decision.conflicts).toEqual([]);
  });

  it('keeps a completion made here over a status change in Salesforce', () => {
    const decision = mergeTask({ base, local: here({ done: true }), remote: there({ Status: 'In Progress' }) });
    expect(decision.remote).toEqual({ kind: 'update', patch: { Status: 'Completed' } });
    expect(decision.conflicts).toEqual([{ field: 'done', kept: 'completion' }]);
  });

  it('keeps a completion made in Salesforce over a reopen here', () => {
    const done: SyncBase = { local: { ...localBase, done: true }, remote: { ...remoteBase, Status: 'Completed', IsClosed: true } };
    const decision = mergeTask({
      base: done,
      local: here({ done: false }),
      remote: { state: 'present', fields: { ...done.remote, Status: 'Closed - Done' } },
    });
    expect(decision.local).toEqual({ kind: 'update', fields: { ...localBase, done: true } });
    expect(decision.remote).toEqual({ kind: 'unchanged' });
    expect(decision.conflicts).toEqual([{ field: 'done', kept: 'completion' }]);
  });

  it("takes Salesforce's open status when reopened on both sides", () => {
    const done: SyncBase = { local: { ...localBase, done: true }, remote: { ...remoteBase, Status: 'Completed', IsClosed: true } };
    const decision = mergeTask({ base: done, local: here({ done: false }), remote: there({ Status: 'In Progress' }) });
    expect(decision.remote).toEqual({ kind: 'unchanged' });
    expect(decision.base?.remote.Status).toBe('In Progress');
    expect(decision.conflicts).toEqual([]);
  });
});

describe('deletions', () => {
  it('deletes in Salesforce a task deleted here', () => {
    expect(mergeTask({ base, local: deleted, remote: there() })).toEqual({
      local: { kind: 'delete' },
      remote: { kind: 'delete' },
      base: null,
      pushed: [],
      conflicts: [],
    });
  });

  it('removes here a task deleted in Salesforce', () => {
    expect(mergeTask({ base, local: here(), remote: deleted })).toEqual({
      local: { kind: 'delete' },
      remote: { kind: 'unchanged' },
      base: null,
      pushed: [],
      conflicts: [],
    });
  });

  it('lets a deletion here win over an edit or a completion in Salesforce, and says so', () => {
    const decision = mergeTask({ base, local: deleted, remote: there({ Status: 'Completed', IsClosed: true }) });
    expect(decision.remote).toEqual({ kind: 'delete' });
    expect(decision.conflicts).toEqual([{ field: 'task', kept: 'deletionHere' }]);
  });

  it('lets a deletion in Salesforce win over a change here, and says so', () => {
    const decision = mergeTask({ base, local: here({ done: true }), remote: deleted });
    expect(decision.local).toEqual({ kind: 'delete' });
    expect(decision.conflicts).toEqual([{ field: 'task', kept: 'deletionInSalesforce' }]);
  });

  it('treats a task missing from Salesforce after it was synced as deleted there', () => {
    expect(mergeTask({ base, local: here(), remote: absent }).local).toEqual({ kind: 'delete' });
  });

  it('forgets a task deleted on both sides', () => {
    const decision = mergeTask({ base, local: deleted, remote: deleted });
    expect(decision).toEqual({ local: { kind: 'delete' }, remote: { kind: 'unchanged' }, base: null, pushed: [], conflicts: [] });
  });
});

describe('tasks on one side only', () => {
  it('creates in Salesforce a task made here', () => {
    const decision = mergeTask({ base: null, local: here({ priority: 'High', done: true }), remote: absent });
    expect(decision.remote).toEqual({
      kind: 'create',
      record: {
        Subject: 'Call Ito-san',
        Description: 'About the renewal',
        ActivityDate: '2026-11-28',
        Priority: 'High',
        Status: 'Completed',
        WhoId: '003000000000001AAA',
      },
    });
    expect(decision.base?.remote.IsClosed).toBe(true);
  });

  it('imports a Salesforce task this browser does not have', () => {
    const decision = mergeTask({ base: null, local: absent, remote: there({ Status: 'Deferred' }) });
    expect(decision.local).toEqual({ kind: 'create', fields: localBase });
    expect(decision.base?.remote.Status).toBe('Deferred');
  });

  it('refuses to guess a base for a task on both sides', () => {
    expect(() => mergeTask({ base: null, local: here(), remote: there() })).toThrow(/needs a base/);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties: random edits on both sides since a common base.

const date = fc.constantFrom('', '2026-11-27', '2026-11-28', '2026-11-29', '2027-01-01');
const who = fc.constantFrom('', '003000000000001AAA', '00Q000000000002AAA');
const text = fc.constantFrom('', 'Call', 'Send quote', 'Renewal');
const status = fc.constantFrom(
  { Status: 'Not Started', IsClosed: false },
  { Status: 'In Progress', IsClosed: false },
  { Status: 'Deferred', IsClosed: false },
  { Status: 'Completed', IsClosed: true },
  { Status: 'Closed - Done', IsClosed: true },
);
const remoteFields: fc.Arbitrary<RemoteFields> = fc
  .record({
    Subject: text,
    Description: text,
    ActivityDate: date,
    Priority: fc.constantFrom('High', 'Normal', 'Low'),
    status,
    WhoId: who,
  })
  .map(({ status: s, ...rest }) => ({ ...rest, ...s }));

/** A consistent base: the local side is what Salesforce's side reads as, possibly with a local-only Low. */
const baseArb: fc.Arbitrary<SyncBase> = fc
  .tuple(remoteFields, fc.boolean())
  .map(([remote, low]) => ({ remote, local: { ...localFromRemote(remote), ...(low ? { priority: 'Low' as const } : {}) } }));

const localEdit = (b: LocalFields): fc.Arbitrary<LocalFields> =>
  fc
    .record(
      {
        subject: text,
        details: text,
        dueDate: date,
        priority: fc.constantFrom('High' as const, 'Normal' as const, 'Low' as const),
        done: fc.boolean(),
        whoId: who,
      },
      { requiredKeys: [] },
    )
    .map((changes) => ({ ...b, ...changes }));

const remoteEdit = (b: RemoteFields): fc.Arbitrary<RemoteFields> =>
  fc
    .record(
      { Subject: text, Description: text, ActivityDate: date, Priority: fc.constantFrom('High', 'Normal', 'Low'), status, WhoId: who },
      { requiredKeys: [] },
    )
    .map(({ status: s, ...changes }) => ({ ...b, ...changes, ...(s ?? {}) }));

const scenario = baseArb.chain((b) =>
  fc.record({
    base: fc.constant(b),
    local: fc.oneof(
      { weight: 4, arbitrary: localEdit(b.local).map((fields) => ({ state: 'present' as const, fields })) },
      { weight: 1, arbitrary: fc.constant(deleted) },
    ),
    remote: fc.oneof(
      { weight: 4, arbitrary: remoteEdit(b.remote).map((fields) => ({ state: 'present' as const, fields })) },
      { weight: 1, arbitrary: fc.constant(deleted) },
    ),
  }),
);

/** Both sides after the decision's writes. */
function apply(input: { local: Side<LocalFields>; remote: Side<RemoteFields> }, d: MergeDecision) {
  let local: LocalFields | null = input.local.state === 'present' ? input.local.fields : null;
  let remote: RemoteFields | null = input.remote.state === 'present' ? input.remote.fields : null;
  if (d.local.kind === 'delete') local = null;
  if (d.local.kind === 'update' || d.local.kind === 'create') local = d.local.fields;
  if (d.remote.kind === 'delete') remote = null;
  if (d.remote.kind === 'update' && remote) remote = applyPatch(remote, d.remote.patch);
  return { local, remote };
}

describe('merge properties', () => {
  it('always leaves both sides agreeing, with the stored base equal to both', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const d = mergeTask(s);
        const after = apply(s, d);
        if (d.base === null) {
          expect(after).toEqual({ local: null, remote: null });
          return;
        }
        expect(after.local).toEqual(d.base.local);
        expect(after.remote).toEqual(d.base.remote);
        const read = localFromRemote(d.base.remote);
        for (const f of SYNCED_FIELDS) {
          if (f === 'priority' && d.base.local.priority === 'Low') continue;
          expect(d.base.local[f]).toEqual(read[f]);
        }
      }),
    );
  });

  it('is idempotent: merging the result again changes nothing', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const d = mergeTask(s);
        if (!d.base) return;
        const again = mergeTask({
          base: d.base,
          local: { state: 'present', fields: d.base.local },
          remote: { state: 'present', fields: d.base.remote },
        });
        expect(again.local).toEqual({ kind: 'unchanged' });
        expect(again.remote).toEqual({ kind: 'unchanged' });
        expect(again.conflicts).toEqual([]);
      }),
    );
  });

  it('never loses a deletion, and never loses a completion unless the task was deleted', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const d = mergeTask(s);
        if (s.local.state === 'deleted' || s.remote.state === 'deleted') {
          expect(d.base).toBeNull();
          return;
        }
        const completedHere = s.local.state === 'present' && s.local.fields.done && !s.base.local.done;
        const completedThere = s.remote.state === 'present' && s.remote.fields.IsClosed && !s.base.remote.IsClosed;
        if (completedHere || completedThere) {
          expect(d.base?.local.done).toBe(true);
          expect(d.base?.remote.IsClosed).toBe(true);
        }
      }),
    );
  });

  it('keeps every change made on one side only, and reports every overruled one', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        if (s.local.state !== 'present' || s.remote.state !== 'present') return;
        const d = mergeTask(s);
        const local = s.local.fields;
        const remote = localFromRemote(s.remote.fields);
        for (const f of SYNCED_FIELDS) {
          const changedHere = local[f] !== s.base.local[f];
          const remoteBase = localFromRemote(s.base.remote);
          const changedThere = f === 'done' ? s.remote.fields.Status !== s.base.remote.Status : remote[f] !== remoteBase[f];
          const final = d.base?.local[f];
          if (changedHere && !changedThere) expect(final).toEqual(local[f]);
          if (!changedHere && changedThere) expect(final).toEqual(remote[f]);
          if (changedHere && final !== local[f]) expect(d.conflicts.map((c) => c.field)).toContain(f);
        }
      }),
    );
  });

  it('never overwrites a Salesforce status when the task did not change state here, and never sends Low', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const d = mergeTask(s);
        if (d.remote.kind === 'update') {
          expect(d.remote.patch.Priority).not.toBe('Low');
          if (s.local.state === 'present' && s.local.fields.done === s.base.local.done) expect(d.remote.patch.Status).toBeUndefined();
        }
      }),
    );
  });
});

describe('after a sync was stopped between its Salesforce write and its local commit', () => {
  it('treats the fields that reached Salesforce as synced, so a later undo here is sent', () => {
    const first = mergeTask({ base, local: here({ subject: 'Visit' }), remote: there() });
    const intent = { base: first.base as SyncBase, pushed: first.pushed };
    // Salesforce got "Visit"; the local commit never happened; the rep then changed it back.
    const resumed = mergeTask({ base, intent, local: here(), remote: there({ Subject: 'Visit' }) });
    expect(resumed.remote).toEqual({ kind: 'update', patch: { Subject: 'Call Ito-san' } });
    expect(resumed.local).toEqual({ kind: 'unchanged' });
  });

  it('still takes a change made in Salesforce that the stopped sync was bringing here', () => {
    const first = mergeTask({ base, local: here(), remote: there({ Subject: 'Theirs' }) });
    const intent = { base: first.base as SyncBase, pushed: first.pushed };
    const resumed = mergeTask({ base, intent, local: here(), remote: there({ Subject: 'Theirs' }) });
    expect(resumed.local).toEqual({ kind: 'update', fields: { ...localBase, subject: 'Theirs' } });
    expect(resumed.remote).toEqual({ kind: 'unchanged' });
  });

  it('keeps what landed through a second interrupted sync', () => {
    const first = mergeTask({ base, local: here({ subject: 'Visit' }), remote: there() });
    const second = mergeTask({
      base,
      intent: { base: first.base as SyncBase, pushed: first.pushed },
      local: here({ subject: 'Visit' }),
      remote: there({ Subject: 'Visit' }),
    });
    expect(second.pushed).toEqual(['subject']);
    const third = mergeTask({
      base,
      intent: { base: second.base as SyncBase, pushed: second.pushed },
      local: here(),
      remote: there({ Subject: 'Visit' }),
    });
    expect(third.remote).toEqual({ kind: 'update', patch: { Subject: 'Call Ito-san' } });
  });

  it('ignores the intent for a field Salesforce changed again since', () => {
    const first = mergeTask({ base, local: here({ subject: 'Visit' }), remote: there() });
    const intent = { base: first.base as SyncBase, pushed: first.pushed };
    const resumed = mergeTask({ base, intent, local: here({ subject: 'Visit' }), remote: there({ Subject: 'Theirs' }) });
    expect(resumed.local).toEqual({ kind: 'update', fields: { ...localBase, subject: 'Theirs' } });
    expect(resumed.conflicts).toEqual([{ field: 'subject', kept: 'salesforce' }]);
  });
});
