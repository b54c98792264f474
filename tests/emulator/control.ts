/**
 * The control API: what tests and benchmarks do to the org from outside, in process (the
 * `control` handle of startEmulator) or over HTTP under /__emulator/, a path Salesforce never
 * serves. See README.md for the HTTP routes.
 */

import { syncDuplicateRuleRecord } from './duplicates';
import type { Fault, FaultSpec } from './faults';
import type { Rec } from './objects';
import { type OrgSettings, settingsProblem } from './org-settings';
import { loadSeed, type Seed } from './seed';
import type { EmulatorState, Reply } from './state';

export interface Control {
  /** Fails, delays or drops the next matching requests; returns the fault (its id). */
  fault(spec: FaultSpec): Fault;
  faults(): Fault[];
  clearFaults(): void;
  /** Every access token answers 401 INVALID_SESSION_ID from now on (refresh tokens still work). */
  expireSessions(): number;
  /** Every refresh token answers invalid_grant from now on. */
  revokeRefreshTokens(): number;
  /** Token endpoint requests by grant_type (authorization_code, refresh_token) since the start. */
  oauthGrants(): Record<string, number>;
  /** Sets the daily API allowance and, optionally, how much of it is already used. */
  setAllowance(max: number, used?: number): void;
  /** API calls counted against the allowance since the last reset, by "METHOD /path" with ids as {id}. */
  calls(): { total: number; byEndpoint: Record<string, number>; used: number; max: number };
  /** Forgets the call counts (not the allowance already used). */
  resetCalls(): void;
  /** Every record by object name, deleted ones included (IsDeleted = true). */
  snapshot(): Record<string, Rec[]>;
  /** Moves the org's clock (CreatedDate, date literals, session timeouts, replication windows). */
  advanceClock(ms: number): void;
  /** Adds records in the seed format; returns the ids of records named with "@ref". */
  addRecords(seed: Seed): Record<string, string>;
  /** What the admin has switched on (org-settings.ts). */
  settings(): OrgSettings;
  /** Changes some of them, as an admin would in Setup; throws on a bad value. Returns them all. */
  configure(patch: Partial<OrgSettings>): OrgSettings;
  /** Empties the recycle bin: getDeleted's earliestDateAvailable becomes now. Returns how many went. */
  emptyRecycleBin(): number;
}

export function createControl(state: EmulatorState): Control {
  return {
    fault: (spec) => state.faults.add(spec),
    faults: () => state.faults.list(),
    clearFaults: () => state.faults.clear(),
    expireSessions: () => state.auth.expireSessions(),
    revokeRefreshTokens: () => state.auth.revokeRefreshTokens(),
    oauthGrants: () => Object.fromEntries(state.auth.grants),
    setAllowance: (max, used) => state.usage.setAllowance(max, used),
    calls: () => ({ ...state.usage.counts(), used: state.usage.usedInWindow(), max: state.usage.max }),
    resetCalls: () => state.usage.resetCounts(),
    snapshot: () => structuredClone(state.store.toJSON().records),
    advanceClock: (ms) => {
      state.store.clockOffsetMs += ms;
      state.store.onChange();
    },
    addRecords: (seed) => loadSeed(state.store, seed),
    settings: () => structuredClone(state.store.settings),
    configure: (patch) => {
      const problem = settingsProblem(patch);
      if (problem) throw new Error(problem);
      state.store.settings = { ...state.store.settings, ...structuredClone(patch) };
      syncDuplicateRuleRecord(state.store);
      state.store.onChange();
      return structuredClone(state.store.settings);
    },
    emptyRecycleBin: () => state.store.purgeDeleted(),
  };
}

const ok = (body: unknown = { ok: true }): Reply => ({ status: 200, body });
const bad = (message: string): Reply => ({ status: 400, body: { error: message } });

/** Fault specs over HTTP name a RegExp path as {"pathRegex": "..."}. */
function faultSpec(body: unknown): FaultSpec {
  const spec = { ...(body as FaultSpec & { pathRegex?: string }) };
  if (typeof spec.pathRegex === 'string') {
    spec.path = new RegExp(spec.pathRegex);
    delete spec.pathRegex;
  }
  return spec;
}

function serialisable(fault: Fault) {
  return {
    ...fault,
    path: fault.path instanceof RegExp ? fault.path.source : fault.path,
    remaining: Number.isFinite(fault.remaining) ? fault.remaining : 'until cleared',
  };
}

export function handleControl(control: Control, method: string, path: string, body: unknown): Reply {
  const route = `${method} ${path.replace(/\/+$/, '')}`;
  try {
    switch (route) {
      case 'GET /__emulator/health':
        return ok();
      case 'GET /__emulator/faults':
        return ok(control.faults().map(serialisable));
      case 'POST /__emulator/faults':
        return ok(serialisable(control.fault(faultSpec(body))));
      case 'DELETE /__emulator/faults':
        control.clearFaults();
        return ok();
      case 'POST /__emulator/sessions/expire':
        return ok({ expired: control.expireSessions() });
      case 'POST /__emulator/refresh-tokens/revoke':
        return ok({ revoked: control.revokeRefreshTokens() });
      case 'GET /__emulator/oauth/grants':
        return ok(control.oauthGrants());
      case 'GET /__emulator/allowance': {
        const { used, max } = control.calls();
        return ok({ max, used });
      }
      case 'PUT /__emulator/allowance': {
        const { max, used } = (body ?? {}) as { max?: unknown; used?: unknown };
        if (typeof max !== 'number' || (used !== undefined && typeof used !== 'number'))
          return bad('expected {"max": number, "used"?: number}');
        control.setAllowance(max, used as number | undefined);
        return ok();
      }
      case 'GET /__emulator/calls':
        return ok(control.calls());
      case 'DELETE /__emulator/calls':
        control.resetCalls();
        return ok();
      case 'GET /__emulator/snapshot':
        return ok(control.snapshot());
      case 'POST /__emulator/clock': {
        const { advanceMs } = (body ?? {}) as { advanceMs?: unknown };
        if (typeof advanceMs !== 'number') return bad('expected {"advanceMs": number}');
        control.advanceClock(advanceMs);
        return ok();
      }
      case 'GET /__emulator/settings':
        return ok(control.settings());
      case 'PATCH /__emulator/settings':
        return ok(control.configure((body ?? {}) as Partial<OrgSettings>));
      case 'POST /__emulator/recycle-bin/empty':
        return ok({ purged: control.emptyRecycleBin() });
      case 'POST /__emulator/records':
        return ok(control.addRecords(body as Seed));
      default:
        return { status: 404, body: { error: `no control route ${route}` } };
    }
  } catch (error) {
    return bad(error instanceof Error ? error.message : String(error));
  }
}
