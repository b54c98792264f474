/**
 * The outbox's calls to Salesforce, shared by the runner and the compose preview: Composite
 * calls, further query pages, and what the org supports (described once a day). Every call goes
 * through the one client, whose deadline is the only one (lib/salesforce/client.ts).
 */
import type { ExtensionDatabase } from '../db';
import { type Capabilities, capabilitiesFrom, DESCRIBED_OBJECTS, type DescribeResult } from '../logging/capabilities';
import { queryRows } from '../logging/lookups';
import type { SalesforceClient } from '../salesforce/client';
import { compositeCall, type SubResult, type Subrequest } from '../salesforce/composite';
import type { SalesforceError, SalesforceResult } from '../salesforce/errors';
import type { StoredSession } from '../salesforce/tokens';
import { loadCapabilities, storeCapabilities } from './knowledge-store';

/** The part of the one Salesforce client the outbox uses. */
export type OutboxClient = Pick<SalesforceClient, 'request' | 'queryMore' | 'currentSession'>;

export function createOrgCalls(db: ExtensionDatabase, client: OutboxClient, now: () => number) {
  let calls = 0;

  async function call(subrequests: Subrequest[], allOrNone: boolean, purpose: 'match' | 'log'): Promise<SalesforceResult<SubResult[]>> {
    calls++;
    return compositeCall(client, purpose, subrequests, { allOrNone });
  }

  /** Further pages of query answers (a query page holds up to 2,000 rows), by result index. */
  async function morePages(results: ReadonlyArray<SubResult | undefined>) {
    const extra = new Map<number, Array<Record<string, unknown>>>();
    for (const [index, result] of results.entries()) {
      let next = result ? queryRows(result)?.nextRecordsUrl : undefined;
      while (next) {
        calls++;
        const page = await client.queryMore(next, 'match');
        if (!page.ok) break;
        extra.set(index, [...(extra.get(index) ?? []), ...(page.value.records as Array<Record<string, unknown>>)]);
        next = page.value.done ? undefined : page.value.nextRecordsUrl;
      }
    }
    return extra;
  }

  /** What the org supports for this user, from the stored describe or a new one. */
  async function capabilities(session: StoredSession): Promise<{ ok: true; value: Capabilities } | { ok: false; error: SalesforceError }> {
    const known = await loadCapabilities(db, session.orgId, session.userId, now());
    if (known) return { ok: true, value: known };
    const answer = await call(
      DESCRIBED_OBJECTS.map((name) => ({ method: 'GET', path: `/sobjects/${name}/describe`, referenceId: `describe${name}` })),
      false,
      'log',
    );
    if (!answer.ok) return answer;
    const describes: Partial<Record<(typeof DESCRIBED_OBJECTS)[number], DescribeResult>> = {};
    DESCRIBED_OBJECTS.forEach((name, i) => {
      const result = answer.value[i];
      if (result?.ok) describes[name] = result.body as DescribeResult;
    });
    if (!describes.Task) {
      const failure = answer.value[0];
      return { ok: false, error: failure && !failure.ok ? failure.error : { kind: 'noPermission', message: 'Task cannot be described' } };
    }
    const value = capabilitiesFrom(describes);
    await storeCapabilities(db, session.orgId, session.userId, value, now());
    return { ok: true, value };
  }

  return {
    call,
    morePages,
    capabilities,
    currentSession: () => client.currentSession(),
    /** Composite and query calls made so far (for benchmarks). */
    count: () => calls,
  };
}

export type OrgCalls = ReturnType<typeof createOrgCalls>;
