/**
 * Which Salesforce app (External Client App / Connected App) the extension signs in as.
 * In order: the admin policy's `salesforceClientId` (an org running its own app), the
 * consumer key this build was made with (WXT_SALESFORCE_CLIENT_ID), then the default below.
 */

/**
 * The consumer key builds use when WXT_SALESFORCE_CLIENT_ID is not set. It is the client id
 * the project's org emulator registers (tests/emulator), so development and test builds work
 * out of the box; a build for real orgs sets WXT_SALESFORCE_CLIENT_ID to the publisher's app,
 * or the org's admin sets `salesforceClientId` by policy (README, "For Salesforce admins").
 */
export const DEFAULT_SALESFORCE_CLIENT_ID = 'sales-activity-sync';

export function salesforceClientId(fromPolicy: string): string {
  const fromBuild = (import.meta.env.WXT_SALESFORCE_CLIENT_ID ?? '').trim();
  return fromPolicy.trim() || fromBuild || DEFAULT_SALESFORCE_CLIENT_ID;
}
