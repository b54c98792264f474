import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createHandlers } from '@/lib/background/handlers';
import { createMessageRouter, type SenderInfo } from '@/lib/messages';

function gmailTab(tabId: number): SenderInfo {
  return { id: fakeBrowser.runtime.id, url: 'https://mail.google.com/mail/u/0/', tab: { id: tabId }, frameId: 0 };
}

const route = () =>
  createMessageRouter(createHandlers({ version: '0.1.0', startedAt: 0 }), fakeBrowser.runtime.id, fakeBrowser.runtime.getURL('/'));

describe("the worker's on-demand script loader", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('injects the named script into the asking tab', async () => {
    const inject = vi.spyOn(fakeBrowser.scripting, 'executeScript').mockResolvedValue(undefined as never);
    expect(await route()({ type: 'script/load', script: 'gmail-compose' }, gmailTab(4))).toEqual({ ok: true, value: null });
    expect(inject).toHaveBeenCalledWith({ target: { tabId: 4 }, files: ['/gmail-compose.js'] });
  });

  it('answers quietly when the tab closed before the script could go in', async () => {
    vi.spyOn(fakeBrowser.scripting, 'executeScript').mockRejectedValue(new Error('No tab with id: 5.'));
    vi.spyOn(fakeBrowser.tabs, 'get').mockRejectedValue(new Error('No tab with id: 5.'));
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await route()({ type: 'script/load', script: 'gmail-compose' }, gmailTab(5))).toEqual({ ok: true, value: null });
    expect(logged).not.toHaveBeenCalled();
  });

  it('reports a failure in a tab that is still open', async () => {
    vi.spyOn(fakeBrowser.scripting, 'executeScript').mockRejectedValue(new Error('Cannot access contents of the page'));
    vi.spyOn(fakeBrowser.tabs, 'get').mockResolvedValue({ id: 6 } as never);
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await route()({ type: 'script/load', script: 'gmail-compose' }, gmailTab(6))).toMatchObject({
      ok: false,
      error: { kind: 'internal' },
    });
  });
});
