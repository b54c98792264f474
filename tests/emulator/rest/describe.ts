/** describeGlobal, sObject basic information and describe, from the schema in objects.ts. */
import { apiError } from '../errors';
import { type FieldDef, OBJECTS, type ObjectDef, objectDef } from '../objects';
import type { OrgSettings } from '../org-settings';
import type { Reply } from '../state';

const SOAP_TYPES: Record<string, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  boolean: 'xsd:boolean',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
  int: 'xsd:int',
  double: 'xsd:double',
  currency: 'xsd:double',
  percent: 'xsd:double',
};

function urls(def: ObjectDef, version: string) {
  const base = `/services/data/v${version}/sobjects/${def.name}`;
  return { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` };
}

/** Objects the org's settings remove (EmailMessageRelation without Enhanced Email). */
const hidden = (def: ObjectDef, settings: OrgSettings) => def.name === 'EmailMessageRelation' && !settings.enhancedEmail;

function summary(def: ObjectDef, version: string, settings: OrgSettings) {
  const createable = def.createable && !(def.name === 'TaskRelation' && !settings.sharedActivities);
  return {
    name: def.name,
    label: def.label,
    labelPlural: def.labelPlural,
    keyPrefix: def.keyPrefix,
    custom: false,
    createable,
    updateable: def.updateable,
    deletable: def.deletable,
    queryable: true,
    retrieveable: true,
    searchable: def.searchable,
    layoutable: def.createable,
    replicateable: true,
    triggerable: def.createable,
    undeletable: def.deletable,
    mergeable: false,
    urls: urls(def, version),
  };
}

function describeField(f: FieldDef, required: ReadonlySet<string>) {
  const text = f.length > 0;
  return {
    name: f.name,
    label: f.label,
    type: f.type,
    soapType: SOAP_TYPES[f.type] ?? 'xsd:string',
    length: text && f.type !== 'reference' && f.type !== 'id' ? f.length : 0,
    byteLength: text ? f.length * 3 : 0,
    precision: f.type === 'currency' ? 18 : 0,
    scale: f.type === 'currency' ? 2 : 0,
    digits: f.type === 'int' ? 9 : 0,
    nillable: f.nillable && !required.has(f.name),
    createable: f.createable,
    updateable: f.updateable,
    defaultedOnCreate: f.defaultValue !== undefined || f.calculated || f.name === 'OwnerId',
    defaultValue: f.defaultValue ?? null,
    calculated: f.calculated,
    custom: f.name.endsWith('__c'),
    nameField: f.nameField,
    idLookup: f.name === 'Id' || f.type === 'email' || f.nameField,
    externalId: false,
    unique: f.name === 'Id',
    filterable: f.type !== 'textarea' || f.length <= 255,
    sortable: f.type !== 'textarea' || f.length <= 255,
    groupable: f.type !== 'textarea' && f.type !== 'datetime' && f.type !== 'double',
    picklistValues: (f.picklist ?? []).map((value) => ({
      active: true,
      defaultValue: f.defaultValue === value,
      label: value,
      validFor: null,
      value,
    })),
    restrictedPicklist: f.restrictedPicklist,
    referenceTo: f.referenceTo,
    relationshipName: f.relationshipName ?? null,
    polymorphicForeignKey: f.referenceTo.length > 1,
    cascadeDelete: false,
  };
}

export function describeGlobal(version: string, settings: OrgSettings): Reply {
  const sobjects = [...OBJECTS.values()].filter((def) => !hidden(def, settings)).map((def) => summary(def, version, settings));
  return { status: 200, body: { encoding: 'UTF-8', maxBatchSize: 200, sobjects } };
}

export function knownObject(type: string, settings?: OrgSettings): ObjectDef {
  const def = objectDef(type);
  if (!def || (settings && hidden(def, settings))) throw apiError(404, 'NOT_FOUND', 'The requested resource does not exist');
  return def;
}

/** GET sobjects/{T}: the object's summary and recently viewed records (none here). */
export function basicInfo(type: string, version: string, settings: OrgSettings): Reply {
  return { status: 200, body: { objectDescribe: summary(knownObject(type, settings), version, settings), recentItems: [] } };
}

export function describe(type: string, version: string, settings: OrgSettings): Reply {
  const def = knownObject(type, settings);
  const required = new Set(def.name === 'Task' ? settings.taskRequiredFields : []);
  return {
    status: 200,
    body: {
      ...summary(def, version, settings),
      fields: def.fields.map((f) => describeField(f, required)),
      childRelationships: def.childRelationships.map((c) => ({
        childSObject: c.childSObject,
        field: c.field,
        relationshipName: c.relationshipName,
        cascadeDelete: c.cascadeDelete,
        deprecatedAndHidden: false,
        restrictedDelete: false,
      })),
      recordTypeInfos: [],
      supportedScopes: [{ label: 'All', name: 'everything' }],
    },
  };
}
