/**
 * The org check: right after connecting, one read-only look at what this org will do to the
 * extension's writes, so that an admin learns it before the first email fails. ONE composite
 * call (one API call): Task's describe (required fields, TaskSubtype, Status, record types),
 * TaskRelation and EmailMessageRelation (Shared Activities, Enhanced Email), and the active
 * Lead duplicate rules. Kept a day. Pure apart from `runOrgCheck`; docs/salesforce.md.
 */
import type { SalesforceClient } from './client';
import { compositeCall, queryPath, type SubResult, type Subrequest } from './composite';
import type { SalesforceResult } from './errors';

/** One line of the check: what the org does, in the rep's language (the UI words each `id`). */
export interface OrgFinding {
  id:
    | 'apiAccess'
    | 'enhancedEmailOn'
    | 'enhancedEmailOff'
    | 'sharedActivitiesOn'
    | 'sharedActivitiesOff'
    | 'duplicateRules'
    | 'noDuplicateRules'
    | 'duplicateRulesUnknown'
    | 'requiredTaskFields'
    | 'taskSubtypeOn'
    | 'taskSubtypeOff'
    | 'noCompletedStatus'
    | 'recordTypes';
  /** Needs an admin's attention (a write may be refused, or logged differently). */
  attention: boolean;
  /** Names the line shows: rule labels, field names, record type names. */
  names?: string[];
}

export interface OrgCheck {
  orgId: string;
  userId: string;
  checkedAt: number;
  findings: OrgFinding[];
}

export const ORG_CHECK_TTL_MS = 24 * 3_600_000;

/** The fields the logger and task sync fill on a Task they create. */
const FILLED = new Set([
  'Subject',
  'Description',
  'Status',
  'Priority',
  'ActivityDate',
  'TaskSubtype',
  'Type',
  'WhoId',
  'WhatId',
  'OwnerId',
]);

export const ORG_CHECK_SUBREQUESTS: Subrequest[] = [
  { method: 'GET', path: '/sobjects/Task/describe', referenceId: 'task' },
  { method: 'GET', path: '/sobjects/TaskRelation', referenceId: 'taskRelation' },
  { method: 'GET', path: '/sobjects/EmailMessageRelation', referenceId: 'emailRelation' },
  {
    method: 'GET',
    path: queryPath("SELECT MasterLabel FROM DuplicateRule WHERE SobjectType = 'Lead' AND IsActive = true ORDER BY MasterLabel"),
    referenceId: 'duplicateRules',
  },
];

interface DescribeField {
  name: string;
  nillable?: boolean;
  createable?: boolean;
  defaultedOnCreate?: boolean;
  type?: string;
  picklistValues?: Array<{ value: string; active?: boolean }>;
}

interface TaskDescribe {
  fields?: DescribeField[];
  recordTypeInfos?: Array<{ name: string; available?: boolean; master?: boolean; defaultRecordTypeMapping?: boolean }>;
}

const createable = (r: SubResult | undefined) =>
  r?.ok === true && (r.body as { objectDescribe?: { createable?: unknown } } | null)?.objectDescribe?.createable === true;

/** The findings from the check's answers (in ORG_CHECK_SUBREQUESTS order). */
export function readOrgCheck(results: readonly SubResult[]): OrgFinding[] {
  const [task, taskRelation, emailRelation, rules] = results;
  const findings: OrgFinding[] = [{ id: 'apiAccess', attention: false }];
  findings.push(createable(emailRelation) ? { id: 'enhancedEmailOn', attention: false } : { id: 'enhancedEmailOff', attention: true });
  findings.push(createable(taskRelation) ? { id: 'sharedActivitiesOn', attention: false } : { id: 'sharedActivitiesOff', attention: true });
  if (rules?.ok) {
    const names = ((rules.body as { records?: Array<{ MasterLabel?: unknown }> }).records ?? []).map((r) => String(r.MasterLabel ?? ''));
    findings.push(names.length > 0 ? { id: 'duplicateRules', attention: true, names } : { id: 'noDuplicateRules', attention: false });
  } else {
    findings.push({ id: 'duplicateRulesUnknown', attention: true });
  }
  const describe = task?.ok ? (task.body as TaskDescribe) : null;
  if (describe) {
    const fields = describe.fields ?? [];
    const required = fields
      .filter((f) => f.createable && f.nillable === false && !f.defaultedOnCreate && f.type !== 'boolean' && !FILLED.has(f.name))
      .map((f) => f.name);
    if (required.length > 0) findings.push({ id: 'requiredTaskFields', attention: true, names: required });
    const active = (f: DescribeField | undefined) => (f?.picklistValues ?? []).filter((v) => v.active !== false).map((v) => v.value);
    const subtype = fields.find((f) => f.name === 'TaskSubtype');
    findings.push(
      subtype?.createable !== false && active(subtype).includes('Email')
        ? { id: 'taskSubtypeOn', attention: false }
        : { id: 'taskSubtypeOff', attention: true },
    );
    const statuses = active(fields.find((f) => f.name === 'Status'));
    if (statuses.length > 0 && !statuses.includes('Completed'))
      findings.push({ id: 'noCompletedStatus', attention: true, names: statuses });
    const types = (describe.recordTypeInfos ?? []).filter((t) => t.available !== false && !t.master);
    if (types.length > 0) {
      const preferred = types.find((t) => t.defaultRecordTypeMapping) ?? types[0]!;
      findings.push({
        id: 'recordTypes',
        attention: false,
        names: [preferred.name, ...types.filter((t) => t !== preferred).map((t) => t.name)],
      });
    }
  }
  return findings;
}

/** Runs the check: one composite call. */
export async function runOrgCheck(
  client: Pick<SalesforceClient, 'request'>,
  session: { orgId: string; userId: string },
  now: number,
): Promise<SalesforceResult<OrgCheck>> {
  const answer = await compositeCall(client, 'connect', ORG_CHECK_SUBREQUESTS, { allOrNone: false });
  if (!answer.ok) return answer;
  return { ok: true, value: { orgId: session.orgId, userId: session.userId, checkedAt: now, findings: readOrgCheck(answer.value) } };
}

export const isFresh = (check: OrgCheck | null, session: { orgId: string; userId: string }, now: number): check is OrgCheck =>
  check !== null && check.orgId === session.orgId && check.userId === session.userId && now - check.checkedAt < ORG_CHECK_TTL_MS;
