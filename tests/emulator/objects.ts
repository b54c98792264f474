/**
 * The org's schema: the standard objects the extension uses, with the field types, lengths,
 * picklists and create/update rules Salesforce enforces, and the values it computes itself.
 */

export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'email'
  | 'phone'
  | 'url'
  | 'picklist'
  | 'combobox'
  | 'reference'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'int'
  | 'double'
  | 'currency'
  | 'percent'
  /** Write-only list of ids (EmailMessage.ToIds): Salesforce turns it into relation records. */
  | 'junctionidlist';

export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  length: number;
  nillable: boolean;
  createable: boolean;
  updateable: boolean;
  /** Set by Salesforce on create when the request leaves the field out. */
  defaultValue?: string | number | boolean;
  picklist?: string[];
  restrictedPicklist: boolean;
  referenceTo: string[];
  relationshipName?: string;
  calculated: boolean;
  nameField: boolean;
  /** Where SOSL looks: IN NAME FIELDS / EMAIL FIELDS / PHONE FIELDS. */
  searchGroup?: 'name' | 'email' | 'phone';
}

export interface ChildRelationship {
  childSObject: string;
  field: string;
  relationshipName: string;
  cascadeDelete: boolean;
}

export interface ObjectDef {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  fields: FieldDef[];
  /** Field by lower-case name: SOQL and JSON bodies name fields case-insensitively. */
  field: Map<string, FieldDef>;
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
  searchable: boolean;
  childRelationships: ChildRelationship[];
  /** Fields kept in a value index (besides Id and references): the lookups the extension makes. */
  indexed: string[];
  /** Values Salesforce derives from others (Name from first and last name, IsClosed, ...). */
  compute?: (rec: Rec, previous: Rec | undefined, now: string) => void;
}

export type Rec = Record<string, unknown> & { Id: string };

type FieldOptions = Partial<Omit<FieldDef, 'name' | 'type'>>;

function field(name: string, type: FieldType, options: FieldOptions = {}): FieldDef {
  const readOnly = options.calculated === true;
  return {
    name,
    label: options.label ?? name.replace(/Id$/, ' ID').replace(/([a-z])([A-Z])/g, '$1 $2'),
    type,
    length: options.length ?? 0,
    nillable: options.nillable ?? true,
    createable: options.createable ?? !readOnly,
    updateable: options.updateable ?? !readOnly,
    restrictedPicklist: options.restrictedPicklist ?? false,
    referenceTo: options.referenceTo ?? [],
    calculated: readOnly,
    nameField: options.nameField ?? false,
    ...(options.defaultValue !== undefined ? { defaultValue: options.defaultValue } : {}),
    ...(options.picklist ? { picklist: options.picklist } : {}),
    ...(options.relationshipName ? { relationshipName: options.relationshipName } : {}),
    ...(options.searchGroup ? { searchGroup: options.searchGroup } : {}),
  };
}

const text = (name: string, length: number, options: FieldOptions = {}) => field(name, 'string', { length, ...options });
const longText = (name: string, length: number, options: FieldOptions = {}) => field(name, 'textarea', { length, ...options });
const email = (name: string, options: FieldOptions = {}) => field(name, 'email', { length: 80, searchGroup: 'email', ...options });
const phone = (name: string) => field(name, 'phone', { length: 40, searchGroup: 'phone' });
const bool = (name: string, options: FieldOptions = {}) => field(name, 'boolean', { nillable: false, defaultValue: false, ...options });
const picklist = (name: string, values: string[], options: FieldOptions = {}) =>
  field(name, 'picklist', { length: 255, picklist: values, ...options });
const ref = (name: string, referenceTo: string[], relationshipName: string, options: FieldOptions = {}) =>
  field(name, 'reference', { length: 18, referenceTo, relationshipName, ...options });
const required = { nillable: false } as const;
const readOnly = { calculated: true } as const;

const INDUSTRIES = [
  'Technology',
  'Manufacturing',
  'Finance',
  'Retail',
  'Healthcare',
  'Consulting',
  'Media',
  'Energy',
  'Education',
  'Other',
];
const LEAD_SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Trade Show', 'Other'];
export const TASK_STATUSES = ['Not Started', 'In Progress', 'Completed', 'Waiting on someone else', 'Deferred'];
const CLOSED_TASK_STATUSES = new Set(['Completed']);
const STAGES = [
  'Prospecting',
  'Qualification',
  'Needs Analysis',
  'Value Proposition',
  'Id. Decision Makers',
  'Perception Analysis',
  'Proposal/Price Quote',
  'Negotiation/Review',
  'Closed Won',
  'Closed Lost',
];
const STAGE_PROBABILITY: Record<string, number> = {
  Prospecting: 10,
  Qualification: 10,
  'Needs Analysis': 20,
  'Value Proposition': 50,
  'Id. Decision Makers': 60,
  'Perception Analysis': 70,
  'Proposal/Price Quote': 75,
  'Negotiation/Review': 90,
  'Closed Won': 100,
  'Closed Lost': 0,
};

function fullName(rec: Rec): void {
  rec.Name = [rec.FirstName, rec.LastName].filter((part) => typeof part === 'string' && part !== '').join(' ') || null;
}

function systemFields(owned: boolean): FieldDef[] {
  return [
    field('Id', 'id', { length: 18, nillable: false, ...readOnly, label: 'Record ID' }),
    ...(owned ? [ref('OwnerId', ['User'], 'Owner', { nillable: false, label: 'Owner ID' })] : []),
    bool('IsDeleted', { ...readOnly, label: 'Deleted' }),
    field('CreatedDate', 'datetime', { nillable: false, ...readOnly }),
    ref('CreatedById', ['User'], 'CreatedBy', { nillable: false, ...readOnly }),
    field('LastModifiedDate', 'datetime', { nillable: false, ...readOnly }),
    ref('LastModifiedById', ['User'], 'LastModifiedBy', { nillable: false, ...readOnly }),
    field('SystemModstamp', 'datetime', { nillable: false, ...readOnly, label: 'System Modstamp' }),
  ];
}

interface ObjectSpec {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  owned?: boolean;
  createable?: boolean;
  updateable?: boolean;
  searchable?: boolean;
  fields: FieldDef[];
  indexed?: string[];
  compute?: ObjectDef['compute'];
  /** Child relationship names, keyed by "ChildObject.Field", and whether deleting the parent deletes the child. */
  children?: Record<string, { name: string; cascade?: boolean }>;
}

const SPECS: ObjectSpec[] = [
  {
    name: 'User',
    label: 'User',
    labelPlural: 'Users',
    keyPrefix: '005',
    createable: false,
    updateable: false,
    fields: [
      text('Username', 80, required),
      text('FirstName', 40, { searchGroup: 'name' }),
      text('LastName', 80, { ...required, searchGroup: 'name' }),
      text('Name', 121, { ...readOnly, nameField: true, searchGroup: 'name', label: 'Full Name' }),
      text('Alias', 8, required),
      email('Email', { length: 128, ...required }),
      text('CompanyName', 80),
      text('Title', 80),
      bool('IsActive', { defaultValue: true, label: 'Active' }),
      text('TimeZoneSidKey', 40, { ...required, defaultValue: 'Asia/Tokyo', label: 'Time Zone' }),
      text('LocaleSidKey', 40, { ...required, defaultValue: 'en_US', label: 'Locale' }),
      text('LanguageLocaleKey', 40, { ...required, defaultValue: 'en_US', label: 'Language' }),
      text('UserType', 40, { ...readOnly, label: 'User Type' }),
    ],
    indexed: ['Email', 'Username'],
    compute: (rec) => {
      fullName(rec);
      rec.UserType ??= 'Standard';
    },
  },
  {
    name: 'Organization',
    label: 'Organization',
    labelPlural: 'Organizations',
    keyPrefix: '00D',
    createable: false,
    updateable: false,
    searchable: false,
    fields: [
      text('Name', 80, { ...required, nameField: true }),
      text('OrganizationType', 40, readOnly),
      text('InstanceName', 5, readOnly),
      bool('IsSandbox', readOnly),
      text('DefaultLocaleSidKey', 40),
      text('LanguageLocaleKey', 40),
      text('TimeZoneSidKey', 40),
    ],
  },
  {
    // Setup data the API can read (SOQL), not write: its IsActive follows org-settings.ts.
    name: 'DuplicateRule',
    label: 'Duplicate Rule',
    labelPlural: 'Duplicate Rules',
    keyPrefix: '0Bm',
    createable: false,
    updateable: false,
    searchable: false,
    fields: [
      text('DeveloperName', 80, readOnly),
      text('MasterLabel', 80, { ...readOnly, nameField: true }),
      text('SobjectType', 40, readOnly),
      bool('IsActive', readOnly),
    ],
  },
  {
    name: 'Account',
    label: 'Account',
    labelPlural: 'Accounts',
    keyPrefix: '001',
    owned: true,
    fields: [
      text('Name', 255, { ...required, nameField: true, searchGroup: 'name', label: 'Account Name' }),
      picklist('Type', ['Prospect', 'Customer - Direct', 'Customer - Channel', 'Partner', 'Other']),
      picklist('Industry', INDUSTRIES),
      field('Website', 'url', { length: 255 }),
      phone('Phone'),
      text('BillingCity', 40),
      text('BillingCountry', 80),
      field('NumberOfEmployees', 'int', { label: 'Employees' }),
      longText('Description', 32000),
    ],
    indexed: ['Name'],
  },
  {
    name: 'Contact',
    label: 'Contact',
    labelPlural: 'Contacts',
    keyPrefix: '003',
    owned: true,
    fields: [
      picklist('Salutation', ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.']),
      text('FirstName', 40, { searchGroup: 'name' }),
      text('LastName', 80, { ...required, searchGroup: 'name' }),
      text('Name', 121, { ...readOnly, nameField: true, searchGroup: 'name', label: 'Full Name' }),
      ref('AccountId', ['Account'], 'Account'),
      text('Title', 128),
      text('Department', 80),
      email('Email'),
      phone('Phone'),
      phone('MobilePhone'),
      text('MailingCity', 40),
      text('MailingCountry', 80),
      bool('HasOptedOutOfEmail', { label: 'Email Opt Out' }),
      longText('Description', 32000),
    ],
    indexed: ['Email'],
    compute: fullName,
    children: { 'Account.AccountId': { name: 'Contacts', cascade: true } },
  },
  {
    name: 'Lead',
    label: 'Lead',
    labelPlural: 'Leads',
    keyPrefix: '00Q',
    owned: true,
    fields: [
      picklist('Salutation', ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.']),
      text('FirstName', 40, { searchGroup: 'name' }),
      text('LastName', 80, { ...required, searchGroup: 'name' }),
      text('Name', 121, { ...readOnly, nameField: true, searchGroup: 'name', label: 'Full Name' }),
      text('Company', 255, { ...required, searchGroup: 'name' }),
      text('Title', 128),
      email('Email'),
      phone('Phone'),
      picklist('Status', ['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', 'Closed - Not Converted'], {
        ...required,
        restrictedPicklist: true,
        defaultValue: 'Open - Not Contacted',
        label: 'Lead Status',
      }),
      picklist('LeadSource', LEAD_SOURCES),
      picklist('Industry', INDUSTRIES),
      bool('IsConverted', { updateable: false, label: 'Converted' }),
      field('ConvertedDate', 'date', readOnly),
      ref('ConvertedAccountId', ['Account'], 'ConvertedAccount', readOnly),
      ref('ConvertedContactId', ['Contact'], 'ConvertedContact', readOnly),
      ref('ConvertedOpportunityId', ['Opportunity'], 'ConvertedOpportunity', readOnly),
      longText('Description', 32000),
    ],
    indexed: ['Email'],
    compute: fullName,
  },
  {
    name: 'Opportunity',
    label: 'Opportunity',
    labelPlural: 'Opportunities',
    keyPrefix: '006',
    owned: true,
    fields: [
      text('Name', 120, { ...required, nameField: true, searchGroup: 'name' }),
      ref('AccountId', ['Account'], 'Account'),
      picklist('StageName', STAGES, { ...required, restrictedPicklist: true, label: 'Stage' }),
      field('CloseDate', 'date', { ...required, label: 'Close Date' }),
      field('Amount', 'currency'),
      field('Probability', 'percent', { label: 'Probability (%)' }),
      picklist('Type', ['New Business', 'Existing Business']),
      picklist('LeadSource', LEAD_SOURCES),
      bool('IsClosed', { ...readOnly, label: 'Closed' }),
      bool('IsWon', { ...readOnly, label: 'Won' }),
      longText('Description', 32000),
    ],
    compute: (rec, previous) => {
      const stage = rec.StageName as string;
      rec.IsClosed = stage === 'Closed Won' || stage === 'Closed Lost';
      rec.IsWon = stage === 'Closed Won';
      if (rec.Probability == null || (previous && previous.StageName !== stage)) rec.Probability = STAGE_PROBABILITY[stage] ?? null;
    },
    children: { 'Account.AccountId': { name: 'Opportunities', cascade: true } },
  },
  {
    name: 'OpportunityContactRole',
    label: 'Opportunity Contact Role',
    labelPlural: 'Opportunity Contact Roles',
    keyPrefix: '00K',
    fields: [
      ref('OpportunityId', ['Opportunity'], 'Opportunity', { ...required, updateable: false }),
      ref('ContactId', ['Contact'], 'Contact', required),
      picklist('Role', [
        'Business User',
        'Decision Maker',
        'Economic Buyer',
        'Economic Decision Maker',
        'Evaluator',
        'Executive Sponsor',
        'Influencer',
        'Technical Buyer',
        'Other',
      ]),
      bool('IsPrimary', { label: 'Primary' }),
    ],
    children: {
      'Opportunity.OpportunityId': { name: 'OpportunityContactRoles', cascade: true },
      'Contact.ContactId': { name: 'OpportunityContactRoles', cascade: true },
    },
  },
  {
    name: 'Task',
    label: 'Task',
    labelPlural: 'Tasks',
    keyPrefix: '00T',
    owned: true,
    fields: [
      field('Subject', 'combobox', { length: 255, picklist: ['Call', 'Send Letter', 'Send Quote', 'Other'], searchGroup: 'name' }),
      longText('Description', 32000, { label: 'Comments' }),
      picklist('Status', TASK_STATUSES, { ...required, restrictedPicklist: true, defaultValue: 'Not Started' }),
      picklist('Priority', ['High', 'Normal', 'Low'], { ...required, restrictedPicklist: true, defaultValue: 'Normal' }),
      field('ActivityDate', 'date', { label: 'Due Date Only' }),
      picklist('TaskSubtype', ['Task', 'Email', 'ListEmail', 'Cadence', 'Call', 'LinkedIn'], {
        restrictedPicklist: true,
        updateable: false,
        label: 'Task Subtype',
      }),
      ref('WhoId', ['Contact', 'Lead'], 'Who', { label: 'Name ID' }),
      ref('WhatId', ['Account', 'Opportunity'], 'What', { label: 'Related To ID' }),
      ref('AccountId', ['Account'], 'Account', readOnly),
      picklist('Type', ['Call', 'Email', 'Meeting', 'Other']),
      picklist('CallType', ['Internal', 'Inbound', 'Outbound'], { restrictedPicklist: true }),
      field('CallDurationInSeconds', 'int', { label: 'Call Duration' }),
      text('CallDisposition', 255, { label: 'Call Result' }),
      text('CallObject', 255, { label: 'Call Object Identifier' }),
      bool('IsReminderSet', { label: 'Reminder Set' }),
      field('ReminderDateTime', 'datetime', { label: 'Reminder Date/Time' }),
      bool('IsClosed', { ...readOnly, label: 'Closed' }),
      bool('IsHighPriority', { ...readOnly, label: 'High Priority' }),
      field('CompletedDateTime', 'datetime', readOnly),
      // Closed activities past 365 days are archived by Salesforce (activities.ts).
      bool('IsArchived', { ...readOnly, label: 'Archived' }),
      // A custom field admins may make required (org-settings.ts taskRequiredFields).
      text('Region__c', 80, { label: 'Region' }),
    ],
    compute: (rec, previous, now) => {
      rec.IsClosed = CLOSED_TASK_STATUSES.has(rec.Status as string);
      rec.IsHighPriority = rec.Priority === 'High';
      if (!rec.IsClosed) rec.CompletedDateTime = null;
      else if (!previous?.IsClosed) rec.CompletedDateTime = now;
    },
    children: {
      'Contact.WhoId': { name: 'Tasks', cascade: true },
      'Lead.WhoId': { name: 'Tasks', cascade: true },
      'Account.WhatId': { name: 'Tasks', cascade: true },
      'Opportunity.WhatId': { name: 'Tasks', cascade: true },
    },
  },
  {
    name: 'TaskRelation',
    label: 'Task Relation',
    labelPlural: 'Task Relations',
    keyPrefix: '0RT',
    updateable: false,
    searchable: false,
    fields: [
      ref('TaskId', ['Task'], 'Task', { ...required, updateable: false }),
      ref('RelationId', ['Contact', 'Lead', 'Account', 'Opportunity'], 'Relation', { ...required, updateable: false }),
      bool('IsWhat', { updateable: false }),
    ],
    children: { 'Task.TaskId': { name: 'TaskRelations', cascade: true } },
  },
  {
    name: 'TaskWhoRelation',
    label: 'Task Who Relation',
    labelPlural: 'Task Who Relations',
    keyPrefix: '0RT',
    createable: false,
    updateable: false,
    searchable: false,
    fields: [
      ref('TaskId', ['Task'], 'Task', { ...required, ...readOnly }),
      ref('RelationId', ['Contact', 'Lead'], 'Relation', { ...required, ...readOnly }),
      text('Type', 40, readOnly),
    ],
    children: { 'Task.TaskId': { name: 'TaskWhoRelations', cascade: true } },
  },
  {
    name: 'EmailMessage',
    label: 'Email Message',
    labelPlural: 'Email Messages',
    keyPrefix: '02s',
    fields: [
      text('Subject', 3000, { searchGroup: 'name' }),
      longText('HtmlBody', 131072, { label: 'HTML Body' }),
      longText('TextBody', 131072),
      email('FromAddress', { length: 1000 }),
      text('FromName', 1000),
      longText('ToAddress', 4000),
      longText('CcAddress', 4000),
      longText('BccAddress', 4000),
      field('MessageDate', 'datetime'),
      picklist('Status', ['0', '1', '2', '3', '4', '5'], { ...required, restrictedPicklist: true }),
      bool('Incoming', { label: 'Is Incoming' }),
      text('MessageIdentifier', 255),
      text('ThreadIdentifier', 255),
      ref('RelatedToId', ['Account', 'Opportunity'], 'RelatedTo'),
      // Set by Salesforce to the Task it creates for the email; only emails on cases may name one.
      ref('ActivityId', ['Task'], 'Activity'),
      field('ToIds', 'junctionidlist', { referenceTo: ['Contact', 'Lead', 'User'], label: 'To IDs' }),
      field('CcIds', 'junctionidlist', { referenceTo: ['Contact', 'Lead', 'User'], label: 'CC IDs' }),
      field('BccIds', 'junctionidlist', { referenceTo: ['Contact', 'Lead', 'User'], label: 'BCC IDs' }),
    ],
    indexed: ['MessageIdentifier'],
  },
  {
    name: 'EmailMessageRelation',
    label: 'Email Message Relation',
    labelPlural: 'Email Message Relations',
    keyPrefix: '0EM',
    updateable: false,
    searchable: false,
    fields: [
      ref('EmailMessageId', ['EmailMessage'], 'EmailMessage', { ...required, updateable: false }),
      ref('RelationId', ['Contact', 'Lead', 'User'], 'Relation', { updateable: false }),
      picklist('RelationType', ['ToAddress', 'CcAddress', 'BccAddress', 'FromAddress', 'OtherAddress'], {
        ...required,
        restrictedPicklist: true,
        updateable: false,
      }),
      email('RelationAddress', { length: 1000, updateable: false }),
      text('RelationObjectType', 40, readOnly),
    ],
    children: { 'EmailMessage.EmailMessageId': { name: 'EmailMessageRelations', cascade: true } },
  },
];

function build(spec: ObjectSpec): ObjectDef {
  const fields = [...systemFields(spec.owned ?? false), ...spec.fields];
  return {
    name: spec.name,
    label: spec.label,
    labelPlural: spec.labelPlural,
    keyPrefix: spec.keyPrefix,
    fields,
    field: new Map(fields.map((f) => [f.name.toLowerCase(), f])),
    createable: spec.createable ?? true,
    updateable: spec.updateable ?? true,
    deletable: spec.createable ?? true,
    searchable: spec.searchable ?? true,
    childRelationships: [],
    indexed: spec.indexed ?? [],
    ...(spec.compute ? { compute: spec.compute } : {}),
  };
}

export const OBJECTS: ReadonlyMap<string, ObjectDef> = (() => {
  const defs = new Map(SPECS.map((spec) => [spec.name.toLowerCase(), build(spec)]));
  for (const spec of SPECS) {
    for (const [key, child] of Object.entries(spec.children ?? {})) {
      const [parent, fieldName] = key.split('.') as [string, string];
      defs.get(parent.toLowerCase())?.childRelationships.push({
        childSObject: spec.name,
        field: fieldName,
        relationshipName: child.name,
        cascadeDelete: child.cascade ?? false,
      });
    }
  }
  return defs;
})();

/** The object by name, case-insensitively as Salesforce resolves it, or undefined. */
export function objectDef(name: string): ObjectDef | undefined {
  return OBJECTS.get(name.toLowerCase());
}

/** The objects whose ids start with this key prefix (TaskRelation and TaskWhoRelation share one). */
export function objectsForPrefix(prefix: string): ObjectDef[] {
  return BY_PREFIX.get(prefix) ?? [];
}

const BY_PREFIX = new Map<string, ObjectDef[]>();
for (const def of OBJECTS.values()) BY_PREFIX.set(def.keyPrefix, [...(BY_PREFIX.get(def.keyPrefix) ?? []), def]);

/** A reference field's relationship, e.g. Who on Task -> WhoId. */
export function relationshipField(def: ObjectDef, relationshipName: string): FieldDef | undefined {
  const lower = relationshipName.toLowerCase();
  return def.fields.find((f) => f.relationshipName?.toLowerCase() === lower);
}

/** The fields a polymorphic relationship (Who, What, Owner, Relation) exposes: Salesforce's Name object. */
export const POLYMORPHIC_FIELDS = new Set([
  'id',
  'name',
  'firstname',
  'lastname',
  'email',
  'phone',
  'title',
  'type',
  'alias',
  'username',
  'isactive',
]);
