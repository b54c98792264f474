/**
 * The little of Salesforce that task sync needs, as one narrow interface: who the rep is, one
 * composite call (up to 25 subrequests for ONE API call), and one query page. The engine is
 * written against this, and the worker hands it the one Salesforce client (`fromClient`).
 */
import type { SalesforceClient } from '../salesforce/client';
import { SALESFORCE_API_VERSION } from '../salesforce/client';
import { classifyApiError, type SalesforceError, type SalesforceResult } from '../salesforce/errors';

export interface Subrequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Relative to the API version root, e.g. `/query?q=…` or `/composite/sobjects`. */
  path: string;
  referenceId: string;
  body?: unknown;
}

export type SubResult = { ok: true; status: number; body: unknown } | { ok: false; error: SalesforceError };

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
}

export const MAX_SUBREQUESTS = 25;
/** Of those, at most five may be queries or sObject Collections (Salesforce's composite limit). */
export const MAX_HEAVY_SUBREQUESTS = 5;
/** sObject Collections take at most 200 records per request. */
export const COLLECTION_SIZE = 200;

interface CompositeAnswer {
  compositeResponse: Array<{ body: unknown; httpStatusCode: number; referenceId: string }>;
}

/** Reads one subrequest's answer: its body, or its error array as a classified error. */
export function readSubResponse(status: number, body: unknown): SubResult {
  if (status < 400) return { ok: true, status, body };
  const first = Array.isArray(body) ? (body[0] as { errorCode?: unknown; message?: unknown; fields?: unknown } | undefined) : undefined;
  const errorCode = typeof first?.errorCode === 'string' ? first.errorCode : undefined;
  const message = typeof first?.message === 'string' ? first.message : `HTTP ${status}`;
  return { ok: false, error: classifyApiError(status, errorCode, message, first?.fields) };
}

/** The task sync's view of the one Salesforce client. */
export function fromClient(client: SalesforceClient): TaskSyncRemote {
  const root = `/services/data/v${SALESFORCE_API_VERSION}`;
  return {
    async userId() {
      const session = await client.currentSession();
      return session
        ? { ok: true, value: session.userId }
        : { ok: false, error: { kind: 'notConnected', message: 'not connected to Salesforce' } };
    },
    async composite(subrequests) {
      const answer = await client.request<CompositeAnswer>(
        {
          method: 'POST',
          url: `${root}/composite`,
          body: JSON.stringify({
            allOrNone: false,
            compositeRequest: subrequests.map((s) => ({
              method: s.method,
              url: `${root}${s.path}`,
              referenceId: s.referenceId,
              ...(s.body === undefined ? {} : { body: s.body }),
            })),
          }),
          headers: { 'Content-Type': 'application/json' },
        },
        'sync',
      );
      if (!answer.ok) return answer;
      const byReference = new Map(answer.value.compositeResponse.map((r) => [r.referenceId, r]));
      return {
        ok: true,
        value: subrequests.map((s) => {
          const response = byReference.get(s.referenceId);
          return response
            ? readSubResponse(response.httpStatusCode, response.body)
            : { ok: false as const, error: { kind: 'salesforceDown' as const, message: `no answer for ${s.referenceId}` } };
        }),
      };
    },
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
