import { describe, expect, it } from 'vitest';
import {
  type ConnectionEvent,
  type ConnectionProfile,
  type ConnectionState,
  INITIAL_CONNECTION_STATE,
  nextConnectionState,
} from '@/lib/salesforce/connection-state';

const profile: ConnectionProfile = {
  userName: 'Ada Rep',
  username: 'ada@acme.example',
  userId: '005000000000001AAA',
  orgName: 'Acme',
  orgId: '00D000000000001AAA',
  instanceUrl: 'https://acme.my.salesforce.com',
  loginUrl: 'https://login.salesforce.com',
  environment: 'production',
  apiVersion: '62.0',
  connectedAt: 1,
};

function run(events: ConnectionEvent[], from: ConnectionState = INITIAL_CONNECTION_STATE): ConnectionState {
  return events.reduce((state, event, i) => nextConnectionState(state, event, 1000 * (i + 1), 0.5), from);
}

const connected = run([{ type: 'connectStarted' }, { type: 'connected', profile }]);

describe('the connection state', () => {
  it('goes from not connected through connecting to connected', () => {
    expect(run([{ type: 'connectStarted' }]).status).toBe('connecting');
    expect(connected).toMatchObject({ status: 'connected', profile, problem: null });
  });

  it('goes back where it was, with the reason, when the sign-in is cancelled', () => {
    const cancelled = run([{ type: 'connectStarted' }, { type: 'connectFailed', error: { kind: 'authCancelled', message: 'closed' } }]);
    expect(cancelled).toMatchObject({ status: 'notConnected', problem: { kind: 'authCancelled' }, profile: null });
    const reconnect = run([{ type: 'callFailed', error: { kind: 'reconnectNeeded', message: 'x' } }], connected);
    const retried = run(
      [{ type: 'connectStarted' }, { type: 'connectFailed', error: { kind: 'authCancelled', message: 'closed' } }],
      reconnect,
    );
    expect(retried).toMatchObject({ status: 'reconnectNeeded', profile });
  });

  it('says the org has no API access when connecting finds API_DISABLED_FOR_ORG', () => {
    const state = run([
      { type: 'connectStarted' },
      { type: 'connectFailed', error: { kind: 'noApiAccess', message: 'API is not enabled', errorCode: 'API_DISABLED_FOR_ORG' } },
    ]);
    expect(state).toMatchObject({ status: 'noApiAccess', problem: { errorCode: 'API_DISABLED_FOR_ORG' }, profile: null });
  });

  it('needs a reconnect when the refresh token is revoked, and keeps showing which org', () => {
    const state = run(
      [{ type: 'callFailed', error: { kind: 'reconnectNeeded', message: 'expired access/refresh token', errorCode: 'invalid_grant' } }],
      connected,
    );
    expect(state).toMatchObject({ status: 'reconnectNeeded', profile, problem: { errorCode: 'invalid_grant' } });
    // A late success from a call started before does not undo it.
    expect(run([{ type: 'callSucceeded' }], state).status).toBe('reconnectNeeded');
  });

  it('is unreachable (retrying, later each time) when Salesforce does not answer, and recovers on the next success', () => {
    const once = run([{ type: 'callFailed', error: { kind: 'offline', message: 'Failed to fetch' } }], connected);
    expect(once).toMatchObject({ status: 'unreachable', attempts: 1, profile });
    const twice = nextConnectionState(once, { type: 'callFailed', error: { kind: 'salesforceDown', message: '503' } }, 5000, 0.5);
    expect(twice.attempts).toBe(2);
    expect((twice.retryAt ?? 0) - 5000).toBeGreaterThan((once.retryAt ?? 0) - once.since);
    expect(run([{ type: 'callSucceeded' }], twice)).toMatchObject({ status: 'connected', attempts: 0, retryAt: null, problem: null });
  });

  it('stays connected through errors about the data, not the connection', () => {
    for (const kind of ['validation', 'notFound', 'limitExceeded', 'noPermission', 'rejected'] as const) {
      expect(run([{ type: 'callFailed', error: { kind, message: 'x' } }], connected)).toBe(connected);
    }
  });

  it('ignores call outcomes while not connected or connecting', () => {
    const connecting = run([{ type: 'connectStarted' }]);
    expect(run([{ type: 'callFailed', error: { kind: 'offline', message: 'x' } }], connecting)).toBe(connecting);
    expect(run([{ type: 'callSucceeded' }], INITIAL_CONNECTION_STATE)).toBe(INITIAL_CONNECTION_STATE);
  });

  it('forgets everything on disconnect, keeping only a failed revoke to tell the rep', () => {
    expect(run([{ type: 'disconnected' }], connected)).toMatchObject({ status: 'notConnected', profile: null, problem: null });
    const unrevoked = run([{ type: 'disconnected', problem: { kind: 'offline', message: 'x', errorCode: 'REVOKE_FAILED' } }], connected);
    expect(unrevoked.problem?.errorCode).toBe('REVOKE_FAILED');
  });
});
