// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ContentScriptContext } from 'wxt/utils/content-script-context';
import { BRIDGE_CHANNEL } from '@/lib/mail/bridge';
import { type MailPageSession, type PageReport, startContentWorld } from '@/lib/mail/content-world';
import { installNetworkHook, type SendDetector } from '@/lib/mail/network-hook';
import { startPageWorld } from '@/lib/mail/page-world';
import { startSendPipeline } from '@/lib/mail/send-pipeline';
import type { SendChoice } from '@/lib/mail/types';
import { composeSettings, detectedSend, reportingSession } from '../support/mail';

const settings = composeSettings();
const send = detectedSend();

/** jsdom's postMessage has no `source`; the scripts only trust messages from their own window. */
function deliverPostMessages() {
  vi.spyOn(window, 'postMessage').mockImplementation((data: unknown) => {
    setTimeout(() => window.dispatchEvent(new MessageEvent('message', { data, source: window })), 0);
  });
}
const fromPage = (payload: Record<string, unknown>) =>
  window.dispatchEvent(new MessageEvent('message', { data: { channel: BRIDGE_CHANNEL, provider: 'gmail', ...payload }, source: window }));

/** The worker's answers, in order: an Error is thrown (worker gone), an object is the Answer. */
function worker(answers: Array<Error | object>) {
  const seen: Array<{ type: string }> = [];
  vi.spyOn(fakeBrowser.runtime, 'sendMessage').mockImplementation((async (message: { type: string }) => {
    // Diagnostic counts (tests/unit/mail/diagnostic-counts.test.ts) do not take the answers meant for these requests.
    if (message.type === 'diag/count') return { ok: true, value: null };
    seen.push(message);
    const next = answers.shift() ?? { ok: true, value: message.type === 'content/hello' ? settings : { state: 'queued' } };
    if (next instanceof Error) throw next;
    return next;
  }) as never);
  return seen;
}

describe('an isolated script that starts before the worker answers', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-11-28T09:00:00Z') });
    deliverPostMessages();
  });
  afterEach(() => vi.useRealTimers());

  const start = (ctx = new ContentScriptContext('gmail')) => {
    const reports: PageReport[] = [];
    let session: MailPageSession | undefined;
    startContentWorld('gmail', ctx, (s) => {
      session = s;
      s.onReport((r) => reports.push(r));
    });
    return { reports, ctx, session: () => session };
  };

  it('keeps what the page reported while the introduction failed, and passes it on in order once it succeeds', async () => {
    const seen = worker([new Error('Could not establish connection'), { ok: false, error: { kind: 'internal', message: 'starting' } }]);
    const { reports, session } = start();
    fromPage({ kind: 'sends-detected', sends: [send], at: Date.now() });
    fromPage({ kind: 'send-outcome', messageId: send.messageId, ok: true });
    await vi.advanceTimersByTimeAsync(400);
    expect(session()).toBeUndefined();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(seen.filter((m) => m.type === 'content/hello')).toHaveLength(3);
    expect(reports.map((r) => r.kind)).toEqual(['sends-detected', 'send-outcome']);
  });

  it('takes repeated reports meant for it, and ignores those repeated for another script', async () => {
    worker([]);
    const posted = vi.mocked(window.postMessage);
    const { reports } = start();
    await vi.advanceTimersByTimeAsync(0);
    const hello = posted.mock.calls.map(([data]) => data as { kind?: string; nonce?: string }).find((d) => d.kind === 'isolated-ready');
    const nonce = hello?.nonce as string;
    expect(nonce).toMatch(/^[a-z0-9]{8,40}$/);
    fromPage({ kind: 'drafts-saved', messageIds: ['msg-a:r2'], replayFor: 'someotherscript1' });
    fromPage({ kind: 'drafts-saved', messageIds: ['msg-a:r3'], replayFor: nonce });
    expect(reports).toMatchObject([{ kind: 'drafts-saved', messageIds: ['msg-a:r3'] }]);
  });

  it('stops when its extension context is gone: nothing more is taken or reported', async () => {
    const seen = worker([]);
    const { reports, ctx } = start();
    await vi.advanceTimersByTimeAsync(0);
    ctx.notifyInvalidated();
    fromPage({ kind: 'sends-detected', sends: [send], at: Date.now() });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(reports).toEqual([]);
    expect(seen.filter((m) => m.type === 'mail/sent')).toEqual([]);
  });
});

describe('handing a send to the worker', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-11-28T09:00:00Z') });
    deliverPostMessages();
  });
  afterEach(() => vi.useRealTimers());

  const pipeline = (choice: SendChoice = { on: true }) => {
    const { session, report } = reportingSession(settings);
    startSendPipeline({ provider: 'gmail', session, mailbox: () => 'rep@acme.com', choiceFor: () => choice });
    return (fields: Record<string, unknown>) => report({ channel: BRIDGE_CHANNEL, provider: 'gmail', ...fields } as PageReport);
  };

  it('retries while the worker is restarting or answers an internal failure, until it acknowledges', async () => {
    const internal = { ok: false, error: { kind: 'internal', message: 'database closing' } };
    const seen = worker([new Error('Receiving end does not exist'), internal, internal]);
    const report = pipeline();
    report({ kind: 'sends-detected', sends: [send], at: Date.now() });
    report({ kind: 'send-outcome', messageId: send.messageId, ok: true });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(seen.filter((m) => m.type === 'mail/sent')).toHaveLength(4);
  });

  it('carries the record the rep picked in the compose with the report, unless the rep switched logging off', async () => {
    const seen = worker([]);
    const other = { ...send, messageId: 'msg-a:r2' };
    const picked = pipeline({ on: true, whatId: '006000000000001AAA' });
    picked({ kind: 'sends-detected', sends: [send], at: Date.now() });
    picked({ kind: 'send-outcome', messageId: send.messageId, ok: true });
    const off = pipeline({ on: false, whatId: '006000000000001AAA' });
    off({ kind: 'sends-detected', sends: [other], at: Date.now() });
    off({ kind: 'send-outcome', messageId: other.messageId, ok: true });
    await vi.advanceTimersByTimeAsync(1_000);
    const reports = seen.filter((m) => m.type === 'mail/sent');
    expect(reports).toEqual([
      expect.objectContaining({ loggingOn: true, whatId: '006000000000001AAA' }),
      expect.not.objectContaining({ whatId: expect.anything() }),
    ]);
    expect(reports[1]).toMatchObject({ loggingOn: false });
  });

  it('does not retry a report the worker refused', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const seen = worker([{ ok: false, error: { kind: 'invalidMessage', message: 'mail/sent: send is malformed' } }]);
    const report = pipeline();
    report({ kind: 'sends-detected', sends: [send], at: Date.now() });
    report({ kind: 'send-outcome', messageId: send.messageId, ok: true });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(seen.filter((m) => m.type === 'mail/sent')).toHaveLength(1);
    expect(warn).toHaveBeenCalledOnce();
  });

  it('starts the undo window when the page saw the send, not when the report arrived', async () => {
    const seen = worker([]);
    const report = pipeline();
    const sessionSettings = settings;
    sessionSettings.undoSendSeconds = 5;
    try {
      report({ kind: 'sends-detected', sends: [send], at: Date.now() - 5_500 });
      report({ kind: 'send-outcome', messageId: send.messageId, ok: true });
      await vi.advanceTimersByTimeAsync(600);
      expect(seen.filter((m) => m.type === 'mail/sent')).toHaveLength(1);
    } finally {
      sessionSettings.undoSendSeconds = 0;
    }
  });
});

describe('the page world', () => {
  const detector: SendDetector = {
    wants: (url) => url.startsWith('/sync/'),
    read: (_url, body) => ({ sends: body === 'send' ? [send] : [], draftIds: [] }),
    confirm: (sends, status) => sends.map((s) => ({ messageId: s.messageId, ok: status === 200 })),
  };

  class Xhr {
    open() {}
    send() {}
    addEventListener() {}
  }

  it('hooks a window once: a newer script takes the hook over and each request is reported once, to it', () => {
    const win = { XMLHttpRequest: Xhr as unknown as typeof XMLHttpRequest, fetch: undefined as unknown as typeof fetch };
    const first = { sends: vi.fn(), outcomes: vi.fn(), drafts: vi.fn() };
    const second = { sends: vi.fn(), outcomes: vi.fn(), drafts: vi.fn() };
    expect(installNetworkHook(win, detector, first)).toBe('installed');
    const wrapped = win.XMLHttpRequest.prototype.send;
    expect(installNetworkHook(win, detector, second)).toBe('takenOver');
    expect(win.XMLHttpRequest.prototype.send).toBe(wrapped);
    const xhr = new win.XMLHttpRequest();
    xhr.open('POST', '/sync/u/0/i/s');
    xhr.send('send');
    expect(first.sends).not.toHaveBeenCalled();
    expect(second.sends).toHaveBeenCalledOnce();
  });

  it('repeats what it saw to an isolated script that introduces itself later, once, and a newer page world keeps it', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-28T09:00:00Z') });
    try {
      deliverPostMessages();
      const heard: Array<Record<string, unknown>> = [];
      window.addEventListener('message', (e) => heard.push(e.data));
      (window as unknown as { XMLHttpRequest: unknown }).XMLHttpRequest = Xhr;
      startPageWorld('gmail', detector);
      const xhr = new window.XMLHttpRequest();
      xhr.open('POST', '/sync/u/0/i/s');
      xhr.send('send');
      await vi.advanceTimersByTimeAsync(0);
      // An updated extension injects its page-world script again, then its isolated script.
      startPageWorld('gmail', detector);
      fromPage({ kind: 'isolated-ready', nonce: 'isolatedscript1' });
      fromPage({ kind: 'isolated-ready', nonce: 'isolatedscript1' });
      await vi.advanceTimersByTimeAsync(0);
      const repeated = heard.filter((m) => m.replayFor === 'isolatedscript1');
      expect(repeated).toMatchObject([{ kind: 'sends-detected', sends: [{ messageId: 'msg-a:r1' }], at: Date.now() }]);
      expect(heard.filter((m) => m.kind === 'page-ready')).toHaveLength(3);
    } finally {
      vi.useRealTimers();
    }
  });
});
