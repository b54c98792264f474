import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { composeSettingsOf, createHandlers } from '@/lib/background/handlers';
import { resumeLogging, startLoggingWorker } from '@/lib/background/logging-worker';
import { forgetMailTab, pushToMailTabs } from '@/lib/background/mail-tabs';
import { type ScriptingLike, SERVE_OPEN_TABS_ON, serveOpenMailTabs } from '@/lib/background/open-mail-tabs';
import { resumeTaskWork, startTaskWorker } from '@/lib/background/task-worker';
import { createMessageRouter, type WorkerPush } from '@/lib/messages';
import { CONNECTION_RETRY_ALARM } from '@/lib/salesforce/connection';
import { connectionService } from '@/lib/salesforce/worker-connection';
import { watchSettings } from '@/lib/settings';

/**
 * How long a new worker leaves what it catches up on (the outbox, reminders, an unfinished task
 * sync), so that the event that woke it is answered first; Chrome keeps a worker for 30 s after
 * its last event, so the catching up still happens (docs/performance.md).
 */
const CATCH_UP_DELAY_MS = 1_000;

export default defineBackground(() => {
  // Nothing here opens the database or builds the Salesforce client: each is made on first use.
  const route = createMessageRouter(
    createHandlers({ version: browser.runtime.getManifest().version, startedAt: Date.now() }),
    browser.runtime.id,
    browser.runtime.getURL('/'),
  );
  // Listeners are registered synchronously at start so that the message that woke the worker is seen.
  // The answer goes through sendResponse (kept open by returning true), which Chrome and Firefox
  // both honour; a returned promise is honoured only by Firefox and recent Chrome.
  browser.runtime.onMessage.addListener((message, sender, sendResponse) => {
    void route(message, sender).then(sendResponse);
    return true;
  });
  browser.tabs.onRemoved.addListener((tabId) => void forgetMailTab(tabId));
  // Mail tabs open since before this version started get its content scripts without a reload.
  browser.runtime.onInstalled.addListener(({ reason }) => {
    if (!SERVE_OPEN_TABS_ON.has(reason)) return;
    // WXT types `files` as the build's public paths; the manifest's own entries are such paths.
    void serveOpenMailTabs(
      browser.runtime.getManifest().content_scripts ?? [],
      browser.tabs,
      browser.scripting as unknown as ScriptingLike,
    );
  });
  // While Salesforce is unreachable, the connection retries on an alarm (the worker may sleep in between).
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === CONNECTION_RETRY_ALARM) void connectionService().onAlarm(alarm.name);
  });
  // Task sync on its alarm, reminders, and the queue of logged calls.
  startTaskWorker();
  // Sent emails and logged calls to Salesforce: one outbox, worked through after restarts too.
  startLoggingWorker();
  // Open mail tabs follow setting changes without a reload.
  watchSettings((settings) => {
    const push: WorkerPush = { type: 'settings/changed', settings: composeSettingsOf(settings) };
    void pushToMailTabs(browser.tabs, push);
  });
  setTimeout(() => {
    void resumeLogging().catch((error) => console.error('Logging to Salesforce failed', error));
    void resumeTaskWork().catch((error) => console.error('Starting task features failed', error));
  }, CATCH_UP_DELAY_MS);
});
