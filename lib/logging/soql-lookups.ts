/**
 * The SOQL the logger sends to match addresses and find related records. Every value is a
 * literal escaped by lib/salesforce/soql.ts (or `soqlLikeContains` here for LIKE), and long
 * lists are split so that no statement passes Salesforce's length limit.
 */
import { soqlId, soqlQuote } from '../salesforce/soql';

/** Salesforce's default limit on the length of one SOQL statement. */
export const SOQL_MAX_LENGTH = 100_000;

const LIKE_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\f': '\\f',
  '\b': '\\b',
  '%': '\\%',
  _: '\\_',
};

/**
 * A LIKE pattern matching values that contain `value` literally: quotes and backslashes are
 * escaped as in any literal, and `%` and `_` lose their wildcard meaning.
 */
export function soqlLikeContains(value: string): string {
  return `'%${value.replace(/[\\'"\n\r\t\f\b%_]/g, (c) => LIKE_ESCAPES[c] ?? c)}%'`;
}

/**
 * Statements `head + literals.join(', ') + tail`, as few as possible, each within `maxLength`.
 * A single literal too long for any statement is left out (and reported by the caller as not found).
 */
export function splitInList(head: string, literals: readonly string[], tail: string, maxLength = SOQL_MAX_LENGTH): string[] {
  const statements: string[] = [];
  let current: string[] = [];
  let length = head.length + tail.length;
  for (const literal of literals) {
    const extra = literal.length + (current.length > 0 ? 2 : 0);
    if (head.length + tail.length + literal.length > maxLength) continue;
    if (length + extra > maxLength) {
      statements.push(`${head}${current.join(', ')}${tail}`);
      current = [];
      length = head.length + tail.length;
    }
    length += literal.length + (current.length > 0 ? 2 : 0);
    current.push(literal);
  }
  if (current.length > 0) statements.push(`${head}${current.join(', ')}${tail}`);
  return statements;
}

const unique = (values: readonly string[]): string[] => [...new Set(values)];

export interface PersonFields {
  /** Contact/Lead.LastActivityDate exists in the org (describe), for "most recently active". */
  lastActivity: boolean;
}

const personFields = (extra: string, options: PersonFields) =>
  `Id, Name, Email, CreatedDate, LastModifiedDate${options.lastActivity ? ', LastActivityDate' : ''}${extra}`;

/** Contacts whose Email is one of `emails` (Salesforce compares Email case-insensitively). */
export function contactsByEmail(emails: readonly string[], options: PersonFields, maxLength = SOQL_MAX_LENGTH): string[] {
  const literals = unique(emails.map((e) => e.toLowerCase())).map((e) => soqlQuote(e));
  return splitInList(`SELECT ${personFields(', AccountId', options)} FROM Contact WHERE Email IN (`, literals, ')', maxLength);
}

/** Unconverted leads whose Email is one of `emails`: a converted lead lives on as its contact. */
export function leadsByEmail(emails: readonly string[], options: PersonFields, maxLength = SOQL_MAX_LENGTH): string[] {
  const literals = unique(emails.map((e) => e.toLowerCase())).map((e) => soqlQuote(e));
  return splitInList(
    `SELECT ${personFields(', Company', options)} FROM Lead WHERE IsConverted = false AND Email IN (`,
    literals,
    ')',
    maxLength,
  );
}

/** Open opportunities of these accounts, most recently modified first. */
export function openOpportunitiesOfAccounts(accountIds: readonly string[], maxLength = SOQL_MAX_LENGTH): string[] {
  return splitInList(
    'SELECT Id, AccountId, LastModifiedDate FROM Opportunity WHERE IsClosed = false AND AccountId IN (',
    unique(accountIds).map((id) => soqlId(id)),
    ') ORDER BY LastModifiedDate DESC',
    maxLength,
  );
}

/** Open opportunities on which these contacts have a contact role. */
export function openOpportunityRolesOfContacts(contactIds: readonly string[], maxLength = SOQL_MAX_LENGTH): string[] {
  return splitInList(
    'SELECT OpportunityId, ContactId FROM OpportunityContactRole WHERE Opportunity.IsClosed = false AND ContactId IN (',
    unique(contactIds).map((id) => soqlId(id)),
    ')',
    maxLength,
  );
}

/** Accounts whose Website mentions one of these domains, for a new lead's Company. */
export function accountsByWebsite(domains: readonly string[], maxLength = SOQL_MAX_LENGTH): string[] {
  const terms = unique(domains.map((d) => d.toLowerCase())).map((d) => `Website LIKE ${soqlLikeContains(d)}`);
  const statements: string[] = [];
  const head = 'SELECT Id, Name, Website FROM Account WHERE ';
  const tail = ' ORDER BY CreatedDate ASC';
  let current: string[] = [];
  for (const term of terms) {
    const next = [...current, term];
    if (current.length > 0 && head.length + next.join(' OR ').length + tail.length > maxLength) {
      statements.push(`${head}${current.join(' OR ')}${tail}`);
      current = [term];
    } else {
      current = next;
    }
  }
  if (current.length > 0) statements.push(`${head}${current.join(' OR ')}${tail}`);
  return statements;
}

/** Email messages already in the org with these Message-IDs (ours or another logger's). */
export function emailMessagesByIdentifier(identifiers: readonly string[], createdBy?: string, maxLength = SOQL_MAX_LENGTH): string[] {
  const by = createdBy ? ` AND CreatedById = ${soqlId(createdBy)}` : '';
  return splitInList(
    'SELECT Id, MessageIdentifier, CreatedById FROM EmailMessage WHERE MessageIdentifier IN (',
    unique(identifiers).map((e) => soqlQuote(e)),
    `)${by}`,
    maxLength,
  );
}

/**
 * The rep's own Tasks with these subjects created since `sinceIso` (a SOQL dateTime): after an
 * unanswered write, the logger reads them back and looks for its Message-ID line (or WhoId).
 */
export function tasksBySubject(subjects: readonly string[], createdBy: string, sinceIso: string, maxLength = SOQL_MAX_LENGTH): string[] {
  return splitInList(
    'SELECT Id, Subject, WhoId, Description FROM Task WHERE Subject IN (',
    unique(subjects).map((e) => soqlQuote(e)),
    `) AND CreatedById = ${soqlId(createdBy)} AND CreatedDate >= ${sinceIso}`,
    maxLength,
  );
}
