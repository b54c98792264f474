/**
 * The one builder of sObject Collections (outbox and task sync): chunks of 200 records, and
 * per-record results read back in order.
 */
import { describe, expect, it } from 'vitest';
import { deleteCollections, readSaveResults, saveCollections, saveResultError } from '@/lib/salesforce/collections';

describe('sObject Collections', () => {
  it('sends at most 200 records per subrequest, each with its type', () => {
    const records = Array.from({ length: 450 }, (_, i) => ({ type: 'Task', fields: { Subject: `t${i}` } }));
    const subs = saveCollections('POST', records, { allOrNone: true, referenceId: (n) => `ac${n}` });
    expect(subs.map((s) => s.referenceId)).toEqual(['ac0', 'ac1', 'ac2']);
    const bodies = subs.map((s) => s.body as { allOrNone: boolean; records: Array<Record<string, unknown>> });
    expect(bodies.map((b) => b.records.length)).toEqual([200, 200, 50]);
    expect(bodies[2]!.records[49]).toEqual({ attributes: { type: 'Task' }, Subject: 't449' });
    expect(bodies.every((b) => b.allOrNone)).toBe(true);
  });

  it('deletes every id, 200 to a subrequest, not only the first 200', () => {
    const ids = Array.from({ length: 401 }, (_, i) => `00T${String(i).padStart(15, '0')}`);
    const subs = deleteCollections(ids, { allOrNone: false, referenceId: (n) => `undo${n}` });
    expect(subs).toHaveLength(3);
    const sent = subs.flatMap((s) => new URL(s.path, 'https://x.example').searchParams.get('ids')!.split(','));
    expect(sent).toEqual(ids);
    expect(subs.every((s) => s.method === 'DELETE' && s.path.endsWith('&allOrNone=false'))).toBe(true);
  });

  it("tells a record's own refusal from one rolled back because another record failed", () => {
    const results = readSaveResults([
      { id: '00T1', success: true, errors: [] },
      { success: false, errors: [{ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK', message: 'rolled back' }] },
      { success: false, errors: [{ statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'no prices', fields: ['Subject'] }] },
    ])!;
    expect(saveResultError(results[0]!)).toBeNull();
    expect(saveResultError(results[1]!)).toMatchObject({ rolledBack: true });
    expect(saveResultError(results[2]!)).toMatchObject({ rolledBack: false, error: { kind: 'validation', field: 'Subject' } });
    expect(readSaveResults({ message: 'not a list' })).toBeNull();
  });
});
