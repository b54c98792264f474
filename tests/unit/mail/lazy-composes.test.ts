// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { ComposeWatcherOptions } from '@/lib/mail/compose-watcher';
import { countDiagnostic } from '@/lib/mail/diagnostic-counts';
import { type ComposeSignals, lazyComposes } from '@/lib/mail/lazy-composes';
import { offerScript } from '@/lib/mail/lazy-script';
import type { ComposeSettings } from '@/lib/messages';

vi.mock('@/lib/mail/diagnostic-counts', () => ({ countDiagnostic: vi.fn() }));

const signals: ComposeSignals = { script: 'gmail-compose', sentinel: 'compose-sentinel', announcers: 'input[name="draft"]' };

/** A worker that injects the compose script (or fails, for an Error) per request, in order. */
function worker(answers: Array<'inject' | 'injectNothing' | Error>) {
  const watcher = { choiceFor: vi.fn(() => ({ on: false })), refresh: vi.fn() };
  const start = vi.fn(() => watcher);
  const asked: string[] = [];
  vi.spyOn(fakeBrowser.runtime, 'sendMessage').mockImplementation((async (message: { type: string; script: string }) => {
    asked.push(`${message.type} ${message.script}`);
    const next = answers.shift();
    if (next instanceof Error) throw next;
    if (next === 'inject') offerScript('gmail-compose', start);
    return { ok: true, value: null };
  }) as never);
  return { watcher, start, asked };
}

/** Each test's loader stops after it, as the content script's does when it stops. */
const running: AbortController[] = [];

function options(): ComposeWatcherOptions {
  const stop = new AbortController();
  running.push(stop);
  return {
    settings: () => ({}) as ComposeSettings,
    mailbox: () => 'rep@acme.com',
    signal: stop.signal,
    alive: () => true,
  };
}

/** What the browser does when it renders an element the compose CSS animates. */
function animate(name: string): Element {
  const element = document.createElement('div');
  document.body.append(element);
  const event = new Event('animationstart', { bubbles: true });
  Object.defineProperty(event, 'animationName', { value: name });
  element.dispatchEvent(event);
  return element;
}

const send = { messageId: 'm1', subject: 'Hello' };

describe('the compose UI, loaded on demand', () => {
  afterEach(() => {
    for (const stop of running.splice(0)) stop.abort();
    offerScript('gmail-compose', undefined);
    document.body.replaceChildren();
    vi.restoreAllMocks();
    vi.mocked(countDiagnostic).mockClear();
  });

  it('is not loaded on a page where no compose appears', async () => {
    const { asked, start } = worker(['inject']);
    const composes = lazyComposes(document, signals, options());
    animate('some-other-animation');
    composes.refresh();
    expect(composes.choiceFor(send)).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(asked).toEqual([]);
    expect(start).not.toHaveBeenCalled();
  });

  it('is loaded once when a compose appears, not again for later composes, and answers for them then', async () => {
    const { asked, start, watcher } = worker(['inject', 'inject']);
    const given = options();
    const composes = lazyComposes(document, signals, given);
    const first = animate('compose-sentinel');
    const second = animate('compose-sentinel');
    await vi.waitFor(() => expect(start).toHaveBeenCalledOnce());
    // The watcher starts from the composes that appeared while its script was loading.
    expect(start).toHaveBeenCalledWith(document, given, [first, second]);
    animate('compose-sentinel');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(asked).toEqual(['script/load gmail-compose']);
    expect(composes.choiceFor(send)).toEqual({ on: false });
    expect(watcher.choiceFor).toHaveBeenCalledWith(send);
    composes.refresh();
    expect(watcher.refresh).toHaveBeenCalledOnce();
  });

  it('is loaded at once when a compose is open already as the script starts', async () => {
    const { asked, start } = worker(['inject']);
    document.body.innerHTML = '<form><input name="draft" type="hidden"></form>';
    lazyComposes(document, signals, options());
    await vi.waitFor(() => expect(start).toHaveBeenCalledOnce());
    expect(asked).toEqual(['script/load gmail-compose']);
  });

  it('asks again a second later when the worker could not answer', async () => {
    const { asked, start } = worker([new Error('worker restarting'), 'inject']);
    lazyComposes(document, signals, options());
    const compose = animate('compose-sentinel');
    await vi.waitFor(() => expect(start).toHaveBeenCalledOnce(), { timeout: 3_000 });
    expect(asked).toEqual(['script/load gmail-compose', 'script/load gmail-compose']);
    expect(start).toHaveBeenCalledWith(document, expect.anything(), [compose]);
  });

  it('counts the open compose as one without its control when the script does not start, and asks again at the next compose', async () => {
    const { asked, start } = worker(['injectNothing', 'inject']);
    lazyComposes(document, signals, options());
    animate('compose-sentinel');
    await vi.waitFor(() => expect(countDiagnostic).toHaveBeenCalledWith('controlNotPlaced'));
    expect(start).not.toHaveBeenCalled();
    animate('compose-sentinel');
    await vi.waitFor(() => expect(start).toHaveBeenCalledOnce());
    expect(asked).toEqual(['script/load gmail-compose', 'script/load gmail-compose']);
  });

  it('stops listening when the script stops', async () => {
    const { asked } = worker(['inject']);
    lazyComposes(document, signals, options());
    running[0]?.abort();
    animate('compose-sentinel');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(asked).toEqual([]);
  });
});
