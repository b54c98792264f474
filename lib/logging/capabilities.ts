/**
 * What the rep's org supports, read from describe: Task subtypes, Shared Activities
 * (TaskRelation), Enhanced Email (EmailMessage with EmailMessageRelation and RelatedToId),
 * field lengths, and LastActivityDate. Pure: the runner fetches the describes once a day
 * in one composite call and hands them here.
 */
import type { Settings } from '../settings';

export interface DescribeField {
  name: string;
  length?: number;
  createable?: boolean;
  picklistValues?: Array<{ value: string; active?: boolean }>;
}

export interface DescribeResult {
  name: string;
  createable?: boolean;
  queryable?: boolean;
  fields: DescribeField[];
}

/** The objects the logger describes, in the order of its describe call. */
export const DESCRIBED_OBJECTS = ['Task', 'TaskRelation', 'EmailMessage', 'EmailMessageRelation', 'Contact', 'Lead'] as const;
export type DescribedObject = (typeof DESCRIBED_OBJECTS)[number];

export interface Capabilities {
  /** Task.TaskSubtype accepts "Email" (and "Call"). */
  taskSubtype: { email: boolean; call: boolean };
  /** Task.Type accepts "Email": the marker older orgs use when TaskSubtype is missing. */
  taskTypeEmail: boolean;
  /** The Status to give a logged email: "Completed", or the org's own closed value. */
  completedStatus: string;
  taskSubjectLength: number;
  taskDescriptionLength: number;
  /** TaskRelation can be created: one task may relate to up to 50 contacts. */
  sharedActivities: boolean;
  /** EmailMessage and EmailMessageRelation can be created for non-case email. */
  enhancedEmail: boolean;
  /** EmailMessage can be read, so an email another logger wrote can be recognised. */
  emailMessageQueryable: boolean;
  emailSubjectLength: number;
  emailHtmlBodyLength: number;
  emailTextBodyLength: number;
  /** Contact and Lead have LastActivityDate ("most recently active"); else LastModifiedDate is used. */
  lastActivityDate: boolean;
  /** Task.CallObject can be written: a logged call carries its own id there, to be found again. */
  taskCallObject?: boolean;
  /**
   * False once the org refused the sender's FromAddress relation on a sent email (the user lacks
   * "Update Email Messages"): emails are then logged without it until the next describe.
   */
  fromRelation?: false;
}

/** What the org is assumed to have when a describe is missing: the standard limits. */
export const STANDARD_LENGTHS = {
  taskSubject: 255,
  taskDescription: 32_000,
  emailSubject: 3_000,
  emailBody: 32_000,
} as const;

const field = (d: DescribeResult | undefined, name: string) => d?.fields.find((f) => f.name === name);
const activeValues = (f: DescribeField | undefined) => (f?.picklistValues ?? []).filter((v) => v.active !== false).map((v) => v.value);
const lengthOf = (f: DescribeField | undefined, fallback: number) => (f?.length && f.length > 0 ? f.length : fallback);

export function capabilitiesFrom(describes: Partial<Record<DescribedObject, DescribeResult>>): Capabilities {
  const task = describes.Task;
  const subtypes = activeValues(field(task, 'TaskSubtype'));
  const subtypeCreateable = field(task, 'TaskSubtype')?.createable !== false;
  const statuses = activeValues(field(task, 'Status'));
  const email = describes.EmailMessage;
  const relation = describes.EmailMessageRelation;
  const contact = describes.Contact;
  const lead = describes.Lead;
  return {
    taskSubtype: { email: subtypeCreateable && subtypes.includes('Email'), call: subtypeCreateable && subtypes.includes('Call') },
    taskTypeEmail: activeValues(field(task, 'Type')).includes('Email'),
    completedStatus: statuses.includes('Completed') ? 'Completed' : (statuses.find((s) => /complet|closed|done/i.test(s)) ?? 'Completed'),
    taskSubjectLength: lengthOf(field(task, 'Subject'), STANDARD_LENGTHS.taskSubject),
    taskDescriptionLength: lengthOf(field(task, 'Description'), STANDARD_LENGTHS.taskDescription),
    sharedActivities: describes.TaskRelation?.createable === true,
    enhancedEmail:
      email?.createable === true &&
      relation?.createable === true &&
      field(email, 'RelatedToId') !== undefined &&
      field(email, 'MessageIdentifier') !== undefined,
    emailMessageQueryable: email !== undefined && email.queryable !== false && field(email, 'MessageIdentifier') !== undefined,
    emailSubjectLength: lengthOf(field(email, 'Subject'), STANDARD_LENGTHS.emailSubject),
    emailHtmlBodyLength: lengthOf(field(email, 'HtmlBody'), STANDARD_LENGTHS.emailBody),
    emailTextBodyLength: lengthOf(field(email, 'TextBody'), STANDARD_LENGTHS.emailBody),
    lastActivityDate: field(contact, 'LastActivityDate') !== undefined && field(lead, 'LastActivityDate') !== undefined,
    taskCallObject: field(task, 'CallObject') !== undefined && field(task, 'CallObject')?.createable !== false,
  };
}

/** Why an email was logged differently from the rep's choice; the Activity tab words each one. */
export type FallbackNote = 'enhancedEmailUnavailable' | 'taskSubtypeUnavailable' | 'fromRelationUnavailable';

export interface LoggingMode {
  as: 'task' | 'enhancedEmail';
  notes: FallbackNote[];
}

/** How emails are logged in this org given the rep's choice, and what had to give. */
export function loggingMode(logAs: Settings['logAs'], capabilities: Capabilities): LoggingMode {
  const notes: FallbackNote[] = [];
  let as = logAs;
  if (as === 'enhancedEmail' && !capabilities.enhancedEmail) {
    as = 'task';
    notes.push('enhancedEmailUnavailable');
  }
  if (as === 'task' && !capabilities.taskSubtype.email) notes.push('taskSubtypeUnavailable');
  if (as === 'enhancedEmail' && capabilities.fromRelation === false) notes.push('fromRelationUnavailable');
  return { as, notes };
}
