import { describe, expect, it, vi } from 'vitest';
import { installNetworkHook, type SendDetector } from '@/lib/mail/network-hook';
import type { DetectedSend } from '@/lib/mail/types';

const SEND: DetectedSend = { messageId: 'm1', scheduled: false, to: [{ email: 'a@b.example' }], cc: [], bcc: [], subject: 's', bodyHtml: '' };

/** Sends when the body says "send"; the answer "ok" with 200 confirms it. */
const detector: SendDetector = {
  wants: (url, method) => method === 'POST' && url.includes('/service'),
  read: (_url, body) => ({ sends: body === 'send' ? [SEND] : [], draftIds: [] }),
  confirm: (sends, status, text) => sends.map(({ messageId }) => ({ messageId, ok: status === 200 && text === 'ok' })),
};

/** A window with only `fetch`, answering what the test says, with the hook installed. */
function hookedWindow(answer: () => Promise<Response>) {
  const win = { fetch: vi.fn(answer) } as unknown as Pick<typeof globalThis, 'XMLHttpRequest' | 'fetch'>;
  const listener = { sends: vi.fn(), outcomes: vi.fn(), drafts: vi.fn() };
  installNetworkHook(win, detector, listener);
  return { win, listener };
}

describe('the network hook on fetch (the way Outlook on the web sends)', () => {
  it('reports the outcome even when the page reads the answer at once', async () => {
    const { win, listener } = hookedWindow(async () => new Response('ok', { status: 200 }));
    // The page consumes the body in its first handler, as OWA's client does.
    const text = await win.fetch('https://outlook.office.com/owa/0/service.svc', { method: 'POST', body: 'send' }).then((r) => r.text());
    expect(text).toBe('ok');
    await vi.waitFor(() => expect(listener.outcomes).toHaveBeenCalledWith([{ messageId: 'm1', ok: true }]));
    expect(listener.sends).toHaveBeenCalledWith([SEND]);
  });

  it('reports a refused answer as not sent', async () => {
    const { win, listener } = hookedWindow(async () => new Response('error', { status: 200 }));
    await win.fetch('https://x.example/service', { method: 'POST', body: 'send' }).then((r) => r.json().catch(() => null));
    await vi.waitFor(() => expect(listener.outcomes).toHaveBeenCalledWith([{ messageId: 'm1', ok: false }]));
  });

  it('reports a failed request as not sent, and the page sees its failure unchanged', async () => {
    const failure = new TypeError('Failed to fetch');
    const { win, listener } = hookedWindow(() => Promise.reject(failure));
    await expect(win.fetch('https://x.example/service', { method: 'POST', body: 'send' })).rejects.toBe(failure);
    await vi.waitFor(() => expect(listener.outcomes).toHaveBeenCalledWith([{ messageId: 'm1', ok: false }]));
  });

  it('reports nothing for a request that does not send, and leaves its answer to the page', async () => {
    const { win, listener } = hookedWindow(async () => new Response('draft saved', { status: 200 }));
    expect(await win.fetch('https://x.example/service', { method: 'POST', body: 'save' }).then((r) => r.text())).toBe('draft saved');
    expect(await win.fetch('https://x.example/other', { method: 'POST', body: 'send' }).then((r) => r.text())).toBe('draft saved');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(listener.sends).not.toHaveBeenCalled();
    expect(listener.outcomes).not.toHaveBeenCalled();
  });
});
