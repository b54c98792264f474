import { describe, expect, it } from 'vitest';
import { openDatabase } from '@/lib/db';

describe('the local database', () => {
  it('opens at its latest version with every table', async () => {
    const db = openDatabase('test-db');
    await db.open();
    expect(db.tables.map((t) => t.name).sort()).toEqual(['activities', 'addressCache', 'outbox', 'tasks', 'values']);
    db.close();
  });

  it('finds open tasks due on a day through the compound index, without a scan', async () => {
    const db = openDatabase('test-db');
    const base = { details: '', priority: 'Normal' as const, createdAt: 0, updatedAt: 0, pendingSync: 0 as const, deleted: 0 as const };
    await db.tasks.bulkAdd([
      { ...base, id: 'a', subject: 'Call Ito-san', dueDate: '2026-11-28', done: 0 },
      { ...base, id: 'b', subject: 'Send quote', dueDate: '2026-11-28', done: 1 },
      { ...base, id: 'c', subject: 'Renewal', dueDate: '2026-11-29', done: 0 },
    ]);
    const open = await db.tasks.where('[done+dueDate]').between([0, '2026-11-28'], [0, '2026-11-29'], true, true).toArray();
    expect(open.map((t) => t.id)).toEqual(['a', 'c']);
    db.close();
  });

  it('keeps one outbox entry per email key', async () => {
    const db = openDatabase('test-db');
    const entry = { key: 'gmail:rep@acme.com:msg-a:r1', kind: 'email' as const, createdAt: 1, nextAttemptAt: 1, attempts: 0, payload: {} };
    await db.outbox.add(entry);
    await expect(db.outbox.add(entry)).rejects.toThrow();
    db.close();
  });
});
