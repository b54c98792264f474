/**
 * sObject Collections, built and read in one place for every writer (the outbox, task sync):
 * creates, updates and deletes of up to 200 records per subrequest, and the per-record save
 * results Salesforce answers with. Pure.
 *
 * A collection answers 200 even when records were refused (allOrNone false): what happened to
 * each record is only in its save result, in the order the records were sent.
 */
import { COMPOSITE_LIMITS, type Subrequest } from './composite';
import { classifyApiError, type SalesforceError } from './errors';

/** Records per collection subrequest (Salesforce's limit). */
export const COLLECTION_SIZE = COMPOSITE_LIMITS.collectionRecords;

/** One record to create or update: its sObject type and fields (with `Id` for an update). */
export interface CollectionRecord {
  type: string;
  fields: Record<string, unknown>;
}

/** What Salesforce answers per record of a collection. */
export interface SaveResult {
  id?: string | null;
  success?: boolean;
  errors?: Array<{ statusCode?: string; message?: string; fields?: string[] }>;
}

/** Errors that only say another record failed (allOrNone), not what was wrong with this one. */
const ROLLED_BACK = new Set(['ALL_OR_NONE_OPERATION_ROLLED_BACK', 'PROCESSING_HALTED']);

const chunks = <T>(list: readonly T[]): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += COLLECTION_SIZE) out.push(list.slice(i, i + COLLECTION_SIZE));
  return out;
};

/**
 * Creates (POST) or updates (PATCH, each record with its Id) as collection subrequests of up to
 * 200 records, named `referenceId(n)` for the n-th chunk.
 */
export function saveCollections(
  method: 'POST' | 'PATCH',
  records: readonly CollectionRecord[],
  options: { allOrNone: boolean; referenceId: (chunk: number) => string; headers?: Record<string, string> },
): Subrequest[] {
  return chunks(records).map((chunk, n) => ({
    method,
    path: '/composite/sobjects',
    referenceId: options.referenceId(n),
    body: { allOrNone: options.allOrNone, records: chunk.map((r) => ({ attributes: { type: r.type }, ...r.fields })) },
    ...(options.headers ? { headers: { ...options.headers } } : {}),
  }));
}

/** Deletes as collection subrequests of up to 200 ids each. */
export function deleteCollections(
  ids: readonly string[],
  options: { allOrNone: boolean; referenceId: (chunk: number) => string },
): Subrequest[] {
  return chunks(ids).map((chunk, n) => ({
    method: 'DELETE',
    path: `/composite/sobjects?ids=${chunk.map(encodeURIComponent).join(',')}&allOrNone=${options.allOrNone}`,
    referenceId: options.referenceId(n),
  }));
}

/** The save results of a collection's answer body, or null when it is not a list. */
export function readSaveResults(body: unknown): SaveResult[] | null {
  return Array.isArray(body) ? (body as SaveResult[]) : null;
}

/**
 * Why Salesforce refused one record, or null when it was saved. A record that only failed
 * because another one did (rolled back) reports `rolledBack` with no error of its own.
 */
export function saveResultError(result: SaveResult): { error: SalesforceError; rolledBack: boolean } | null {
  if (result.success !== false) return null;
  const own = (result.errors ?? []).find((e) => !ROLLED_BACK.has(e.statusCode ?? ''));
  const first = own ?? result.errors?.[0];
  const error = classifyApiError(
    own ? 400 : undefined,
    first?.statusCode,
    first?.message ?? 'Salesforce refused the record',
    first?.fields,
  );
  return { error, rolledBack: own === undefined };
}
