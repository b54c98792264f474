/**
 * The org check, against the org emulator set up as admins set real orgs: after connecting,
 * one API call says what the org will do to the extension's writes, kept for a day.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isFresh, ORG_CHECK_TTL_MS, type OrgFinding } from '@/lib/salesforce/org-check';
import { type Emulator, startEmulator } from '../../emulator';
import { NEW_ORG_SETTINGS } from '../../emulator/org-settings';
import { connectedService } from '../outbox/org';

let sf: Emulator;
beforeAll(async () => {
  sf = await startEmulator({ port: 0 });
});
afterAll(() => sf.stop());

const lines = (findings: OrgFinding[] | undefined) => (findings ?? []).map((f) => [f.id, f.attention, ...(f.names ?? [])]);

describe('the org check', () => {
  it('on a new org: API access, Enhanced Email, Shared Activities, the active Lead duplicate rule, TaskSubtype, in one call', async () => {
    sf.control.resetCalls();
    const service = await connectedService(sf);
    const view = await service.view();
    expect(lines(view.orgCheck?.findings)).toEqual([
      ['apiAccess', false],
      ['enhancedEmailOn', false],
      ['sharedActivitiesOn', false],
      ['duplicateRules', true, 'Standard Lead Duplicate Rule'],
      ['taskSubtypeOn', false],
    ]);
    expect(sf.control.calls().byEndpoint['POST /composite']).toBe(1);
  });

  it('tells an admin what their switches do, and within the day answers from what it found', async () => {
    sf.control.configure({ enhancedEmail: false, sharedActivities: false, leadDuplicateRule: 'off', taskRequiredFields: ['Region__c'] });
    const service = await connectedService(sf);
    expect(lines((await service.view()).orgCheck?.findings)).toEqual([
      ['apiAccess', false],
      ['enhancedEmailOff', true],
      ['sharedActivitiesOff', true],
      ['noDuplicateRules', false],
      ['requiredTaskFields', true, 'Region__c'],
      ['taskSubtypeOn', false],
    ]);
    sf.control.configure(structuredClone(NEW_ORG_SETTINGS));
    // "Check now" within the day: the connection is checked, the org check comes from the cache.
    sf.control.resetCalls();
    await service.check();
    expect(sf.control.calls().byEndpoint['POST /composite']).toBeUndefined();
    expect((await service.view()).orgCheck?.findings.map((f) => f.id)).toContain('enhancedEmailOff');
  });

  it('is stale after a day, or for another org or user', () => {
    const check = { orgId: 'o', userId: 'u', checkedAt: 0, findings: [] };
    expect(isFresh(check, { orgId: 'o', userId: 'u' }, ORG_CHECK_TTL_MS - 1)).toBe(true);
    expect(isFresh(check, { orgId: 'o', userId: 'u' }, ORG_CHECK_TTL_MS)).toBe(false);
    expect(isFresh(check, { orgId: 'o', userId: 'other' }, 1)).toBe(false);
  });
});
