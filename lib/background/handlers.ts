/**
 * The worker's answers to every message of lib/messages.ts. Each handler receives a request
 * that is already validated, from a sender that is already checked.
 */

import { database } from '../db';
import { type CheckedSender, type ComposeSettings, type Handlers, MessageError, type MessageType, type SettingsView } from '../messages';
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

export function createHandlers(worker: { version: string; startedAt: number }): Handlers {
  return {
    'content/hello': async (request, sender) => {
      if (sender.tabId !== undefined) await rememberMailTab(sender.tabId, request.provider);
      return composeSettingsOf(await loadSettings());
    },
    'settings/get': async () => settingsViewOf(await loadSettings()),
    'settings/change': async ({ changes }) => {
      const result = await changeSettings(changes);
      if (result.ok) return settingsViewOf(result.settings);
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
    'compose/preview': (request) => loggingWorker().preview(request),
    'mail/sent': async (request) => {
      const { type: _, ...report } = request;
      const result = await recordSentEmail(database(), report, (await loadSettings()).values);
      if (result.state === 'queued') loggingWorker().queued();
      return result;
    },
    'connection/get': () => connectionService().view(),
    'connection/connect': ({ environment, myDomain }) => connectionService().connect({ environment, myDomain }),
    'connection/disconnect': () => connectionService().disconnect(),
    'connection/check': () => connectionService().check(),
    ...onFirstUse(TASK_MESSAGES, taskHandlers),
    ...onFirstUse(LOGGING_MESSAGES, () => loggingWorker().handlers),
  };
}
