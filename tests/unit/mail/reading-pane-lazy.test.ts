// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { lazyReadingPane, PANE_SLOT } from '@/lib/mail/reading-pane/lazy';

const relay = { messages: new Map() };
const slot = globalThis as unknown as Record<symbol, unknown>;

/** A worker that injects a pane script (or fails, for an Error) per request, in order. */
function worker(answers: Array<'inject' | Error>) {
  const pane = { messagesLoaded: vi.fn() };
  const start = vi.fn(() => pane);
  const asked: string[] = [];
  const providers: string[] = [];
  vi.spyOn(fakeBrowser.runtime, 'sendMessage').mockImplementation((async (message: { type: string; provider: string }) => {
    asked.push(message.type);
    providers.push(message.provider);
    const next = answers.shift();
    if (next instanceof Error) throw next;
    slot[PANE_SLOT] = start;
    return { ok: true, value: null };
  }) as never);
  return { pane, start, asked, providers };
}

describe('the reading pane, loaded on demand', () => {
  afterEach(() => {
    slot[PANE_SLOT] = undefined;
  });

  it('is not loaded until a thread loads, then once, and each later load goes to it', async () => {
    const { pane, start, asked, providers } = worker(['inject']);
    const lazy = lazyReadingPane('outlook', relay, () => 'rep@acme.com');
    expect(asked).toEqual([]);
    lazy.messagesLoaded();
    lazy.messagesLoaded();
    await vi.waitFor(() => expect(pane.messagesLoaded).toHaveBeenCalledOnce());
    expect(asked).toEqual(['reading/load']);
    expect(providers).toEqual(['outlook']);
    expect(start).toHaveBeenCalledWith(document, relay, expect.any(Function));
    lazy.messagesLoaded();
    expect(pane.messagesLoaded).toHaveBeenCalledTimes(2);
  });

  it('never starts a start function an older copy left behind', async () => {
    const stale = vi.fn();
    slot[PANE_SLOT] = stale;
    const { pane } = worker(['inject']);
    lazyReadingPane('gmail', relay, () => null).messagesLoaded();
    await vi.waitFor(() => expect(pane.messagesLoaded).toHaveBeenCalledOnce());
    expect(stale).not.toHaveBeenCalled();
  });

  it('asks again at the next thread load when the worker could not answer', async () => {
    const { pane, asked } = worker([new Error('worker restarting'), 'inject']);
    const lazy = lazyReadingPane('gmail', relay, () => null);
    lazy.messagesLoaded();
    await vi.waitFor(() => {
      lazy.messagesLoaded();
      expect(asked).toHaveLength(2);
    });
    await vi.waitFor(() => expect(pane.messagesLoaded).toHaveBeenCalledOnce());
    expect(asked).toEqual(['reading/load', 'reading/load']);
  });
});
