/**
 * The managed-storage schema (public/managed_schema.json in the built extension), generated
 * from lib/settings.ts at build time so that every setting can be set and locked by policy.
 */
import { SETTING_KEYS, SETTINGS, type SettingKey } from './settings';

const DESCRIPTIONS: Record<SettingKey, string> = {
  emailLogging: 'How sent email is logged: off, through the Salesforce API, or by BCC to Email to Salesforce.',
  logAs: 'API logging writes a Task or an Enhanced Email (EmailMessage).',
  logToContacts: 'Log email to matching Contacts.',
  logToLeads: 'Log email to matching Leads.',
  relatedRecords: "Also relate email to the Contact's Account or open Opportunities.",
  multipleMatches: 'When an address matches several records: log to all, the oldest, or the most recently active.',
  noMatch: 'When no record matches: do not log, create a Lead, or keep it unresolved for the rep.',
  duplicateLeads:
    "A new Lead that the org's duplicate rules match to an existing record: log to that record, or create the Lead anyway where the rule only alerts.",
  logBody: 'Log the email body, or headers only.',
  subjectTemplate: 'Task subject; fields {{activity_type}} and {{activity_subject}}.',
  internalDomains: 'Your own domains: email only to these is never logged.',
  neverLog: 'Addresses and domains never logged.',
  loggedMailboxes: 'Mailbox addresses to log from; empty for all.',
  undoSendSeconds: "Seconds to wait for the webmail's undo-send before logging (0-30).",
  scheduledSends: 'Log scheduled email when it is scheduled, or not at all.',
  replyLogging: 'Received email (Salesforce API way): off, replies to logged email, or all email from matched people.',
  bccAddress: "The rep's personal Email to Salesforce address (BCC way).",
  composeDefaultOn: 'Whether logging starts on in each new email.',
  taskSync: 'Task sync with Salesforce: off, two-way, or one-way to Salesforce.',
  taskSyncIntervalMinutes: 'Minutes between task syncs.',
  reminders: 'Show a notification when a task is due.',
  salesforceEnvironment: 'Salesforce login: production, sandbox, or a custom My Domain.',
  salesforceMyDomain: 'My Domain URL, such as https://acme.my.salesforce.com, when the environment is custom.',
  salesforceClientId: "Consumer key of your org's External Client App; empty for the extension's own.",
};

export function managedPolicySchema() {
  const properties: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) properties[key] = { title: key, description: DESCRIPTIONS[key], ...SETTINGS[key].schema };
  return {
    type: 'object',
    properties: {
      settings: {
        title: 'Team settings',
        description: 'Default values for the team; combined with lockedSettings, enforced values.',
        type: 'object',
        properties,
      },
      lockedSettings: {
        title: 'Locked settings',
        description: 'Names of settings reps cannot change; they take the value in settings, or the built-in default.',
        type: 'array',
        items: { type: 'string', enum: SETTING_KEYS },
      },
      lockAllSettings: {
        title: 'Override all sync settings for my team',
        description: 'Lock every setting: reps see the team values and cannot change them.',
        type: 'boolean',
      },
    },
  };
}
