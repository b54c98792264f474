// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ContentScriptContext as WxtContext } from 'wxt/utils/content-script-context';
import { ContentScriptContext } from '@/lib/mail/script-context';

describe("the content scripts' own script context", () => {
  afterEach(() => vi.useRealTimers());

  it("a newer copy of the same script stops the older one, not the other provider's", () => {
    const older = new ContentScriptContext('gmail');
    const other = new ContentScriptContext('outlook');
    const newer = new ContentScriptContext('gmail');
    expect(older.isValid).toBe(false);
    expect(older.signal.aborted).toBe(true);
    expect(newer.isValid).toBe(true);
    expect(other.isValid).toBe(true);
  });

  it("speaks WXT's start-up signal both ways, so versions built either way stop each other", () => {
    // WXT names the event after the entrypoint its build substitutes (import.meta.env.ENTRYPOINT).
    const name = (WxtContext as unknown as { SCRIPT_STARTED_MESSAGE_TYPE: string }).SCRIPT_STARTED_MESSAGE_TYPE.split(':')[1] as string;
    const old = new WxtContext(name);
    const mine = new ContentScriptContext(name);
    expect(old.isValid).toBe(false);
    new WxtContext(name);
    expect(mine.isValid).toBe(false);
  });

  it('ends when the extension is gone: its timers do not fire and its listeners are told', () => {
    vi.useFakeTimers();
    const ctx = new ContentScriptContext('outlook');
    const fired = vi.fn();
    const ended = vi.fn();
    ctx.onInvalidated(ended);
    ctx.setTimeout(fired, 100);
    vi.spyOn(fakeBrowser.runtime, 'id', 'get').mockReturnValue(undefined as never);
    expect(ctx.isInvalid).toBe(true);
    expect(ended).toHaveBeenCalledOnce();
    vi.advanceTimersByTime(200);
    expect(fired).not.toHaveBeenCalled();
  });

  it('runs its timers while valid', () => {
    vi.useFakeTimers();
    const ctx = new ContentScriptContext('gmail');
    const fired = vi.fn();
    ctx.setTimeout(fired, 100);
    vi.advanceTimersByTime(100);
    expect(fired).toHaveBeenCalledOnce();
  });
});
