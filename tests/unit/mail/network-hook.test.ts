import { describe, expect, it, vi } from 'vitest';
import { installNetworkHook, type NetworkHookListener, type SendDetector } from '@/lib/mail/network-hook';
import type { DetectedSend } from '@/lib/mail/types';

const send: DetectedSend = { messageId: 'msg-a:r1', scheduled: false, to: [], cc: [], bcc: [], subject: 's', bodyHtml: '' };

/** A stand-in for the page's XMLHttpRequest: records calls, finishes when told to. */
class FakeXhr extends EventTarget {
  static calls: unknown[][] = [];
  readyState = 0;
  status = 0;
  responseType = '';
  responseText = '';
  open(...args: unknown[]) {
    FakeXhr.calls.push(['open', ...args]);
  }
  send(...args: unknown[]) {
    FakeXhr.calls.push(['send', ...args]);
  }
  setRequestHeader(...args: unknown[]) {
    FakeXhr.calls.push(['setRequestHeader', ...args]);
  }
  finish(status: number, text: string) {
    this.readyState = 4;
    this.status = status;
    this.responseText = text;
    this.dispatchEvent(new Event('loadend'));
  }
}

function setup(detector: Partial<SendDetector> = {}, change?: NetworkHookListener['change']) {
  FakeXhr.calls = [];
  const pageFetch = vi.fn(async (_input: RequestInfo | URL, _init?: RequestInit) => new Response('{"answer":1}', { status: 200 }));
  // A class of its own for each window: the hook wraps the prototype, which would else carry every earlier test's hook.
  const win = { XMLHttpRequest: class extends FakeXhr {} as unknown as typeof XMLHttpRequest, fetch: pageFetch as unknown as typeof fetch };
  const read = vi.fn((_url: string, body: string) =>
    body.includes('send') ? { sends: [send], draftIds: [] } : { sends: [], draftIds: ['msg-a:r9'] },
  );
  const full: SendDetector = {
    wants: (url, method) => method === 'POST' && url.startsWith('/sync/'),
    read,
    confirm: (sends, status, text) => sends.map((s) => ({ messageId: s.messageId, ok: status === 200 && text !== null })),
    ...detector,
  };
  const listener: NetworkHookListener = { sends: vi.fn(), outcomes: vi.fn(), drafts: vi.fn(), ...(change ? { change } : {}) };
  installNetworkHook(win, full, listener);
  return { win, listener, read, pageFetch };
}

describe('the page-world network hook', () => {
  it('passes every XMLHttpRequest call through unchanged, and reads only wanted requests', () => {
    const { win, read, listener } = setup();
    const xhr = new win.XMLHttpRequest() as unknown as FakeXhr;
    xhr.open('GET', '/mail/u/0/');
    xhr.send(null);
    (xhr as unknown as XMLHttpRequest).open('POST', '/sync/u/0/i/s?c=1', true);
    xhr.send('send body');
    expect(FakeXhr.calls).toEqual([
      ['open', 'GET', '/mail/u/0/'],
      ['send', null],
      ['open', 'POST', '/sync/u/0/i/s?c=1', true],
      ['send', 'send body'],
    ]);
    expect(read).toHaveBeenCalledTimes(1);
    expect(listener.sends).toHaveBeenCalledWith([send]);
    xhr.finish(200, '[]');
    expect(listener.outcomes).toHaveBeenCalledWith([{ messageId: 'msg-a:r1', ok: true }]);
  });

  it('reports draft saves and failed sends', () => {
    const { win, listener } = setup();
    const draft = new win.XMLHttpRequest() as unknown as FakeXhr;
    draft.open('POST', '/sync/u/0/i/s');
    draft.send('draft body');
    expect(listener.drafts).toHaveBeenCalledWith(['msg-a:r9']);
    const failed = new win.XMLHttpRequest() as unknown as FakeXhr;
    failed.open('POST', '/sync/u/0/i/s');
    failed.send('send body');
    failed.finish(500, '');
    expect(listener.outcomes).toHaveBeenCalledWith([{ messageId: 'msg-a:r1', ok: false }]);
  });

  it("reads a body the request carries URL-encoded in a header instead (Outlook's x-owa-urlpostdata)", async () => {
    const { win, read } = setup({ bodyHeader: 'x-owa-urlpostdata' });
    const xhr = new win.XMLHttpRequest();
    xhr.open('POST', '/sync/u/0/i/s');
    xhr.setRequestHeader('X-OWA-UrlPostData', encodeURIComponent('{"send": "é"}'));
    xhr.send(null);
    expect(read).toHaveBeenLastCalledWith('/sync/u/0/i/s', '{"send": "é"}');
    await win.fetch('/sync/u/0/i/s', { method: 'POST', headers: { 'x-owa-urlpostdata': encodeURIComponent('send by fetch') }, body: '' });
    await vi.waitFor(() => expect(read).toHaveBeenLastCalledWith('/sync/u/0/i/s', 'send by fetch'));
  });

  it('never throws into the page, whatever the detector does', () => {
    const { win, listener } = setup({
      read: () => {
        throw new Error('boom');
      },
      wants: (url) => {
        if (url === '/explode') throw new Error('bad url');
        return true;
      },
    });
    const xhr = new win.XMLHttpRequest() as unknown as FakeXhr;
    expect(() => xhr.open('POST', '/explode')).not.toThrow();
    expect(() => xhr.send('send body')).not.toThrow();
    xhr.open('POST', '/sync/u/0/i/s');
    expect(() => xhr.send('send body')).not.toThrow();
    expect(listener.sends).not.toHaveBeenCalled();
    expect(FakeXhr.calls.filter((c) => c[0] === 'send')).toHaveLength(2);
  });

  it('watches fetch too, returning the page its own response', async () => {
    const { win, listener, pageFetch } = setup();
    const response = await win.fetch('/sync/u/0/i/s', { method: 'POST', body: 'send body' });
    expect(await response.json()).toEqual({ answer: 1 });
    expect(pageFetch).toHaveBeenCalledWith('/sync/u/0/i/s', { method: 'POST', body: 'send body' });
    await vi.waitFor(() => expect(listener.outcomes).toHaveBeenCalledWith([{ messageId: 'msg-a:r1', ok: true }]));
    expect(listener.sends).toHaveBeenCalledWith([send]);
  });

  it('reads a Request body before fetch consumes it, and reports a network failure', async () => {
    const { win, listener, pageFetch } = setup();
    pageFetch.mockRejectedValueOnce(new TypeError('offline'));
    await expect(win.fetch(new Request('https://mail.google.com/sync/u/0/i/s', { method: 'POST', body: 'send body' }))).rejects.toThrow(
      'offline',
    );
    // Relative URLs only: an absolute URL is not wanted by this detector, so nothing is read.
    expect(listener.sends).not.toHaveBeenCalled();
    const { win: win2, listener: listener2, pageFetch: fetch2 } = setup({ wants: () => true });
    fetch2.mockRejectedValueOnce(new TypeError('offline'));
    await expect(win2.fetch(new Request('https://mail.google.com/sync/u/0/i/s', { method: 'POST', body: 'send body' }))).rejects.toThrow();
    await vi.waitFor(() => expect(listener2.outcomes).toHaveBeenCalledWith([{ messageId: 'msg-a:r1', ok: false }]));
  });

  it('leaves unrelated fetches alone', async () => {
    const { win, read } = setup();
    await win.fetch('/mail/u/0/data', { method: 'POST', body: 'send body' });
    expect(read).not.toHaveBeenCalled();
  });
});

describe('the page-world network hook changing a send request (BCC mode: lib/mail/network-bcc.ts)', () => {
  const withCopy = (_url: string, body: string) => (body.includes('send') ? { body: `${body} +bcc`, added: ['msg-a:r1'] } : null);

  it('sends the changed body by XMLHttpRequest, reads that body, and marks the send as having the address added', () => {
    const change = vi.fn(withCopy);
    const { win, read, listener } = setup({}, change);
    const xhr = new win.XMLHttpRequest() as unknown as FakeXhr;
    xhr.open('POST', '/sync/u/0/i/s');
    xhr.send('send body');
    expect(FakeXhr.calls.at(-1)).toEqual(['send', 'send body +bcc']);
    expect(change).toHaveBeenCalledWith('/sync/u/0/i/s', 'send body');
    expect(read).toHaveBeenCalledWith('/sync/u/0/i/s', 'send body +bcc');
    expect(listener.sends).toHaveBeenCalledWith([{ ...send, bccAdded: true }]);
  });

  it('sends the page its own call when nothing is to change, the change fails or the body is not a string', () => {
    const { win, listener } = setup({}, (url, body) => {
      if (body === 'send boom') throw new Error('boom');
      return withCopy(url, body);
    });
    const xhr = new win.XMLHttpRequest() as unknown as FakeXhr;
    xhr.open('POST', '/sync/u/0/i/s');
    xhr.send('draft body');
    xhr.open('POST', '/sync/u/0/i/s');
    expect(() => xhr.send('send boom')).not.toThrow();
    const form = new URLSearchParams('send=1');
    xhr.open('POST', '/sync/u/0/i/s');
    xhr.send(form);
    // Unwanted requests are never offered for a change.
    xhr.open('POST', '/other');
    xhr.send('send body');
    expect(FakeXhr.calls.filter((c) => c[0] === 'send')).toEqual([
      ['send', 'draft body'],
      ['send', 'send boom'],
      ['send', form],
      ['send', 'send body'],
    ]);
    expect(listener.sends).toHaveBeenCalledWith([send]);
  });

  it('fetches with the changed body in a copy of a plain init, and leaves other forms of fetch as the page made them', async () => {
    const { win, pageFetch, listener } = setup({ wants: (url, method) => method === 'POST' && url.includes('/sync/') }, withCopy);
    const headers = { 'content-type': 'application/json' };
    const init = { method: 'POST', headers, body: 'send body' };
    await win.fetch('/sync/u/0/i/s', init);
    expect(pageFetch).toHaveBeenLastCalledWith('/sync/u/0/i/s', { method: 'POST', headers, body: 'send body +bcc' });
    expect(init.body).toBe('send body');
    await vi.waitFor(() => expect(listener.sends).toHaveBeenCalledWith([{ ...send, bccAdded: true }]));

    // A Request's own body, an init that is not a plain object, a body carried in a header: as they are.
    const request = new Request('https://mail.google.com/sync/u/0/i/s', { method: 'POST', body: 'send body' });
    await win.fetch(request);
    expect(pageFetch.mock.calls.at(-1)).toEqual([request]);
    class Init {
      method = 'POST';
      body = 'send body';
    }
    const classy = new Init();
    await win.fetch('/sync/u/0/i/s', classy);
    expect(pageFetch.mock.calls.at(-1)?.[1]).toBe(classy);
    const { win: outlook, pageFetch: outlookFetch } = setup({ bodyHeader: 'x-owa-urlpostdata' }, withCopy);
    const carried = { method: 'POST', headers: { 'x-owa-urlpostdata': encodeURIComponent('send') }, body: '' };
    await outlook.fetch('/sync/u/0/i/s', carried);
    expect(outlookFetch.mock.calls.at(-1)?.[1]).toBe(carried);
  });
});
