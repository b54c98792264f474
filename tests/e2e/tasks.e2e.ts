/**
 * Tasks and calls in Chromium with the built extension, against the org emulator: a task made
 * in the popup reaches Salesforce on "Sync now", a completion made in Salesforce comes back to
 * the popup, and a call logged in the popup becomes a Call Task.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '../../lib/tasks/model';
import { type Emulator, startEmulator } from '../emulator';
import { connect } from '../emulator/client';
import { type ExtensionBrowser, launchWithExtension } from './support/browser';
import { connectThroughOptions } from './support/salesforce';

const SUBJECT = 'Send the revised quote to Emily';

describe('tasks and calls with Salesforce', () => {
  let sf: Emulator;
  let browser: ExtensionBrowser;
  let popup: Page;

  beforeAll(async () => {
    sf = await startEmulator({ port: 0 });
    const task = { Status: 'Not Started', Priority: 'Normal', TaskSubtype: 'Task', ActivityDate: localDate(Date.now()) };
    sf.control.addRecords({
      Task: [
        { ...task, Subject: 'Confirm the delivery date', CreatedDate: '$now-3h', LastModifiedDate: '$now-3h' },
        { ...task, Subject: 'Untouched for a week', CreatedDate: '$now-7d', LastModifiedDate: '$now-7d', SystemModstamp: '$now-7d' },
      ],
    });
    browser = await launchWithExtension({ locale: 'en' });
    const options = await connectThroughOptions(browser, sf);
    await options.getByRole('tab', { name: 'Sync settings' }).click();
    await options.getByLabel('Task sync').selectOption({ label: 'Two-way sync with my Salesforce tasks' });
    // The first sync starts by itself when sync is switched on.
    await options.locator('.task-sync-status', { hasText: 'Synced with Salesforce' }).waitFor({ timeout: 20_000 });
    await options.close();
    popup = await browser.open('popup.html');
  });
  afterAll(async () => {
    await browser?.close();
    await sf?.stop();
  });

  it('brought in the Salesforce tasks of the last day, and only those', async () => {
    await expect.poll(() => popup.getByRole('checkbox', { name: 'Confirm the delivery date' }).count()).toBe(1);
    expect(await popup.getByText('Untouched for a week').count()).toBe(0);
  });

  it('sends a task made in the popup to Salesforce at once, without waiting for the alarm', async () => {
    await popup.keyboard.press('n');
    await popup.getByLabel('Name').fill(SUBJECT);
    await popup.getByLabel('Priority').selectOption('High');
    await popup.getByLabel('Name').press('Enter');
    await expect.poll(() => popup.getByRole('checkbox', { name: SUBJECT }).count()).toBe(1);
    await expect.poll(() => sf.org.records('Task').filter((t) => t.Subject === SUBJECT).length, { timeout: 20_000 }).toBe(1);
    const [task] = sf.org.records('Task').filter((t) => t.Subject === SUBJECT);
    expect(task).toMatchObject({ Priority: 'High', Status: 'Not Started', OwnerId: sf.org.defaultUser().Id });
    await expect.poll(() => popup.locator('li.task', { hasText: SUBJECT }).textContent()).toContain('In Salesforce');
  });

  it('shows as completed a task completed in Salesforce, after "Sync now"', async () => {
    const [task] = sf.org.records('Task').filter((t) => t.Subject === SUBJECT);
    // Someone completes it in Salesforce (through the REST API, as any Salesforce client would).
    const user = await connect(sf.url);
    await user.sobject('Task').update({ Id: task?.Id as string, Status: 'Completed' });
    await popup.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => popup.getByRole('checkbox', { name: SUBJECT }).isChecked(), { timeout: 20_000 }).toBe(true);
  });

  it('logs a call from the popup as a Call task in Salesforce', async () => {
    await popup.getByRole('button', { name: 'Log a call' }).click();
    await popup.getByRole('combobox', { name: 'Contact or lead' }).fill('Harper');
    await popup.getByRole('option', { name: /Emily Harper/ }).click();
    await popup.getByRole('radio', { name: 'Inbound' }).check();
    await popup.getByLabel('Duration').fill('4:30');
    await popup.getByLabel('Outcome').fill('Connected');
    await popup.getByLabel('Reason').fill('Rollout schedule');
    await popup.getByLabel('Notes').fill('Go-live moves to March.');
    await popup.getByRole('button', { name: 'Log call' }).click();
    await expect.poll(() => popup.getByRole('status').textContent()).toContain('Call with Emily Harper saved.');
    const harper = sf.org.records('Contact').find((c) => c.LastName === 'Harper');
    await expect
      .poll(() => sf.org.records('Task').filter((t) => t.TaskSubtype === 'Call' && t.Subject === 'Call: Rollout schedule').length, {
        timeout: 20_000,
      })
      .toBe(1);
    const [call] = sf.org.records('Task').filter((t) => t.Subject === 'Call: Rollout schedule');
    expect(call).toMatchObject({
      CallType: 'Inbound',
      CallDurationInSeconds: 270,
      CallDisposition: 'Connected',
      Description: 'Go-live moves to March.',
      Status: 'Completed',
      WhoId: harper?.Id,
    });
  });

  it('logged no console error from any part', () => {
    expect(browser.errors).toEqual([]);
  });
});
