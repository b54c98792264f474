/**
 * The org's daily API allowance, spent carefully (salesforce.md, "Daily API allowance").
 * Counts every call the extension makes by purpose, remembers the org's own count from each
 * answer's `Sforce-Limit-Info: api-usage=USED/MAX`, and holds back background work when the
 * org is near its limit or has answered REQUEST_LIMIT_EXCEEDED. The decisions are pure; the
 * record lives in `storage.local` so a restarted worker still knows.
 */
import { storage } from '../storage';
import { RETRY_POLICY } from './errors';

/** Why the extension called Salesforce: matching recipients, logging, task sync, or connecting. */
export type CallPurpose = 'match' | 'log' | 'sync' | 'connect';
export const CALL_PURPOSES: readonly CallPurpose[] = ['match', 'log', 'sync', 'connect'];

export interface OrgUsage {
  used: number;
  max: number;
  /** When Salesforce reported it (ms since epoch). */
  at: number;
}

export interface UsageRecord {
  /** The rep's local calendar day the counts are for (YYYY-MM-DD). */
  day: string;
  calls: Record<CallPurpose, number>;
  org: OrgUsage | null;
  /** After REQUEST_LIMIT_EXCEEDED: no background calls before this time (ms since epoch). */
  pausedUntil: number | null;
}

/** From this share of the allowance on, task sync waits: logging the rep's email matters more. */
export const SYNC_HOLD_SHARE = 0.9;
/** From this share on, everything but an explicit connect waits, to leave the org's other integrations room. */
export const ALL_HOLD_SHARE = 0.98;
/** An org count older than this no longer holds calls back: one call is let through to read a fresh one. */
export const ORG_USAGE_FRESH_MS = 30 * 60_000;
/** How long to wait after REQUEST_LIMIT_EXCEEDED before trying again. */
export const LIMIT_PAUSE_MS = RETRY_POLICY.limitExceeded.retry === 'backoff' ? RETRY_POLICY.limitExceeded.baseMs : 30 * 60_000;

export function localDay(now: number): string {
  const d = new Date(now);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

const zeroCalls = (): Record<CallPurpose, number> => ({ match: 0, log: 0, sync: 0, connect: 0 });

export function emptyUsage(now: number): UsageRecord {
  return { day: localDay(now), calls: zeroCalls(), org: null, pausedUntil: null };
}

/** Reads `api-usage=USED/MAX` out of a Sforce-Limit-Info header (which may list other limits too). */
export function parseLimitInfo(header: string | null | undefined): { used: number; max: number } | null {
  // Not per-app-api-usage=, which some orgs list first.
  const match = header?.match(/(?:^|[\s,;])api-usage=(\d+)\/(\d+)/);
  if (!match) return null;
  const used = Number(match[1]);
  const max = Number(match[2]);
  return max > 0 ? { used, max } : null;
}

/** A new day starts with zero counts; the org count and any pause carry over (they are rolling). */
function today(record: UsageRecord, now: number): UsageRecord {
  const day = localDay(now);
  return record.day === day ? record : { ...record, day, calls: zeroCalls() };
}

export function countCall(record: UsageRecord, purpose: CallPurpose, now: number): UsageRecord {
  const current = today(record, now);
  return { ...current, calls: { ...current.calls, [purpose]: current.calls[purpose] + 1 } };
}

export function noteOrgUsage(record: UsageRecord, usage: { used: number; max: number }, now: number): UsageRecord {
  const current = today(record, now);
  // A successful answer below the limit ends a pause early.
  const pausedUntil = usage.used < usage.max ? null : current.pausedUntil;
  return { ...current, org: { ...usage, at: now }, pausedUntil };
}

export function noteLimitExceeded(record: UsageRecord, now: number): UsageRecord {
  const current = today(record, now);
  return { ...current, pausedUntil: now + LIMIT_PAUSE_MS };
}

export type UsageDecision = { go: true } | { go: false; retryAt: number; reason: 'paused' | 'nearLimit' };

/** Whether a call for `purpose` may go now. Connecting always may: the rep asked for it. */
export function mayCall(record: UsageRecord, purpose: CallPurpose, now: number): UsageDecision {
  if (purpose === 'connect') return { go: true };
  if (record.pausedUntil !== null && record.pausedUntil > now) return { go: false, retryAt: record.pausedUntil, reason: 'paused' };
  const org = record.org;
  if (!org || now - org.at > ORG_USAGE_FRESH_MS) return { go: true };
  const share = org.used / org.max;
  const hold = share >= ALL_HOLD_SHARE || (purpose === 'sync' && share >= SYNC_HOLD_SHARE);
  return hold ? { go: false, retryAt: org.at + ORG_USAGE_FRESH_MS, reason: 'nearLimit' } : { go: true };
}

// ---------------------------------------------------------------------------------------------
// Storage (worker only)

/** Where the counts live; the options page watches it to show today's usage as it changes. */
export const USAGE_KEY = 'local:salesforceUsage';

const usageItem = storage.defineItem<UsageRecord | null>(USAGE_KEY, { fallback: null });

let queue: Promise<unknown> = Promise.resolve();

/** Serialises read-modify-write: many calls finish at the same time. */
export function updateUsage(change: (record: UsageRecord) => UsageRecord, now = Date.now()): Promise<UsageRecord> {
  const next = queue.then(async () => {
    const updated = change(today((await usageItem.getValue()) ?? emptyUsage(now), now));
    await usageItem.setValue(updated);
    return updated;
  });
  queue = next.catch(() => undefined);
  return next;
}

export async function readUsage(now = Date.now()): Promise<UsageRecord> {
  await queue;
  return today((await usageItem.getValue()) ?? emptyUsage(now), now);
}

export async function clearUsageOrg(): Promise<void> {
  await updateUsage((r) => ({ ...r, org: null, pausedUntil: null }));
}
