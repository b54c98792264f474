/**
 * One Composite call through the one client: up to 25 subrequests that Salesforce counts as a
 * single API call, later ones able to use earlier results through `@{referenceId.path}`.
 * Each subrequest's answer comes back as a value, with Salesforce's error classified.
 */
import { SALESFORCE_API_VERSION, type SalesforceClient } from './client';
import { classifyApiError, type SalesforceError, type SalesforceResult } from './errors';
import type { CallPurpose } from './usage';

/** Composite's limits: subrequests per call, and of those, queries plus sObject Collections. */
export const COMPOSITE_LIMITS = { subrequests: 25, queriesAndCollections: 5, collectionRecords: 200 } as const;

export const API_ROOT = `/services/data/v${SALESFORCE_API_VERSION}`;

export interface Subrequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Relative to the API version root: `/query?q=…`, `/composite/sobjects`, `/sobjects/Task/describe`. */
  path: string;
  referenceId: string;
  body?: unknown;
  /** Request headers of this subrequest alone, such as Sforce-Duplicate-Rule-Header. */
  headers?: Record<string, string>;
}

/**
 * Saves a Lead although the org's duplicate rule finds a similar record, where the rule only
 * alerts (a blocking rule refuses it still). docs/salesforce.md, "Duplicate rules".
 */
export const ALLOW_DUPLICATE_SAVE = { 'Sforce-Duplicate-Rule-Header': 'allowSave=true' } as const;

export type SubResult =
  | { ok: true; status: number; body: unknown }
  /** `halted`: not run, or rolled back, because another subrequest failed (allOrNone). */
  | { ok: false; status: number; error: SalesforceError; halted: boolean; body: unknown };

/** Counts a subrequest against Composite's limit of five queries and collections. */
export const isHeavy = (s: Pick<Subrequest, 'path'>) => s.path.startsWith('/query') || s.path.startsWith('/composite/sobjects');

const HALTED = new Set(['PROCESSING_HALTED', 'ALL_OR_NONE_OPERATION_ROLLED_BACK']);

/** One subrequest's answer as a value; Salesforce's error array becomes a classified error. */
export function readSubResult(status: number, body: unknown): SubResult {
  if (status < 400) return { ok: true, status, body };
  const first = Array.isArray(body) ? (body[0] as { errorCode?: unknown; message?: unknown; fields?: unknown } | undefined) : undefined;
  const errorCode = typeof first?.errorCode === 'string' ? first.errorCode : undefined;
  const message = typeof first?.message === 'string' ? first.message : `HTTP ${status}`;
  return {
    ok: false,
    status,
    error: classifyApiError(status, errorCode, message, first?.fields),
    halted: errorCode !== undefined && HALTED.has(errorCode),
    body,
  };
}

interface CompositeAnswer {
  compositeResponse: Array<{ body: unknown; httpStatusCode: number; referenceId: string }>;
}

export interface CompositeOptions {
  /** Roll everything back when one subrequest fails. */
  allOrNone: boolean;
}

/**
 * Sends the subrequests as one Composite call, in order (collateSubrequests off, so a query
 * placed before a write sees the org as it was before the write).
 */
export async function compositeCall(
  client: Pick<SalesforceClient, 'request'>,
  purpose: CallPurpose,
  subrequests: readonly Subrequest[],
  options: CompositeOptions,
): Promise<SalesforceResult<SubResult[]>> {
  const answer = await client.request<CompositeAnswer>(
    {
      method: 'POST',
      url: `${API_ROOT}/composite`,
      body: JSON.stringify({
        allOrNone: options.allOrNone,
        collateSubrequests: false,
        compositeRequest: subrequests.map((s) => ({
          method: s.method,
          url: `${API_ROOT}${s.path}`,
          referenceId: s.referenceId,
          ...(s.body === undefined ? {} : { body: s.body }),
          ...(s.headers ? { httpHeaders: s.headers } : {}),
        })),
      }),
      headers: { 'Content-Type': 'application/json' },
    },
    purpose,
  );
  if (!answer.ok) return answer;
  const responses = Array.isArray(answer.value?.compositeResponse) ? answer.value.compositeResponse : null;
  if (!responses) return { ok: false, error: { kind: 'salesforceDown', message: 'the composite answer had no compositeResponse' } };
  const byReference = new Map(responses.map((r) => [r.referenceId, r]));
  return {
    ok: true,
    value: subrequests.map((s) => {
      const response = byReference.get(s.referenceId);
      return response
        ? readSubResult(response.httpStatusCode, response.body)
        : {
            ok: false as const,
            status: 0,
            error: { kind: 'salesforceDown' as const, message: `no answer for ${s.referenceId}` },
            halted: true,
            body: null,
          };
    }),
  };
}

/** `/query?q=…` for a composite subrequest. */
export const queryPath = (soql: string) => `/query?q=${encodeURIComponent(soql)}`;
