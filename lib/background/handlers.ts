/**
 * The worker's answers to every message of lib/messages.ts. Each handler receives a request
 * that is already validated, from a sender that is already checked.
 */

import { browser } from 'wxt/browser';
import { database } from '../db';
import { recordDiagnostics } from '../diagnostics/store';
import { readAnswer, recordReceivedMail, rememberSentThread } from '../logging/inbound';
import { logThisEmail, messageStatuses, relatedOptions } from '../logging/reading-pane';
import { createRelatedPacing } from '../logging/related-pacing';
import type { MailProvider } from '../mail/types';
import { type CheckedSender, type ComposeSettings, type Handlers, MessageError, type MessageType, type SettingsView } from '../messages';
import { ownerOf } from '../outbox/plan';
import { recordSentEmail } from '../outbox/queue';
import { connectionService } from '../salesforce/worker-connection';
import { changeSettings, loadSettings, type ResolvedSettings } from '../settings';
import { LOGGING_MESSAGES, loggingWorker } from './logging-worker';
import { rememberMailTab } from './mail-tabs';
import { TASK_MESSAGES } from './task-handlers';
import { taskHandlers } from './task-worker';

export function composeSettingsOf({ values }: ResolvedSettings): ComposeSettings {
  return {
    emailLogging: values.emailLogging,
    bccAddress: values.bccAddress,
    composeDefaultOn: values.composeDefaultOn,
    undoSendSeconds: values.undoSendSeconds,
    scheduledSends: values.scheduledSends,
    internalDomains: values.internalDomains,
    neverLog: values.neverLog,
    loggedMailboxes: values.loggedMailboxes,
  };
}

export const settingsViewOf = ({ values, locked, policy }: ResolvedSettings): SettingsView => ({
  values,
  locked: [...locked],
  policy: { settings: policy.settings, locked: [...policy.locked] },
});

/**
 * Handlers whose table is built when one of them is first called: building it opens the
 * database, which a worker woken for something else need not do.
 */
function onFirstUse<K extends MessageType>(types: readonly K[], make: () => Pick<Handlers, K>): Pick<Handlers, K> {
  let table: Pick<Handlers, K> | undefined;
  const lazy: Partial<Pick<Handlers, K>> = {};
  for (const type of types) {
    const handle = (request: unknown, sender: CheckedSender) => {
      table ??= make();
      return (table[type] as (request: unknown, sender: CheckedSender) => unknown)(request, sender);
    };
    lazy[type] = handle as Handlers[K];
  }
  return lazy as Pick<Handlers, K>;
}

function readingPaneHandlers(): Pick<Handlers, 'reading/status' | 'reading/logThis' | 'reading/related'> {
  const related = createRelatedPacing(async (addresses) =>
    relatedOptions(connectionService().client, addresses, (await loadSettings()).values.relatedRecords),
  );
  return {
    'reading/status': async ({ provider, mailbox, messageIds }) => {
      const [statuses, connection] = await Promise.all([
        messageStatuses(database(), provider, mailbox.toLowerCase(), messageIds),
        connectionService().view(),
      ]);
      const instanceUrl = connection.state.status === 'notConnected' ? null : (connection.state.profile?.instanceUrl ?? null);
      return { statuses, instanceUrl };
    },
    'reading/logThis': async ({ provider, mailbox, message, whatId }) => {
      const session = await connectionService().client.currentSession();
      const owner = session ? ownerOf(session) : undefined;
      const status = await logThisEmail(database(), provider, mailbox, message, (await loadSettings()).values, whatId, Date.now(), owner);
      if (status.state === 'queued') loggingWorker().queued();
      return status;
    },
    'reading/related': async ({ addresses }, sender) => {
      const found = await related(addresses, sender.tabId);
      if (!found)
        throw new MessageError({ kind: 'salesforce', message: 'this tab asked Salesforce too often', salesforce: 'limitExceeded' });
      if (!found.ok) throw new MessageError({ kind: 'salesforce', message: found.error.message, salesforce: found.error.kind });
      return { options: found.options, preselected: found.preselected };
    },
  };
}

export function createHandlers(worker: { version: string; startedAt: number }): Handlers {
  return {
    'content/hello': async (request, sender) => {
      if (sender.tabId !== undefined) await rememberMailTab(sender.tabId, request.provider);
      return composeSettingsOf(await loadSettings());
    },
    // Into the sender's own tab and top frame (where the content script runs), its isolated world.
    'script/load': async ({ script }, sender) => {
      const tabId = sender.tabId as number;
      try {
        await browser.scripting.executeScript({ target: { tabId }, files: [`/${script}.js`] });
      } catch (error) {
        // The tab closed (or navigated away) while the worker woke: nothing is left to load into.
        if (
          await browser.tabs.get(tabId).then(
            () => true,
            () => false,
          )
        )
          throw error;
      }
      return null;
    },
    'settings/get': async () => settingsViewOf(await loadSettings()),
    'settings/change': async ({ changes }) => {
      const result = await changeSettings(changes);
      if (result.ok) return settingsViewOf(result.settings);
      if (result.problem === 'storageFull') {
        throw new MessageError({
          kind: 'settingsStorageFull',
          message: `the browser's sync storage refused "${result.key}"`,
          field: result.key,
        });
      }
      throw new MessageError(
        result.problem === 'locked'
          ? { kind: 'settingLocked', message: `"${result.key}" is set by your administrator`, field: result.key }
          : {
              kind: 'settingInvalid',
              message: `"${result.key}" is not valid (${result.problem})`,
              field: result.key,
              problem: result.problem,
            },
      );
    },
    'worker/status': () => ({ version: worker.version, startedAt: worker.startedAt }),
    'compose/preview': (request, sender) => loggingWorker().preview(request, sender.tabId),
    // Only content scripts may send it: the rule checks the sender, which names the provider.
    'diag/count': ({ counts }, sender) => recordDiagnostics(sender.provider as MailProvider, counts),
    'mail/sent': async (request) => {
      const { type: _, ...report } = request;
      const session = await connectionService().client.currentSession();
      const result = await recordSentEmail(
        database(),
        report,
        (await loadSettings()).values,
        Date.now(),
        session ? ownerOf(session) : undefined,
      );
      if (result.state === 'queued') await rememberSentThread(database(), report);
      if (result.state === 'queued') loggingWorker().queued();
      return result;
    },
    'mail/received': async (request) => {
      const { type: _, ...report } = request;
      const messages = readAnswer(report.provider, report.url, report.text);
      if (messages.length === 0) return { results: [], messages };
      const session = await connectionService().client.currentSession();
      const results = await recordReceivedMail(
        database(),
        { provider: report.provider, mailbox: report.mailbox, messages },
        (await loadSettings()).values,
        Date.now(),
        session ? ownerOf(session) : undefined,
      );
      if (results.some((r) => r.state === 'queued')) loggingWorker().queued();
      return { results, messages };
    },
    ...readingPaneHandlers(),
    'connection/get': () => connectionService().view(),
    'connection/connect': ({ environment, myDomain }) => connectionService().connect({ environment, myDomain }),
    'connection/disconnect': () => connectionService().disconnect(),
    'connection/check': () => connectionService().check(),
    ...onFirstUse(TASK_MESSAGES, taskHandlers),
    ...onFirstUse(LOGGING_MESSAGES, () => loggingWorker().handlers),
  };
}
