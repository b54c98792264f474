// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { offerScript } from '@/lib/mail/lazy-script';
import { lazyReadingPane } from '@/lib/mail/reading-pane/lazy';

const relay = { messages: new Map() };

/** A worker that injects a pane script (or fails, for an Error) per request, in order. */
function worker(answers: Array<'inject' | Error>) {
  const pane = { messagesLoaded: vi.fn() };
  const start = vi.fn(() => pane);
  const asked: string[] = [];
  vi.spyOn(fakeBrowser.runtime, 'sendMessage').mockImplementation((async (message: {
    type: string;
    script: 'gmail-pane' | 'outlook-pane';
  }) => {
    asked.push(`${message.type} ${message.script}`);
    const next = answers.shift();
    if (next instanceof Error) throw next;
    offerScript(message.script, start);
    return { ok: true, value: null };
  }) as never);
  return { pane, start, asked };
}

describe('the reading pane, loaded on demand', () => {
  afterEach(() => {
    offerScript('gmail-pane', undefined);
    offerScript('outlook-pane', undefined);
  });

  it("is not loaded until messages load, then once, the provider's own, and each later load goes to it", async () => {
    const { pane, start, asked } = worker(['inject']);
    const lazy = lazyReadingPane('outlook', relay, () => 'rep@acme.com');
    expect(asked).toEqual([]);
    lazy.messagesLoaded();
    lazy.messagesLoaded();
    await vi.waitFor(() => expect(pane.messagesLoaded).toHaveBeenCalledOnce());
    expect(asked).toEqual(['script/load outlook-pane']);
    expect(start).toHaveBeenCalledWith(document, relay, expect.any(Function));
    lazy.messagesLoaded();
    expect(pane.messagesLoaded).toHaveBeenCalledTimes(2);
  });

  it('never starts a start function an older copy left behind', async () => {
    const stale = vi.fn();
    offerScript('gmail-pane', stale);
    const { pane } = worker(['inject']);
    lazyReadingPane('gmail', relay, () => null).messagesLoaded();
    await vi.waitFor(() => expect(pane.messagesLoaded).toHaveBeenCalledOnce());
    expect(stale).not.toHaveBeenCalled();
  });

  it('asks again at the next load of messages when the worker could not answer', async () => {
    const { pane, asked } = worker([new Error('worker restarting'), 'inject']);
    const lazy = lazyReadingPane('gmail', relay, () => null);
    lazy.messagesLoaded();
    await vi.waitFor(() => expect(asked).toHaveLength(1));
    // Loads while the failed ask is still settling are not asks of their own.
    await vi.waitFor(() => {
      lazy.messagesLoaded();
      expect(asked).toHaveLength(2);
    });
    await vi.waitFor(() => expect(pane.messagesLoaded).toHaveBeenCalledOnce());
    expect(asked).toEqual(['script/load gmail-pane', 'script/load gmail-pane']);
  });
});
