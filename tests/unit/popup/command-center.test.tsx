// @vitest-environment jsdom
/**
 * The popup's command center as a rep uses it, with the worker's real handlers behind it and
 * the database the worker writes.
 */
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { CommandCenter } from '@/components/popup/CommandCenter';
import { useTaskStore } from '@/components/popup/task-store';
import { database, type LocalTask } from '@/lib/db';
import { changeSettings } from '@/lib/settings';
import { addDays, localDate, localTime } from '@/lib/tasks/model';
import { reminderAlarmName } from '@/lib/tasks/reminders';
import { useLocale } from '../support/locale';
import { connectPageToWorker } from '../support/worker-runtime';

const today = localDate(Date.now());
let n = 0;
function task(subject: string, dueDate: string, extra: Partial<LocalTask> = {}): LocalTask {
  return {
    id: `t${n++}`,
    subject,
    details: '',
    dueDate,
    priority: 'Normal',
    done: 0,
    createdAt: 1,
    updatedAt: 1,
    pendingSync: 0,
    deleted: 0,
    rev: 1,
    scope: 'local',
    ...extra,
  };
}

beforeEach(async () => {
  await Promise.all(database().tables.map((t) => t.clear()));
  useTaskStore.setState({ agenda: null, editing: null, undo: null, error: null });
  connectPageToWorker('popup.html');
});
afterEach(cleanup);

const section = (name: RegExp) => screen.getByRole('region', { name: new RegExp(`${name.source} \\(\\d+\\)$`) });
const subjects = (region: HTMLElement) =>
  within(region)
    .queryAllByRole('listitem')
    .map((li) => li.querySelector('.task-subject')?.textContent);

describe('the command center', () => {
  it('lists open overdue tasks first, then today and tomorrow, and nothing else', async () => {
    await database().tasks.bulkAdd([
      task('Long overdue', addDays(today, -9)),
      task('Overdue', addDays(today, -1), { priority: 'High' }),
      task('Done last week', addDays(today, -3), { done: 1 }),
      task('Today low', today, { priority: 'Low' }),
      task('Today high', today, {
        priority: 'High',
        whoName: 'Emily Harper',
        sfId: '00T000000000001AAA',
        source: 'salesforce',
        scope: 'sync',
      }),
      task('Today done', today, { done: 1 }),
      task('Tomorrow', addDays(today, 1)),
      task('Next week', addDays(today, 7)),
      task('Deleted', today, { deleted: 1 }),
    ]);
    render(<CommandCenter />);
    await screen.findByText('Long overdue');
    const regions = screen.getAllByRole('region').map((r) => r.getAttribute('aria-labelledby'));
    expect(regions).toEqual(['tasks-heading', 'tasks-overdue', 'tasks-today', 'tasks-tomorrow']);
    expect(subjects(section(/^Overdue/))).toEqual(['Overdue', 'Long overdue']);
    expect(subjects(section(/^Today/))).toEqual(['Today high', 'Today low', 'Today done']);
    expect(subjects(section(/^Tomorrow, .+/))).toEqual(['Tomorrow']);
    const high = within(section(/^Today/)).getAllByRole('listitem')[0] as HTMLElement;
    expect(high.textContent).toContain('Emily Harper');
    expect(high.textContent).toContain('From Salesforce');
    expect(high.textContent).toContain('High');
  });

  it('creates a task from the keyboard, with a reminder, and it goes to Salesforce when sync is on', async () => {
    await changeSettings({ taskSync: 'twoWay' });
    const user = userEvent.setup();
    render(<CommandCenter />);
    await screen.findByText(/Nothing due today or tomorrow|Your tasks/);
    await user.keyboard('n');
    await user.keyboard('Call Ito-san about the quote');
    fireEvent.change(screen.getByLabelText('Due date'), { target: { value: addDays(today, 1) } });
    fireEvent.change(screen.getByLabelText('Remind me at'), { target: { value: '09:30' } });
    await user.type(screen.getByLabelText('Name'), '{Enter}');
    await waitFor(() => expect(subjects(section(/^Tomorrow, .+/))).toEqual(['Call Ito-san about the quote']));
    const [saved] = await database().tasks.toArray();
    expect(saved).toMatchObject({ subject: 'Call Ito-san about the quote', dueDate: addDays(today, 1), scope: 'sync', pendingSync: 1 });
    expect(localTime(saved?.remindAt as number)).toBe('09:30');
    expect(await fakeBrowser.alarms.get(reminderAlarmName(saved?.id as string))).toBeDefined();
  });

  it('refuses a task without a name and says so next to the field', async () => {
    const user = userEvent.setup();
    render(<CommandCenter />);
    await user.click(await screen.findByRole('button', { name: 'New task' }));
    await user.keyboard('{Enter}');
    expect(screen.getByText('Enter a name for the task.')).toBeTruthy();
    expect(screen.getByLabelText('Name').getAttribute('aria-invalid')).toBe('true');
    expect(await database().tasks.count()).toBe(0);
  });

  it('completes and reopens with Space, edits with E, and closes the editor with Escape', async () => {
    await database().tasks.add(task('Send the quote', today));
    const user = userEvent.setup();
    render(<CommandCenter />);
    const box = await screen.findByRole('checkbox', { name: 'Send the quote' });
    box.focus();
    await user.keyboard(' ');
    await waitFor(async () => expect((await database().tasks.toArray())[0]?.done).toBe(1));
    await waitFor(() => expect((screen.getByRole('checkbox', { name: 'Send the quote' }) as HTMLInputElement).checked).toBe(true));
    await user.keyboard(' ');
    await waitFor(async () => expect((await database().tasks.toArray())[0]?.done).toBe(0));
    await user.keyboard('e');
    const name = screen.getByLabelText('Name');
    await user.clear(name);
    await user.type(name, 'Send the revised quote{Enter}');
    await screen.findByRole('checkbox', { name: 'Send the revised quote' });
    await user.keyboard('e');
    await user.keyboard('{Escape}');
    expect(screen.queryByLabelText('Name')).toBeNull();
  });

  it('deletes with the Delete key and brings the task back with Undo or Ctrl+Z', async () => {
    await database().tasks.bulkAdd([task('Keep me', today), task('Oops', today)]);
    const user = userEvent.setup();
    render(<CommandCenter />);
    (await screen.findByRole('checkbox', { name: 'Oops' })).focus();
    await user.keyboard('{Delete}');
    await waitFor(() => expect(subjects(section(/^Today/))).toEqual(['Keep me']));
    expect(screen.getByRole('status').textContent).toContain('Deleted “Oops”.');
    await user.keyboard('{Control>}z{/Control}');
    await waitFor(() => expect(subjects(section(/^Today/))).toEqual(['Keep me', 'Oops']));
    (screen.getByRole('checkbox', { name: 'Oops' }) as HTMLElement).focus();
    await user.keyboard('{Delete}');
    await user.click(await screen.findByRole('button', { name: 'Undo' }));
    await waitFor(() => expect(subjects(section(/^Today/))).toEqual(['Keep me', 'Oops']));
  });

  it('moves between tasks with the arrow keys', async () => {
    await database().tasks.bulkAdd([task('First', addDays(today, -1)), task('Second', today), task('Third', addDays(today, 1))]);
    const user = userEvent.setup();
    render(<CommandCenter />);
    (await screen.findByRole('checkbox', { name: 'First' })).focus();
    await user.keyboard('{ArrowDown}');
    expect(document.activeElement).toBe(screen.getByRole('checkbox', { name: 'Second' }));
    await user.keyboard('{ArrowDown}{ArrowDown}');
    expect(document.activeElement).toBe(screen.getByRole('checkbox', { name: 'Third' }));
    await user.keyboard('{ArrowUp}');
    expect(document.activeElement).toBe(screen.getByRole('checkbox', { name: 'Second' }));
  });

  it('shows tasks the sync brings in while the popup is open', async () => {
    render(<CommandCenter />);
    await screen.findByText(/Your tasks/);
    await act(async () => {
      await database().tasks.add(task('Arrived from Salesforce', today, { source: 'salesforce', sfId: '00T000000000002AAA' }));
    });
    await screen.findByText('Arrived from Salesforce');
  });

  it('opens the task a reminder was about', async () => {
    await database().tasks.add(task('Call back', addDays(today, 5), { id: 'reminded' }));
    location.hash = '#task=reminded';
    render(<CommandCenter />);
    expect(((await screen.findByLabelText('Name')) as HTMLInputElement).value).toBe('Call back');
  });

  it('speaks Japanese', async () => {
    await useLocale('ja');
    await database().tasks.add(task('見積書の送付', today));
    render(<CommandCenter />);
    await screen.findByText('見積書の送付');
    expect(screen.getByRole('button', { name: '新しいタスク' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: '今日 (1)' })).toBeTruthy();
  });
});
