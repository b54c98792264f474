// @vitest-environment jsdom
/**
 * The diagnostic counts a mail tab makes (lib/mail/diagnostic-counts.ts) and where it makes them:
 * the send pipeline and the compose watcher. Each test loads the modules afresh: the counts
 * waiting to go are the tab's, kept in its module.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { ComposeAdapter } from '@/lib/mail/compose-watcher';
import type { DetectedSend, SendChoice } from '@/lib/mail/types';
import { composeSettings, detectedSend, reportingSession } from '../support/mail';

const settings = composeSettings();
const send = detectedSend();
const TODAY = '2026-12-02';

type Answer = Error | object;
/** The worker: `diag/count` and `mail/sent` answers in order (an Error: the worker is gone); then it takes everything. */
function worker({ counts = [] as Answer[], sent = [] as Answer[] } = {}) {
  const delivered: Array<Record<string, number>> = [];
  const reports: unknown[] = [];
  vi.spyOn(fakeBrowser.runtime, 'sendMessage').mockImplementation((async (message: { type: string; counts?: Record<string, number> }) => {
    const next = (message.type === 'diag/count' ? counts : message.type === 'mail/sent' ? sent : []).shift();
    if (next instanceof Error) throw next;
    if (next) return next;
    if (message.type === 'diag/count') delivered.push(message.counts ?? {});
    if (message.type === 'mail/sent') reports.push(message);
    return {
      ok: true,
      value:
        message.type === 'mail/sent' ? { state: 'queued' } : message.type === 'compose/preview' ? { mode: 'api', willLog: true } : null,
    };
  }) as never);
  /** Every count the worker took, added up. */
  const total = () => {
    const sum: Record<string, number> = {};
    for (const counts of delivered) for (const [key, n] of Object.entries(counts)) sum[key] = (sum[key] ?? 0) + n;
    return sum;
  };
  return { delivered, reports, total };
}

beforeEach(() => {
  vi.resetModules();
  vi.useFakeTimers({ now: new Date(2026, 11, 2, 9, 0) });
});
afterEach(() => vi.useRealTimers());

describe('counting in a mail tab', () => {
  it('sends the counts of a moment in one message, by local day', async () => {
    const { delivered } = worker();
    const { countDiagnostic } = await import('@/lib/mail/diagnostic-counts');
    countDiagnostic('sendNoCompose');
    countDiagnostic('sendNoCompose');
    countDiagnostic('bccInRequest');
    expect(delivered).toEqual([]);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(delivered).toEqual([{ [`${TODAY} sendNoCompose`]: 2, [`${TODAY} bccInRequest`]: 1 }]);
    countDiagnostic('reportRetried');
    await vi.advanceTimersByTimeAsync(2_000);
    expect(delivered).toEqual([{ [`${TODAY} sendNoCompose`]: 2, [`${TODAY} bccInRequest`]: 1 }, { [`${TODAY} reportRetried`]: 1 }]);
  });

  it('keeps counts the worker did not take and sends them again, with those counted meanwhile', async () => {
    const { delivered } = worker({
      counts: [new Error('Could not establish connection'), { ok: false, error: { kind: 'internal', message: 'x' } }],
    });
    const { countDiagnostic } = await import('@/lib/mail/diagnostic-counts');
    countDiagnostic('droppedUnreachable');
    await vi.advanceTimersByTimeAsync(2_000);
    countDiagnostic('droppedUnreachable');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(delivered).toEqual([{ [`${TODAY} droppedUnreachable`]: 2 }]);
  });

  it('stops when the extension is gone (an updated script counts from then on)', async () => {
    const { delivered } = worker({ counts: [new Error('Extension context invalidated.')] });
    const { countDiagnostic } = await import('@/lib/mail/diagnostic-counts');
    countDiagnostic('reportRetried');
    const id = fakeBrowser.runtime.id;
    Object.defineProperty(fakeBrowser.runtime, 'id', { value: undefined, configurable: true });
    try {
      await vi.advanceTimersByTimeAsync(120_000);
    } finally {
      Object.defineProperty(fakeBrowser.runtime, 'id', { value: id, configurable: true });
    }
    expect(delivered).toEqual([]);
  });
});

describe('what the send pipeline counts', () => {
  const pipeline = async (choiceFor: (send: DetectedSend) => SendChoice | undefined, mailbox: string | null = 'rep@acme.com') => {
    const { startSendPipeline } = await import('@/lib/mail/send-pipeline');
    const { session, report } = reportingSession(settings);
    startSendPipeline({ provider: 'gmail', session, mailbox: () => mailbox, choiceFor });
    return (sent: DetectedSend) => {
      report({ channel: 'sales-activity-sync', provider: 'gmail', kind: 'sends-detected', sends: [sent], at: Date.now() });
      report({ channel: 'sales-activity-sync', provider: 'gmail', kind: 'send-outcome', messageId: sent.messageId, ok: true });
    };
  };

  it('a send that no compose accounts for, once, and not one whose compose is known', async () => {
    const { total } = worker();
    const sent = await pipeline((s) => (s.messageId === 'msg-a:known' ? { on: false } : undefined));
    sent(send);
    sent(send);
    sent({ ...send, messageId: 'msg-a:known' });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(total()).toEqual({ [`${TODAY} sendNoCompose`]: 1 });
  });

  it('a send the page world added the BCC address to, once, as the page world reports it', async () => {
    const { total } = worker();
    const sent = await pipeline(() => ({ on: true }));
    const added = { ...send, messageId: 'msg-a:added', bcc: [{ email: 'e2s@abc.le.salesforce.com' }], bccAdded: true as const };
    sent(added);
    sent(added);
    sent(send);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(total()).toEqual({ [`${TODAY} bccInRequest`]: 1 });
  });

  it('a report retried (once, however many attempts), and one given up for each reason', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const internal = { ok: false, error: { kind: 'internal', message: 'database closing' } };
    const refused = { ok: false, error: { kind: 'invalidMessage', message: 'mail/sent: send is malformed' } };
    const taken = { ok: true, value: { state: 'queued' } };
    const { total } = worker({ sent: [new Error('Receiving end does not exist'), internal, internal, taken, refused] });
    const sent = await pipeline(() => ({ on: true }));
    sent(send);
    await vi.advanceTimersByTimeAsync(60_000);
    sent({ ...send, messageId: 'msg-a:r2' });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(total()).toEqual({ [`${TODAY} reportRetried`]: 1, [`${TODAY} droppedRefused`]: 1 });
  });

  it('a report given up after an hour of a worker that does not answer, and one whose mailbox is unknown', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { total } = worker({ sent: Array.from({ length: 16 }, () => new Error('Receiving end does not exist')) });
    const sent = await pipeline(() => ({ on: true }));
    sent(send);
    await vi.advanceTimersByTimeAsync(2 * 3_600_000);
    expect(total()).toEqual({ [`${TODAY} reportRetried`]: 1, [`${TODAY} droppedUnreachable`]: 1 });

    vi.resetModules();
    const other = worker();
    const unknown = await pipeline(() => ({ on: true }), null);
    unknown(send);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(other.total()).toEqual({ [`${TODAY} droppedNoMailbox`]: 1 });
  });
});

describe('what the compose watcher counts', () => {
  const adapter: ComposeAdapter = {
    provider: 'outlook',
    sentinel: 'test-compose',
    announcers: (doc) => doc.querySelectorAll('.compose'),
    composeRootOf: (element) => element.closest('.compose'),
    controlAnchor: (root) => root.querySelector('.send'),
    messageIdOf: () => null,
    subjectOf: (root) => root.getAttribute('data-subject'),
    recipientsOf: () => [],
    chipsOf: () => [],
    addBcc: () => false,
    isSendButton: (target) => !!target.closest('.send'),
    isInBcc: () => false,
    recreatesComposes: true,
  };
  const compose = (subject: string, withSend: boolean) => {
    const root = document.createElement('div');
    root.className = 'compose';
    root.setAttribute('data-subject', subject);
    if (withSend) root.append(Object.assign(document.createElement('button'), { className: 'send' }));
    document.body.append(root);
    root.dispatchEvent(Object.assign(new Event('animationstart', { bubbles: true }), { animationName: 'test-compose' }));
    return root;
  };

  it('a compose that closed without its control ever shown, once even when the webmail re-created it meanwhile', async () => {
    const { total } = worker();
    const { watchComposes } = await import('@/lib/mail/compose-watcher');
    const abort = new AbortController();
    const watcher = watchComposes(document, adapter, {
      settings: () => settings,
      mailbox: () => null,
      signal: abort.signal,
      alive: () => true,
    });
    const shown = compose('Shown', true);
    const lost = compose('Lost', false);
    await vi.advanceTimersByTimeAsync(50);
    expect(shown.querySelector('.send + *')).not.toBeNull();
    // The webmail re-creates the compose with no Send button (a docked compose opened full page), then it is sent.
    lost.remove();
    await vi.advanceTimersByTimeAsync(50);
    const recreated = compose('Lost', false);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(total()).toEqual({});
    // Sent: the compose goes, and the watcher looks for it when the send is seen on the network.
    recreated.remove();
    shown.remove();
    expect(watcher.choiceFor({ messageId: 'msg-1', subject: 'Lost' })?.on).toBe(true);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(total()).toEqual({ [`${TODAY} controlNotPlaced`]: 1 });
    abort.abort();
    document.body.replaceChildren();
  });
});
