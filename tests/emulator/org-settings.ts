/**
 * What an admin has switched on or off in the org, the way a new production org starts: the
 * Standard Lead Duplicate Rule active (alert), Enhanced Email and Shared Activities on, no
 * custom rules on Task, the signed-in user without "Update Email Messages", and no CORS
 * allowlist. Tests change these through the control API as an admin would in Setup.
 */

export type DuplicateRuleAction = 'alert' | 'block' | 'off';

/** A validation rule on Task: refuses a save whose `requiredField` is blank, with the admin's message. */
export interface TaskValidationRule {
  name: string;
  errorMessage: string;
  /** The field that must not be blank. */
  requiredField: string;
  /** Where the message shows (a field name), or null for the top of the page (`fields: []`). */
  errorDisplayField: string | null;
}

export interface OrgSettings {
  /** The Standard Lead Duplicate Rule (new Leads against Leads and Contacts): alert, block, or inactive. */
  leadDuplicateRule: DuplicateRuleAction;
  enhancedEmail: boolean;
  sharedActivities: boolean;
  /** The signed-in users hold the "Update Email Messages" permission. */
  updateEmailMessages: boolean;
  /** Custom Task fields made required (e.g. `Region__c`), as "Required" in the field definition. */
  taskRequiredFields: string[];
  taskValidationRule: TaskValidationRule | null;
  /** Origins allowlisted for CORS (Setup > CORS), also for the OAuth endpoints. */
  corsOrigins: string[];
}

export const NEW_ORG_SETTINGS: OrgSettings = {
  leadDuplicateRule: 'alert',
  enhancedEmail: true,
  sharedActivities: true,
  updateEmailMessages: false,
  taskRequiredFields: [],
  taskValidationRule: null,
  corsOrigins: [],
};

/** Checks a settings patch from the control API; returns what is wrong, or null. */
export function settingsProblem(patch: Partial<OrgSettings>): string | null {
  const p = patch as Record<string, unknown>;
  if ('leadDuplicateRule' in p && !['alert', 'block', 'off'].includes(p.leadDuplicateRule as string))
    return 'leadDuplicateRule is alert, block or off';
  for (const name of ['enhancedEmail', 'sharedActivities', 'updateEmailMessages'] as const) {
    if (name in p && typeof p[name] !== 'boolean') return `${name} is true or false`;
  }
  for (const name of ['taskRequiredFields', 'corsOrigins'] as const) {
    if (name in p && (!Array.isArray(p[name]) || !(p[name] as unknown[]).every((v) => typeof v === 'string')))
      return `${name} is a list of strings`;
  }
  if ('taskValidationRule' in p && p.taskValidationRule !== null) {
    const rule = p.taskValidationRule as Partial<TaskValidationRule>;
    if (typeof rule.name !== 'string' || typeof rule.errorMessage !== 'string' || typeof rule.requiredField !== 'string')
      return 'taskValidationRule needs name, errorMessage and requiredField';
  }
  const known = new Set(Object.keys(NEW_ORG_SETTINGS));
  const unknown = Object.keys(p).find((k) => !known.has(k));
  return unknown ? `unknown setting ${unknown}` : null;
}
