// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { IncomingMessage } from '@/lib/mail/incoming/message';
import { openMessages, watchOutlookReadingPane } from '@/lib/mail/reading-pane/outlook-pane';

const CONVERSATION = 'AAQkADAwATM0MDAAMS1iNTcy+Conv/One=';
const message = (messageId: string, threadId: string, sentAt: number, name = 'Pat Customer'): IncomingMessage => ({
  messageId,
  threadId,
  from: { email: 'customer@example.com', name },
  to: [{ email: 'rep@example.com' }],
  cc: [],
  subject: 'Quote',
  bodyHtml: '',
  sentAt,
});
const older = message('AAMkOlder+1', CONVERSATION, Date.parse('2026-12-01T09:00:00Z'), 'Sample Rep');
const newer = message('AAMkNewer/2', CONVERSATION, Date.parse('2026-12-01T10:00:00Z'));
const elsewhere = message('AAMkOther', 'AAQkOtherConversation', Date.parse('2026-12-01T11:00:00Z'));

describe('the messages of the open Outlook conversation', () => {
  it('are the loaded ones whose ItemId or ConversationId the URL names, newest first, at most ten', () => {
    const all = [older, elsewhere, newer];
    expect(openMessages(all, [CONVERSATION])).toEqual([newer, older]);
    expect(openMessages(all, ['AAMkOther'])).toEqual([elsewhere]);
    expect(openMessages(all, [])).toEqual([]);
    const long = Array.from({ length: 30 }, (_, i) => message(`AAMk${i}`, CONVERSATION, older.sentAt + i * 60_000));
    expect(openMessages(long, [CONVERSATION]).map((m) => m.messageId)).toEqual(Array.from({ length: 10 }, (_, i) => `AAMk${29 - i}`));
  });
});

describe('the Outlook reading-pane control', () => {
  const asked: Array<{ type: string; messageIds?: string[] }> = [];
  beforeEach(() => {
    vi.useFakeTimers();
    asked.length = 0;
    document.body.innerHTML = '<div id="ReadingPaneContainerId"><h2>Quote</h2></div>';
    history.replaceState(null, '', '/mail/inbox');
    vi.spyOn(fakeBrowser.runtime, 'sendMessage').mockImplementation((async (request: { type: string; messageIds?: string[] }) => {
      asked.push(request);
      if (request.type === 'reading/related') return { ok: true, value: { options: [], preselected: '' } };
      const statuses = (request.messageIds ?? []).map((messageId) => ({
        messageId,
        state: messageId === newer.messageId ? 'logged' : 'notLogged',
        matched: messageId === newer.messageId ? [{ id: '003000000000001AAA', type: 'Contact', name: 'Pat Customer' }] : [],
        loggedIds: messageId === newer.messageId ? ['00T000000000001AAA'] : [],
        direction: 'inbound',
      }));
      return { ok: true, value: { statuses, instanceUrl: 'https://acme.my.salesforce.com' } };
    }) as never);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  const controls = () => [...document.querySelectorAll('#ReadingPaneContainerId [data-sales-activity-sync="reading-pane"]')];
  const statusAsks = () => asked.filter((a) => a.type === 'reading/status');

  it('follows the URL, lists the conversation at the top of the reading pane, and comes back after React redraws it', async () => {
    const relay = { messages: new Map([older, newer, elsewhere].map((m) => [m.messageId, m])) };
    const pane = watchOutlookReadingPane(document, relay, () => 'rep@example.com');
    pane.messagesLoaded();
    expect(controls()).toHaveLength(0);

    history.pushState(null, '', `/mail/inbox/id/${encodeURIComponent(CONVERSATION)}`);
    await vi.advanceTimersByTimeAsync(500);
    expect(controls()).toHaveLength(2);
    expect(document.getElementById('ReadingPaneContainerId')?.firstElementChild?.contains(controls()[0]!)).toBe(true);
    expect(statusAsks().map((a) => a.messageIds)).toEqual([[newer.messageId, older.messageId]]);
    const [first, second] = controls().map((c) => c.shadowRoot?.textContent ?? '');
    expect(first).toContain('Pat Customer, ');
    expect(first).toContain('Pat Customer (Contact)');
    expect(second).toContain('Sample Rep, ');
    expect(second).not.toContain('(Contact)');

    // React draws the reading pane again: the same controls come back, without asking again.
    const shown = controls();
    document.getElementById('ReadingPaneContainerId')?.replaceChildren(document.createElement('h2'));
    await vi.advanceTimersByTimeAsync(500);
    expect(controls()).toEqual(shown);
    expect(statusAsks()).toHaveLength(1);

    // The same conversation loaded again (a reply may have been logged): asked again.
    pane.messagesLoaded();
    expect(statusAsks()).toHaveLength(2);

    history.pushState(null, '', '/mail/inbox');
    await vi.advanceTimersByTimeAsync(500);
    expect(controls()).toHaveLength(0);
  });

  it("says the rep's address is not known yet, and asks once the page shows it", async () => {
    const relay = { messages: new Map([[newer.messageId, newer]]) };
    let address: string | null = null;
    const getMessage = vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation(((key: string) => key) as never);
    const pane = watchOutlookReadingPane(document, relay, () => address);
    history.pushState(null, '', `/mail/inbox/id/${encodeURIComponent(CONVERSATION)}`);
    pane.messagesLoaded();
    expect(controls()).toHaveLength(1);
    expect(controls()[0]?.shadowRoot?.textContent).toContain('reading_noMailbox');
    expect(statusAsks()).toHaveLength(0);
    // The rep opened the account menu: OWA now shows the address.
    address = 'rep@example.com';
    await vi.advanceTimersByTimeAsync(500);
    expect(statusAsks().map((a) => a.messageIds)).toEqual([[newer.messageId]]);
    expect(controls()[0]?.shadowRoot?.textContent).not.toContain('reading_noMailbox');
    expect(controls()[0]?.shadowRoot?.textContent).toContain('reading_logged');
    getMessage.mockRestore();
  });

  it('stops when the extension is gone from the page', async () => {
    const relay = { messages: new Map([[newer.messageId, newer]]) };
    watchOutlookReadingPane(document, relay, () => 'rep@example.com');
    vi.spyOn(fakeBrowser.runtime, 'id', 'get').mockReturnValue(undefined as never);
    history.pushState(null, '', `/mail/inbox/id/${encodeURIComponent(CONVERSATION)}`);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(controls()).toHaveLength(0);
  });
});
