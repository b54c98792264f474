import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { type AnswerWatch, installAnswerHook } from '@/lib/mail/incoming/answer-hook';
import { gmailAnswerWatch, outlookAnswerWatch } from '@/lib/mail/incoming/answer-watch';

const FD = readFileSync(join(process.cwd(), 'tests/fixtures/mail/incoming/gmail-fd-answer.json'), 'utf8');
const GCI = readFileSync(join(process.cwd(), 'tests/fixtures/mail/incoming/owa-getconversationitems-answer.json'), 'utf8');

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
  finish(status: number, text: string) {
    this.readyState = 4;
    this.status = status;
    this.responseText = text;
    this.dispatchEvent(new Event('loadend'));
  }
}

function setup(watch: AnswerWatch, answer = GCI) {
  FakeXhr.calls = [];
  const pageFetch = vi.fn(async (_input: RequestInfo | URL, _init?: RequestInit) => new Response(answer, { status: 200 }));
  const win = { XMLHttpRequest: FakeXhr as unknown as typeof XMLHttpRequest, fetch: pageFetch as unknown as typeof fetch };
  const received = vi.fn();
  installAnswerHook(win, watch, received);
  return { win, received, pageFetch };
}

describe('the page-world answer hook', () => {
  it("hands on the answer of Gmail's thread call once it arrived, passing the page's calls through unchanged", () => {
    const { win, received } = setup(gmailAnswerWatch);
    const xhr = new win.XMLHttpRequest() as unknown as FakeXhr;
    (xhr as unknown as XMLHttpRequest).open('POST', '/sync/u/0/i/fd?hl=en&c=3', true);
    xhr.send('[[["thread-f:1",1]]]');
    expect(FakeXhr.calls).toEqual([
      ['open', 'POST', '/sync/u/0/i/fd?hl=en&c=3', true],
      ['send', '[[["thread-f:1",1]]]'],
    ]);
    expect(received).not.toHaveBeenCalled();
    xhr.finish(200, FD);
    expect(received.mock.calls).toEqual([['/sync/u/0/i/fd?hl=en&c=3', FD]]);
  });

  it('hands on nothing from failed answers, other calls, or sync answers that name no message', () => {
    const { win, received } = setup(gmailAnswerWatch);
    const failed = new win.XMLHttpRequest() as unknown as FakeXhr;
    failed.open('POST', '/sync/u/0/i/fd');
    failed.send('');
    failed.finish(500, FD);
    const other = new win.XMLHttpRequest() as unknown as FakeXhr;
    other.open('GET', '/sync/u/0/i/fd');
    other.send(null);
    other.finish(200, FD);
    const counts = new win.XMLHttpRequest() as unknown as FakeXhr;
    counts.open('POST', '/sync/u/0/i/s?c=9');
    counts.send('[]');
    counts.finish(200, '[null,[["^i",3]]]');
    expect(received).not.toHaveBeenCalled();
  });

  it('copies an Outlook conversation, and the page still gets the whole answer', async () => {
    const { win, received, pageFetch } = setup(outlookAnswerWatch);
    const response = await win.fetch('/owa/0/service.svc?action=GetConversationItems&app=Mail&n=4', { method: 'POST', body: '{}' });
    expect(await response.text()).toBe(GCI);
    expect(pageFetch).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => expect(received).toHaveBeenCalledTimes(1));
    expect(received.mock.calls[0]?.[1]).toBe(GCI);
  });

  it('never throws into the page when a reader does, and a newer script takes the hook over', async () => {
    const broken: AnswerWatch = {
      wants: () => {
        throw new Error('watch bug');
      },
      mayHold: () => true,
    };
    const { win, received } = setup(broken);
    await expect(win.fetch('/owa/0/service.svc?action=GetItem', { method: 'POST' })).resolves.toBeInstanceOf(Response);
    const xhr = new win.XMLHttpRequest() as unknown as FakeXhr;
    expect(() => xhr.open('POST', '/owa/0/service.svc?action=GetItem')).not.toThrow();
    expect(received).not.toHaveBeenCalled();

    const newer = vi.fn();
    expect(installAnswerHook(win, outlookAnswerWatch, newer)).toBe('takenOver');
    await win.fetch('/owa/0/service.svc?action=GetConversationItems', { method: 'POST', body: '{}' });
    await vi.waitFor(() => expect(newer).toHaveBeenCalledTimes(1));
    expect(received).not.toHaveBeenCalled();
  });
});
