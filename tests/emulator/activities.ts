/**
 * The activity rules that need more than one record: which account a task belongs to, a lead
 * task that cannot also be related to something, the TaskRelation / TaskWhoRelation rows
 * Salesforce keeps in step with a task's WhoId and WhatId (Shared Activities), and Enhanced
 * Email: an EmailMessage's ToIds/CcIds/BccIds become EmailMessageRelation rows, and a sent
 * email gets the Task Salesforce creates for it (its ActivityId).
 */
import { isoDate } from './dates';
import { recordError, type SfError } from './errors';
import type { Rec } from './objects';
import type { OrgStore, Table } from './store';

const MAX_WHO_RELATIONS = 50;
const DRAFT = '5';
const JUNCTION_TYPES: Record<string, string> = { ToIds: 'ToAddress', CcIds: 'CcAddress', BccIds: 'BccAddress' };

const isLead = (id: unknown) => typeof id === 'string' && id.startsWith('00Q');

/** Validation across records, run after field-level checks pass. */
export function crossRecordErrors(store: OrgStore, type: string, rec: Rec, previous: Rec | undefined): SfError[] {
  if (type === 'EmailMessage' && !previous && rec.ActivityId != null) {
    return [recordError('FIELD_INTEGRITY_EXCEPTION', 'Activity ID: ActivityId can only be specified for emails on cases.', ['ActivityId'])];
  }
  if (type === 'EmailMessage' && previous && previous.Status !== DRAFT) {
    return [recordError('INSUFFICIENT_ACCESS_OR_READONLY', 'Only draft email messages can be updated.')];
  }
  if (type === 'Task' && isLead(rec.WhoId) && rec.WhatId != null) {
    return [
      recordError('FIELD_INTEGRITY_EXCEPTION', 'Related To ID: You cannot assign a related record to a task whose Name is a lead.', [
        'WhatId',
      ]),
    ];
  }
  if (type === 'TaskRelation' && !rec.IsWhat) {
    const who = whoRelations(store, rec.TaskId as string).filter((r) => r.RelationId !== rec.RelationId);
    if (who.length > 0 && (isLead(rec.RelationId) || who.some((r) => isLead(r.RelationId)))) {
      return [
        recordError('FIELD_INTEGRITY_EXCEPTION', 'Name ID: A task related to a lead cannot be related to other people.', ['RelationId']),
      ];
    }
    if (who.length >= MAX_WHO_RELATIONS) {
      return [
        recordError('FIELD_INTEGRITY_EXCEPTION', `Name ID: A task can be related to at most ${MAX_WHO_RELATIONS} contacts.`, [
          'RelationId',
        ]),
      ];
    }
  }
  return [];
}

const blank = (v: unknown) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');

/**
 * The rules an admin switched on (org-settings.ts), for writes through the API: required
 * custom fields and a validation rule on Task, Shared Activities and Enhanced Email off, and
 * the "Update Email Messages" permission for relations added to a sent email.
 */
export function orgRuleErrors(store: OrgStore, type: string, rec: Rec, previous: Rec | undefined): SfError[] {
  const settings = store.settings;
  if (type === 'Task') {
    const missing = settings.taskRequiredFields.filter((name) => blank(rec[name]));
    if (missing.length > 0) return [recordError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing)];
    const rule = settings.taskValidationRule;
    if (rule && blank(rec[rule.requiredField])) {
      return [recordError('FIELD_CUSTOM_VALIDATION_EXCEPTION', rule.errorMessage, rule.errorDisplayField ? [rule.errorDisplayField] : [])];
    }
  }
  if (type === 'TaskRelation' && !previous && !settings.sharedActivities && !rec.IsWhat) {
    return [recordError('INVALID_TYPE_FOR_OPERATION', 'entity type TaskRelation does not support create')];
  }
  if (type === 'EmailMessage' && !previous && !settings.enhancedEmail) {
    return [
      recordError('FIELD_INTEGRITY_EXCEPTION', 'Parent ID: Enhanced Email is off: an email can only be saved on a case.', ['ParentId']),
    ];
  }
  if (type === 'EmailMessageRelation' && !previous) {
    if (!settings.enhancedEmail)
      return [recordError('INVALID_TYPE_FOR_OPERATION', 'entity type EmailMessageRelation does not support create')];
    const email = typeof rec.EmailMessageId === 'string' ? store.find(rec.EmailMessageId)?.rec : undefined;
    if (email && email.Status !== DRAFT && !settings.updateEmailMessages) {
      return [
        recordError(
          'INSUFFICIENT_ACCESS_OR_READONLY',
          'insufficient access rights on object id: relations of an email that is not a draft need the Update Email Messages permission',
          ['EmailMessageId'],
        ),
      ];
    }
  }
  return [];
}

/** Values derived from other records, set before the record is stored. */
export function deriveFromOthers(store: OrgStore, type: string, rec: Rec): void {
  if (type === 'Task') rec.AccountId = taskAccount(store, rec);
  if (type === 'EmailMessageRelation') {
    const target = typeof rec.RelationId === 'string' ? store.find(rec.RelationId) : undefined;
    rec.RelationObjectType = target?.table.def.name ?? null;
    // "If the value is not set, it is auto-populated from RelationId."
    rec.RelationAddress ??= (target?.rec.Email as string | undefined) ?? null;
  }
}

function taskAccount(store: OrgStore, rec: Rec): string | null {
  const what = typeof rec.WhatId === 'string' ? store.find(rec.WhatId)?.rec : undefined;
  if (what) return what.Id.startsWith('001') ? what.Id : ((what.AccountId as string | null) ?? null);
  const who = typeof rec.WhoId === 'string' ? store.find(rec.WhoId)?.rec : undefined;
  return (who?.AccountId as string | null | undefined) ?? null;
}

function whoRelations(store: OrgStore, taskId: string): Rec[] {
  const table = store.table('TaskRelation')!;
  const ids = store.lookup(table, 'TaskId', taskId) ?? new Set<string>();
  return [...ids].map((id) => table.rows.get(id)!).filter((r) => !r.IsDeleted && !r.IsWhat);
}

export interface WriteContext {
  userId: string;
  /** The write-only id lists of the request (ToIds, CcIds, BccIds). */
  junctions: Record<string, string[]>;
  /** Creates a record with every check, as Salesforce does for records it makes itself. */
  create: (type: string, body: Record<string, unknown>) => string;
}

/** Keeps related rows in step after a record was written (created, updated, deleted). */
export function afterWrite(store: OrgStore, type: string, rec: Rec, previous: Rec | undefined, ctx: WriteContext): void {
  if (type === 'Task') {
    syncPrimaryRelation(store, rec, previous, 'WhoId', false, ctx.userId);
    syncPrimaryRelation(store, rec, previous, 'WhatId', true, ctx.userId);
  } else if (type === 'TaskRelation') {
    mirrorWhoRelation(store, rec);
  } else if (type === 'EmailMessage') {
    for (const [field, ids] of Object.entries(ctx.junctions)) {
      for (const id of ids)
        ctx.create('EmailMessageRelation', { EmailMessageId: rec.Id, RelationId: id, RelationType: JUNCTION_TYPES[field] });
    }
    if (!previous && rec.Status !== DRAFT) createEmailTask(store, rec, ctx);
  }
}

/** The completed Email task Salesforce creates for a logged email, named by its ActivityId. */
function createEmailTask(store: OrgStore, email: Rec, ctx: WriteContext): void {
  const people = [...(ctx.junctions.ToIds ?? []), ...(ctx.junctions.CcIds ?? [])].filter((id) => id.startsWith('003') || isLead(id));
  const who = people[0];
  const taskId = ctx.create('Task', {
    Subject: String(email.Subject ?? '').slice(0, 255),
    Description: typeof email.TextBody === 'string' ? email.TextBody.slice(0, 32_000) : null,
    Status: 'Completed',
    Priority: 'Normal',
    TaskSubtype: 'Email',
    ActivityDate: isoDate(Date.parse((email.MessageDate as string | null) ?? store.nowString())),
    WhoId: who ?? null,
    WhatId: isLead(who) ? null : (email.RelatedToId ?? null),
  });
  if (who && !isLead(who)) {
    for (const id of [...new Set(people.slice(1).filter((p) => !isLead(p) && p !== who))].slice(0, MAX_WHO_RELATIONS - 1)) {
      ctx.create('TaskRelation', { TaskId: taskId, RelationId: id, IsWhat: false });
    }
  }
  const table = store.table('EmailMessage')!;
  store.put(table, { ...table.rows.get(email.Id)!, ActivityId: taskId });
}

function syncPrimaryRelation(store: OrgStore, task: Rec, previous: Rec | undefined, field: string, isWhat: boolean, userId: string) {
  const before = previous?.[field] as string | null | undefined;
  const after = task[field] as string | null | undefined;
  if (before === after || task.IsDeleted) return;
  const table = store.table('TaskRelation')!;
  const current = [...(store.lookup(table, 'TaskId', task.Id) ?? [])]
    .map((id) => table.rows.get(id)!)
    .filter((rel) => !rel.IsDeleted && rel.IsWhat === isWhat);
  const now = store.nowString();
  const stale = current.find((rel) => rel.RelationId === before);
  if (stale) {
    const gone = { ...stale, IsDeleted: true, SystemModstamp: now, LastModifiedDate: now };
    store.put(table, gone);
    mirrorWhoRelation(store, gone);
  }
  if (!after || current.some((rel) => rel.RelationId === after)) return;
  const rel: Rec = {
    Id: store.newId(table.def),
    TaskId: task.Id,
    RelationId: after,
    IsWhat: isWhat,
    IsDeleted: false,
    CreatedDate: now,
    CreatedById: userId,
    LastModifiedDate: now,
    LastModifiedById: userId,
    SystemModstamp: now,
  };
  store.put(table, rel);
  mirrorWhoRelation(store, rel);
}

/** TaskWhoRelation is the read-only view of the TaskRelation rows naming a contact or lead. */
function mirrorWhoRelation(store: OrgStore, rel: Rec): void {
  if (rel.IsWhat) return;
  const table: Table = store.table('TaskWhoRelation')!;
  const relationId = rel.RelationId as string;
  store.put(table, {
    Id: rel.Id,
    TaskId: rel.TaskId,
    RelationId: relationId,
    Type: isLead(relationId) ? 'Lead' : 'Contact',
    IsDeleted: rel.IsDeleted,
    CreatedDate: rel.CreatedDate,
    CreatedById: rel.CreatedById,
    LastModifiedDate: rel.LastModifiedDate,
    LastModifiedById: rel.LastModifiedById,
    SystemModstamp: rel.SystemModstamp,
  });
}

const DAY = 86_400_000;
const ARCHIVE_AFTER_DAYS = 365;

/**
 * Archives closed tasks whose due date (or, without one, creation) is more than 365 days back,
 * as Salesforce does: `query` stops returning them, `queryAll` still does, with IsArchived.
 * Looks at every task once a minute of the org's clock (archiving is a background job there
 * too), and at closed tasks written since on every request.
 */
export function archiveOldActivities(store: OrgStore): void {
  const minute = Math.floor(store.now() / 60_000);
  const everything = store.archivedThrough !== minute;
  if (!everything && store.archiveCandidates.size === 0) return;
  const cutoff = store.now() - ARCHIVE_AFTER_DAYS * DAY;
  const table = store.table('Task')!;
  const candidates = everything
    ? table.rows.values()
    : [...store.archiveCandidates].flatMap((id) => (table.rows.has(id) ? [table.rows.get(id)!] : []));
  store.archiveCandidates.clear();
  const old: Rec[] = [];
  for (const rec of candidates) {
    if (rec.IsDeleted || rec.IsArchived || !rec.IsClosed) continue;
    const due = typeof rec.ActivityDate === 'string' ? Date.parse(`${rec.ActivityDate}T00:00:00Z`) : Date.parse(rec.CreatedDate as string);
    if (due < cutoff) old.push(rec);
  }
  if (old.length > 0)
    store.transaction(() => {
      for (const rec of old) store.put(table, { ...rec, IsArchived: true });
    });
  store.archivedThrough = minute;
}
