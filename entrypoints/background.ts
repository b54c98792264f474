import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { composeSettingsOf, createHandlers } from '@/lib/background/handlers';
import { startLoggingWorker } from '@/lib/background/logging-worker';
import { forgetMailTab, pushToMailTabs } from '@/lib/background/mail-tabs';
import { type ScriptingLike, SERVE_OPEN_TABS_ON, serveOpenMailTabs } from '@/lib/background/open-mail-tabs';
import { startTaskWorker } from '@/lib/background/task-worker';
import { createMessageRouter, type WorkerPush } from '@/lib/messages';
import { connectionService } from '@/lib/salesforce/worker-connection';
import { watchSettings } from '@/lib/settings';

export default defineBackground(() => {
  const route = createMessageRouter(
    createHandlers({ version: browser.runtime.getManifest().version, startedAt: Date.now() }),
    browser.runtime.id,
    browser.runtime.getURL('/'),
  );
  // Listeners are registered synchronously at start so that the message that woke the worker is seen.
  browser.runtime.onMessage.addListener((message, sender) => route(message, sender));
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
  browser.alarms.onAlarm.addListener((alarm) => void connectionService().onAlarm(alarm.name));
  // Task sync on its alarm, reminders, and the queue of logged calls.
  startTaskWorker();
  // Sent emails and logged calls to Salesforce: one outbox, worked through after restarts too.
  startLoggingWorker();
  // Open mail tabs follow setting changes without a reload.
  watchSettings((settings) => {
    const push: WorkerPush = { type: 'settings/changed', settings: composeSettingsOf(settings) };
    void pushToMailTabs(browser.tabs, push);
  });
});
