/**
 * The worker's answers to every message of lib/messages.ts. Each handler receives a request
 * that is already validated, from a sender that is already checked.
 */

import { database } from '../db';
import { type ComposeSettings, type Handlers, MessageError, type SettingsView } from '../messages';
import { ownerOf } from '../outbox/plan';
import { recordSentEmail } from '../outbox/queue';
import { connectionService } from '../salesforce/worker-connection';
import { changeSettings, loadSettings, type ResolvedSettings } from '../settings';
import { loggingWorker } from './logging-worker';
import { rememberMailTab } from './mail-tabs';
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
      const session = await connectionService().client.currentSession();
      const result = await recordSentEmail(
        database(),
        report,
        (await loadSettings()).values,
        Date.now(),
        session ? ownerOf(session) : undefined,
      );
      if (result.state === 'queued') loggingWorker().queued();
      return result;
    },
    'connection/get': () => connectionService().view(),
    'connection/connect': ({ environment, myDomain }) => connectionService().connect({ environment, myDomain }),
    'connection/disconnect': () => connectionService().disconnect(),
    'connection/check': () => connectionService().check(),
    ...taskHandlers(),
    ...loggingWorker().handlers,
  };
}
