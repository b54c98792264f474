/**
 * The little of Salesforce that task sync needs, as one narrow interface: who the rep is, one
 * composite call (up to 25 subrequests for ONE API call), and one query page. The engine is
 * written against this, and the worker hands it the one Salesforce client (`fromClient`).
 */
import type { SalesforceClient } from '../salesforce/client';
import { COMPOSITE_LIMITS, compositeCall, type SubResult, type Subrequest } from '../salesforce/composite';
import type { SalesforceResult } from '../salesforce/errors';

export type { SubResult, Subrequest };

export interface QueryPage<R = Record<string, unknown>> {
  totalSize: number;
  done: boolean;
  records: R[];
  nextRecordsUrl?: string;
}

export interface TaskSyncRemote {
  /** The connected user's id: sync handles the tasks this user owns. */
  userId(): Promise<SalesforceResult<string>>;
  /** One composite call; each subrequest answers on its own (allOrNone is off). */
  composite(subrequests: Subrequest[]): Promise<SalesforceResult<SubResult[]>>;
  /** One query call. */
  query(soql: string): Promise<SalesforceResult<QueryPage>>;
  /** Salesforce's clock when it sent its last answer, from the Date header (null: no answer yet). */
  serverDate(): number | null;
}

/** Salesforce's composite limits: five queries or sObject Collections a call, 200 records a collection. */
export const MAX_HEAVY_SUBREQUESTS = COMPOSITE_LIMITS.queriesAndCollections;
export const COLLECTION_SIZE = COMPOSITE_LIMITS.collectionRecords;

/** The task sync's view of the one Salesforce client. */
export function fromClient(client: SalesforceClient): TaskSyncRemote {
  return {
    async userId() {
      const session = await client.currentSession();
      return session
        ? { ok: true, value: session.userId }
        : { ok: false, error: { kind: 'notConnected', message: 'not connected to Salesforce' } };
    },
    composite: (subrequests) => compositeCall(client, 'sync', subrequests, { allOrNone: false }),
    serverDate: () => client.lastServerDate(),
    async query(soql) {
      const page = await client.query(soql, 'sync');
      if (!page.ok) return page;
      const { totalSize, done, records, nextRecordsUrl } = page.value;
      return {
        ok: true,
        value: { totalSize, done, records: records as Record<string, unknown>[], ...(nextRecordsUrl ? { nextRecordsUrl } : {}) },
      };
    },
  };
}
