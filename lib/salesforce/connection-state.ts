/**
 * The connection as the rep sees it, and how it changes. Pure: the worker feeds it events
 * (a connect began or ended, a call succeeded or failed) and stores the result for the
 * popup and the options page. No tokens here: this state is safe to show anywhere.
 *
 *   notConnected --connect--> connecting --ok--> connected <--call ok-- unreachable
 *                                 |                 |   \--network/5xx--> unreachable (retrying)
 *                       API_DISABLED_FOR_ORG        |--invalid_grant--> reconnectNeeded
 *                                 v                 \--API_DISABLED_FOR_ORG--> noApiAccess
 *                            noApiAccess
 */

import { retryDelayMs, type SalesforceError, type SalesforceErrorKind } from './errors';
import type { SalesforceEnvironment } from './hosts';
import type { OrgCheck } from './org-check';
import type { CallPurpose, OrgUsage } from './usage';

/** Where the worker keeps this state; the popup and options page watch it to follow changes. */
export const CONNECTION_STATE_KEY = 'local:salesforceConnection';

export type ConnectionStatus = 'notConnected' | 'connecting' | 'connected' | 'reconnectNeeded' | 'noApiAccess' | 'unreachable';

/** Who and where the rep is connected as; shown on the Connection tab and in the popup. */
export interface ConnectionProfile {
  userName: string;
  username: string;
  userId: string;
  orgName: string;
  orgId: string;
  instanceUrl: string;
  loginUrl: string;
  environment: SalesforceEnvironment;
  apiVersion: string;
  connectedAt: number;
}

/** A failure the UI explains: its kind, Salesforce's code and words. */
export interface ConnectionProblem {
  kind: SalesforceErrorKind;
  message: string;
  errorCode?: string;
}

export interface ConnectionState {
  status: ConnectionStatus;
  /** Kept while reconnect is needed or Salesforce is unreachable, so the rep sees which org. */
  profile: ConnectionProfile | null;
  /** Why the status is what it is, or what the last connect attempt ran into. */
  problem: ConnectionProblem | null;
  /** While connecting: the status to go back to if the sign-in is cancelled or fails. */
  before: ConnectionStatus | null;
  /** While unreachable: consecutive failures, and when the worker tries again. */
  attempts: number;
  retryAt: number | null;
  since: number;
}

export const INITIAL_CONNECTION_STATE: ConnectionState = {
  status: 'notConnected',
  profile: null,
  problem: null,
  before: null,
  attempts: 0,
  retryAt: null,
  since: 0,
};

export type ConnectionEvent =
  | { type: 'connectStarted' }
  | { type: 'connected'; profile: ConnectionProfile }
  | { type: 'connectFailed'; error: SalesforceError }
  /** `problem`: set when Salesforce could not be told to revoke the token. */
  | { type: 'disconnected'; problem?: ConnectionProblem }
  | { type: 'callSucceeded' }
  | { type: 'callFailed'; error: SalesforceError };

const problemOf = (error: SalesforceError): ConnectionProblem => ({
  kind: error.kind,
  message: error.message,
  ...(error.errorCode ? { errorCode: error.errorCode } : {}),
});

const UNREACHABLE_KINDS: ReadonlySet<SalesforceErrorKind> = new Set(['offline', 'salesforceDown']);

/** The next state; `random` in [0, 1) spreads the retry times of many browsers apart. */
export function nextConnectionState(state: ConnectionState, event: ConnectionEvent, now: number, random: number): ConnectionState {
  const at = (patch: Partial<ConnectionState>): ConnectionState => ({ ...state, since: now, ...patch });
  switch (event.type) {
    case 'connectStarted':
      return at({
        status: 'connecting',
        problem: null,
        before: state.status === 'connecting' ? state.before : state.status,
        retryAt: null,
      });
    case 'connected':
      return { status: 'connected', profile: event.profile, problem: null, before: null, attempts: 0, retryAt: null, since: now };
    case 'connectFailed': {
      if (event.error.kind === 'noApiAccess') {
        return { ...INITIAL_CONNECTION_STATE, status: 'noApiAccess', problem: problemOf(event.error), since: now };
      }
      // Back to where the rep was (not connected, or reconnect needed), with the reason shown.
      const back = state.before === 'reconnectNeeded' ? 'reconnectNeeded' : 'notConnected';
      return at({
        status: back,
        problem: problemOf(event.error),
        before: null,
        profile: back === 'reconnectNeeded' ? state.profile : null,
      });
    }
    case 'disconnected':
      return { ...INITIAL_CONNECTION_STATE, problem: event.problem ?? null, since: now };
    case 'callSucceeded':
      // A call that worked proves the connection; but a stale success never revives a session the rep lost.
      if (state.status === 'unreachable' || (state.status === 'noApiAccess' && state.profile)) {
        return at({ status: 'connected', problem: null, attempts: 0, retryAt: null });
      }
      return state;
    case 'callFailed': {
      const live = state.status === 'connected' || state.status === 'unreachable' || (state.status === 'noApiAccess' && state.profile);
      if (!live) return state;
      const { kind } = event.error;
      if (kind === 'reconnectNeeded' || kind === 'notConnected') {
        return at({ status: 'reconnectNeeded', problem: problemOf(event.error), attempts: 0, retryAt: null });
      }
      if (kind === 'noApiAccess') return at({ status: 'noApiAccess', problem: problemOf(event.error), attempts: 0, retryAt: null });
      if (UNREACHABLE_KINDS.has(kind)) {
        const attempts = state.status === 'unreachable' ? state.attempts + 1 : 1;
        const delay = retryDelayMs(event.error, attempts, now, random) ?? 60_000;
        return at({ status: 'unreachable', problem: problemOf(event.error), attempts, retryAt: now + delay });
      }
      // Validation, limits, permissions: the connection itself is fine.
      return state;
    }
  }
}

/** What the popup and the Connection tab show (answer of `connection/get`). */
export interface ConnectionView {
  state: ConnectionState;
  environment: SalesforceEnvironment;
  myDomain: string;
  /** Whether an administrator set the environment / My Domain (the fields are then read-only). */
  locked: { environment: boolean; myDomain: boolean };
  usage: {
    today: Record<CallPurpose, number>;
    org: OrgUsage | null;
    pausedUntil: number | null;
  };
  /** What this org will do to the extension's writes (org-check.ts), once checked. */
  orgCheck: OrgCheck | null;
}
