// @vitest-environment jsdom
/** The task sync line of the popup and the Sync settings card. */
import { cleanup, render, screen, waitFor } from '@testing-library/preact';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TaskSyncStatus } from '@/components/sync/TaskSyncStatus';
import { database } from '@/lib/db';
import { changeSettings } from '@/lib/settings';
import { IDLE_STATUS, STATUS_KEY, type TaskSyncStatus as Status } from '@/lib/sync/status';
import { connectPageToWorker } from '../support/worker-runtime';

const putStatus = (status: Partial<Status>) => database().values.put({ key: STATUS_KEY, value: { ...IDLE_STATUS, ...status } });

beforeEach(async () => {
  await Promise.all(database().tables.map((t) => t.clear()));
  connectPageToWorker('options.html');
});
afterEach(cleanup);

describe('the task sync status', () => {
  it('says sync is off in the popup, and shows nothing on the card', async () => {
    const { unmount } = render(<TaskSyncStatus compact />);
    await screen.findByText('Task sync with Salesforce is off. Switch it on in Settings.');
    unmount();
    const { container } = render(<TaskSyncStatus />);
    await new Promise((r) => setTimeout(r, 50));
    expect(container.textContent).toBe('');
  });

  it('shows the first sync importing, with a progress bar', async () => {
    await changeSettings({ taskSync: 'twoWay' });
    await putStatus({ running: true, heartbeat: Date.now(), importProgress: { done: 4000, total: 10000 } });
    render(<TaskSyncStatus />);
    await screen.findByText('Bringing in tasks from Salesforce: 4000 of 10000');
    const bar = screen.getByRole('progressbar', { name: 'First sync progress' }) as HTMLProgressElement;
    expect([bar.value, bar.max]).toEqual([4000, 10000]);
    expect((screen.getByRole('button', { name: 'Sync now' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('does not show a run as going on when its worker died', async () => {
    await changeSettings({ taskSync: 'oneWay' });
    await putStatus({ running: true, heartbeat: Date.now() - 10 * 60_000 });
    render(<TaskSyncStatus />);
    await screen.findByText('Not synced yet.');
  });

  it('lists the changes the conflict rule overruled', async () => {
    await changeSettings({ taskSync: 'twoWay' });
    await putStatus({
      last: { at: Date.now() - 120_000, ok: true, pulled: 3, pushed: 1, removed: 0, apiCalls: 2 },
      conflicts: [{ taskId: 'a', subject: 'Renewal', field: 'dueDate', kept: 'salesforce', at: 1 }],
    });
    render(<TaskSyncStatus />);
    await screen.findByText('Synced with Salesforce 2 minutes ago.');
    expect(screen.getByText('Last sync: 3 changes brought here, 1 sent to Salesforce, 0 removed here.')).toBeTruthy();
    expect(
      screen.getByText('“Renewal”: your change to the due date was replaced by the one made in Salesforce at the same time.'),
    ).toBeTruthy();
  });

  it('runs a sync on "Sync now" and explains why it could not', async () => {
    await changeSettings({ taskSync: 'twoWay' });
    const user = userEvent.setup();
    render(<TaskSyncStatus />);
    await user.click(await screen.findByRole('button', { name: 'Sync now' }));
    await waitFor(() => expect(screen.getByText(/Last sync did not complete: not connected to Salesforce/)).toBeTruthy());
  });
});
