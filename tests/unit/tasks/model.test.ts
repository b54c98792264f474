/** Task input checks and the calendar arithmetic of the command center. */
import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { validateMessage } from '@/lib/messages';
import { addDays, checkNewTask, checkTaskChanges, isCalendarDate, localDate, localMoment, taskLink } from '@/lib/tasks/model';

const valid = { subject: 'Call Ito-san', details: '', dueDate: '2026-11-28', remindAt: null, priority: 'Normal', whoId: '', whoName: '' };

describe('checking a task', () => {
  it('accepts a whole task and trims the name to one line', () => {
    expect(checkNewTask({ ...valid, subject: '  Call\nIto-san  ' })).toEqual({ ok: true, value: { ...valid, subject: 'Call Ito-san' } });
  });

  it.each([
    [{ subject: '   ' }, 'subject', 'required'],
    [{ subject: 'x'.repeat(256) }, 'subject', 'tooLong'],
    [{ details: 'x'.repeat(32_001) }, 'details', 'tooLong'],
    [{ dueDate: '2026-02-30' }, 'dueDate', 'badDate'],
    [{ dueDate: '28/11/2026' }, 'dueDate', 'badDate'],
    [{ remindAt: -5 }, 'remindAt', 'badTime'],
    [{ priority: 'Urgent' }, 'priority', 'notAChoice'],
    [{ whoId: '001000000000001AAA' }, 'whoId', 'badRecord'],
  ])('refuses %j', (change, field, problem) => {
    expect(checkNewTask({ ...valid, ...change })).toEqual({ ok: false, field, problem });
  });

  it('refuses fields it does not know, so nothing else reaches the database', () => {
    expect(checkTaskChanges({ subject: 'x', sfId: '00T000000000001AAA' })).toMatchObject({ ok: false, field: 'task' });
  });

  it('is applied by the worker to what the popup sends', () => {
    const origin = fakeBrowser.runtime.getURL('/');
    const from = { id: fakeBrowser.runtime.id, url: `${origin}popup.html` };
    expect(validateMessage({ type: 'tasks/create', task: valid }, from, fakeBrowser.runtime.id, origin).ok).toBe(true);
    const bad = validateMessage({ type: 'tasks/create', task: { ...valid, dueDate: 'soon' } }, from, fakeBrowser.runtime.id, origin);
    expect(bad).toMatchObject({
      ok: false,
      error: { kind: 'invalidMessage', message: 'tasks/create: task.dueDate is not valid (badDate)' },
    });
    const fromMailPage = { id: fakeBrowser.runtime.id, url: 'https://mail.google.com/mail/u/0/', tab: { id: 1 }, frameId: 0 };
    expect(validateMessage({ type: 'tasks/delete', id: 'a' }, fromMailPage, fakeBrowser.runtime.id, origin)).toMatchObject({
      ok: false,
      error: { kind: 'forbiddenSender' },
    });
  });
});

describe('calendar dates', () => {
  it('count days on the calendar, across months, years and leap days', () => {
    expect(addDays('2026-11-30', 1)).toBe('2026-12-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(isCalendarDate('2027-02-29')).toBe(false);
  });

  it('read a local date and a local time as the rep means them', () => {
    const at = localMoment('2026-11-28', '09:30') as number;
    expect(localDate(at)).toBe('2026-11-28');
    expect(new Date(at).getHours()).toBe(9);
    expect(localMoment('2026-11-28', '25:00')).toBeNull();
  });

  it('label where a task stands with Salesforce', () => {
    const task = {
      id: 'a',
      subject: 's',
      details: '',
      dueDate: '',
      priority: 'Normal' as const,
      done: 0 as const,
      createdAt: 0,
      updatedAt: 0,
      pendingSync: 0 as const,
      deleted: 0 as const,
    };
    expect(taskLink(task)).toBe('onlyHere');
    expect(taskLink({ ...task, scope: 'sync' })).toBe('toSalesforce');
    expect(taskLink({ ...task, scope: 'sync', sfId: '00T000000000001AAA' })).toBe('inSalesforce');
    expect(taskLink({ ...task, sfId: '00T000000000001AAA', source: 'salesforce' })).toBe('fromSalesforce');
    expect(taskLink({ ...task, syncError: { kind: 'validation', message: 'x', at: 0 } })).toBe('refused');
  });
});
