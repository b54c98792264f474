import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSendHandoff, MAX_PENDING_MS, MIN_UNDO_DELAY_MS, type ReleasedSend, UNDO_GRACE_MS } from '@/lib/mail/send-handoff';
import type { DetectedSend } from '@/lib/mail/types';

const send = (messageId: string, extra: Partial<DetectedSend> = {}): DetectedSend => ({
  messageId,
  scheduled: false,
  to: [{ email: 'buyer@customer.com' }],
  cc: [],
  bcc: [],
  subject: 'Quote',
  bodyHtml: '<p>hi</p>',
  ...extra,
});

describe('handing a send to the worker after its undo window', () => {
  let released: ReleasedSend[];
  let undoSeconds: number;
  const make = () => createSendHandoff({ undoSeconds: () => undoSeconds, handOff: (r) => released.push(r) });

  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-11-28T09:00:00Z') });
    released = [];
    undoSeconds = 10;
  });
  afterEach(() => vi.useRealTimers());

  const windowMs = () => undoSeconds * 1000 + UNDO_GRACE_MS;

  it('hands a confirmed send over once its window has passed, not before', () => {
    const handoff = make();
    handoff.detected([send('msg-a:r1')]);
    handoff.outcome({ messageId: 'msg-a:r1', ok: true, rfcMessageId: '<x@mail.gmail.com>' });
    vi.advanceTimersByTime(windowMs() - 1);
    expect(released).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(released).toEqual([
      { send: send('msg-a:r1'), requestedAt: Date.parse('2026-11-28T09:00:00Z'), rfcMessageId: '<x@mail.gmail.com>' },
    ]);
  });

  it('waits for a late confirmation after the window', () => {
    const handoff = make();
    handoff.detected([send('msg-a:r1')]);
    vi.advanceTimersByTime(windowMs() + 5_000);
    expect(released).toEqual([]);
    handoff.outcome({ messageId: 'msg-a:r1', ok: true });
    expect(released).toHaveLength(1);
  });

  it('never hands over an undone send, by the Undo button or by a draft save of the same message', () => {
    const handoff = make();
    handoff.detected([send('msg-a:r1'), send('msg-a:r2')]);
    vi.advanceTimersByTime(1_000);
    handoff.detected([send('msg-a:r3')]);
    expect(handoff.undo()).toBe(true); // the most recent: r3
    handoff.draftsSaved(['msg-a:r1']);
    for (const id of ['msg-a:r1', 'msg-a:r2', 'msg-a:r3']) handoff.outcome({ messageId: id, ok: true });
    vi.advanceTimersByTime(60_000);
    expect(released.map((r) => r.send.messageId)).toEqual(['msg-a:r2']);
  });

  it('takes a draft save racing the send (autosave) for what it is, not for an undo', () => {
    const handoff = make();
    handoff.detected([send('msg-a:r1')]);
    vi.advanceTimersByTime(MIN_UNDO_DELAY_MS - 1);
    handoff.draftsSaved(['msg-a:r1']);
    handoff.outcome({ messageId: 'msg-a:r1', ok: true });
    vi.advanceTimersByTime(windowMs());
    expect(released).toHaveLength(1);
  });

  it('does not undo a send whose window has passed', () => {
    const handoff = make();
    handoff.detected([send('msg-a:r1')]);
    vi.advanceTimersByTime(windowMs());
    expect(handoff.undo()).toBe(false);
    handoff.outcome({ messageId: 'msg-a:r1', ok: true });
    expect(released).toHaveLength(1);
  });

  it('never hands over a failed send, and sees a retry of it afresh', () => {
    const handoff = make();
    handoff.detected([send('msg-a:r1')]);
    handoff.outcome({ messageId: 'msg-a:r1', ok: false });
    vi.advanceTimersByTime(60_000);
    expect(released).toEqual([]);
    handoff.detected([send('msg-a:r1')]);
    handoff.outcome({ messageId: 'msg-a:r1', ok: true });
    vi.advanceTimersByTime(windowMs());
    expect(released).toHaveLength(1);
  });

  it('hands each message over exactly once, whatever Gmail repeats', () => {
    const handoff = make();
    handoff.detected([send('msg-a:r1')]);
    vi.advanceTimersByTime(3_000);
    handoff.detected([send('msg-a:r1')]);
    handoff.outcome({ messageId: 'msg-a:r1', ok: true });
    handoff.outcome({ messageId: 'msg-a:r1', ok: true });
    vi.advanceTimersByTime(windowMs());
    handoff.detected([send('msg-a:r1')]);
    handoff.outcome({ messageId: 'msg-a:r1', ok: true });
    vi.advanceTimersByTime(windowMs());
    expect(released).toHaveLength(1);
    // The first sighting started the window.
    expect(released[0]?.requestedAt).toBe(Date.parse('2026-11-28T09:00:00Z'));
  });

  it('reads the undo window at each send, and hands over at once when it is zero', () => {
    const handoff = make();
    undoSeconds = 0;
    handoff.detected([send('msg-a:r1')]);
    handoff.outcome({ messageId: 'msg-a:r1', ok: true });
    vi.advanceTimersByTime(0);
    expect(released).toHaveLength(1);
    undoSeconds = 30;
    handoff.detected([send('msg-a:r2')]);
    handoff.outcome({ messageId: 'msg-a:r2', ok: true });
    vi.advanceTimersByTime(30_000);
    expect(released).toHaveLength(1);
    vi.advanceTimersByTime(UNDO_GRACE_MS);
    expect(released).toHaveLength(2);
  });

  it('forgets a send that never got an answer', () => {
    const handoff = make();
    handoff.detected([send('msg-a:r1')]);
    vi.advanceTimersByTime(windowMs() + MAX_PENDING_MS);
    expect(handoff.pendingIds()).toEqual([]);
  });
});
