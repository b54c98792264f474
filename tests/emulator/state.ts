/** What one running org holds, and the request/reply shapes its REST handlers share. */

import { Faults } from './faults';
import { Auth } from './oauth';
import { QueryEngine, type Row } from './soql';
import { OrgStore } from './store';
import { ApiUsage } from './usage';

export interface ApiRequest {
  method: string;
  /** Path after /services/data/vXX.X, e.g. "/sobjects/Task/00T...". */
  path: string;
  query: URLSearchParams;
  body: unknown;
  headers: Record<string, string | undefined>;
  /** "62.0" */
  version: string;
  userId: string;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Result pages kept for nextRecordsUrl, as Salesforce keeps query cursors. */
export interface Cursor {
  rows: Row[];
  lastUsed: number;
}

export class EmulatorState {
  readonly store = new OrgStore();
  readonly queries = new QueryEngine(this.store);
  readonly auth = new Auth(this.store);
  readonly faults = new Faults();
  readonly usage = new ApiUsage(() => this.store.now());
  readonly cursors = new Map<string, Cursor>();
  cursorCounter = 1;
}

export const API_VERSIONS = (() => {
  const seasons = ['Winter', 'Spring', 'Summer'];
  const list: Array<{ label: string; url: string; version: string }> = [];
  for (let n = 31; n <= 64; n++) {
    // v62.0 is Winter '25; three releases a year.
    const k = n - 62;
    const year = 25 + Math.floor(k / 3);
    list.push({ label: `${seasons[((k % 3) + 3) % 3]} '${year}`, url: `/services/data/v${n}.0`, version: `${n}.0` });
  }
  return list;
})();
export const LATEST_VERSION = API_VERSIONS.at(-1)!.version;
