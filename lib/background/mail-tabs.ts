/**
 * The mail tabs a content script has introduced itself from, kept in session storage so the
 * registry outlives a service-worker restart. Used to push setting changes to open mail tabs.
 */
import type { MailProvider } from '../mail/types';
import { storage } from '../storage';

export interface MailTab {
  tabId: number;
  provider: MailProvider;
  since: number;
}

const mailTabsItem = storage.defineItem<MailTab[]>('session:mailTabs', { fallback: [] });

export async function rememberMailTab(tabId: number, provider: MailProvider, now = Date.now()): Promise<void> {
  const tabs = (await mailTabsItem.getValue()).filter((t) => t.tabId !== tabId);
  tabs.push({ tabId, provider, since: now });
  await mailTabsItem.setValue(tabs);
}

export async function forgetMailTab(tabId: number): Promise<void> {
  const tabs = await mailTabsItem.getValue();
  if (tabs.some((t) => t.tabId === tabId)) await mailTabsItem.setValue(tabs.filter((t) => t.tabId !== tabId));
}

export function listMailTabs(): Promise<MailTab[]> {
  return mailTabsItem.getValue();
}

interface TabsLike {
  sendMessage(tabId: number, message: unknown): Promise<unknown>;
}

/** Sends a push to every open mail tab; tabs that no longer answer are forgotten. */
export async function pushToMailTabs(tabs: TabsLike, message: unknown): Promise<void> {
  for (const { tabId } of await listMailTabs()) {
    await tabs.sendMessage(tabId, message).catch(() => forgetMailTab(tabId));
  }
}
