/**
 * Watches, from the page's JavaScript world, the answers of the calls a webmail makes to load
 * mail for the rep to read (a thread, a conversation), and hands each answer's text on as it is:
 * the worker reads it (lib/mail/incoming/gmail-thread.ts, outlook-conversation.ts), so the page
 * scripts stay small and untrusted data is parsed away from the page. It wraps `XMLHttpRequest`
 * and `fetch` once more, on top of the send hook (lib/mail/network-hook.ts), with the same
 * promises: every request goes out exactly as the page made it, an unrelated request costs one
 * URL test, and nothing can throw into the page. Answers are read from a copy.
 */

export interface AnswerWatch {
  /** From the URL and method alone; must be cheap. */
  wants(url: string, method: string): boolean;
  /** Whether an answer's text may hold messages (a cheap test; most sync answers hold none). */
  mayHold(text: string): boolean;
}

/** Answers above this are not handed on (a thread of this size is not one a rep reads). */
export const MAX_ANSWER_LENGTH = 4_000_000;

type HookedWindow = Pick<typeof globalThis, 'XMLHttpRequest' | 'fetch'>;

/** Where a window's hook keeps its watch and listener; global so that a newer script finds it. */
const HOOK = Symbol.for('sales-activity-sync.answer-hook');

interface HookSlot {
  watch: AnswerWatch;
  onAnswer: (url: string, text: string) => void;
}

/**
 * Installs the hook on a window once; a later call (the page-world script of an updated
 * extension) takes it over, as the send hook does, so that an answer is never handed on twice.
 */
export function installAnswerHook(
  win: HookedWindow,
  watch: AnswerWatch,
  onAnswer: (url: string, text: string) => void,
): 'installed' | 'takenOver' {
  const existing = (win as unknown as Record<symbol, HookSlot | undefined>)[HOOK];
  if (existing) {
    existing.watch = watch;
    existing.onAnswer = onAnswer;
    return 'takenOver';
  }
  const slot: HookSlot = { watch, onAnswer };
  Object.defineProperty(win, HOOK, { value: slot });

  const take = (url: string, status: number, text: unknown) => {
    try {
      if (status >= 200 && status < 300 && typeof text === 'string' && text.length <= MAX_ANSWER_LENGTH && slot.watch.mayHold(text)) {
        slot.onAnswer(url, text);
      }
    } catch {
      // An answer not handed on is mail not logged; the page goes on.
    }
  };
  const wanted = (url: string, method: string) => {
    try {
      return slot.watch.wants(url, method.toUpperCase());
    } catch {
      return false;
    }
  };

  const Xhr = win.XMLHttpRequest;
  if (typeof Xhr === 'function') {
    const proto = Xhr.prototype;
    const originalOpen = proto.open;
    const urls = new WeakMap<XMLHttpRequest, string>();
    proto.open = function open(this: XMLHttpRequest, method: string, url: string | URL) {
      // biome-ignore lint/complexity/noArguments: the arity of the page's call matters here
      const result = originalOpen.apply(this, arguments as unknown as Parameters<typeof originalOpen>);
      try {
        const href = String(url);
        if (!wanted(href, String(method))) urls.delete(this);
        else {
          if (!urls.has(this)) {
            this.addEventListener('loadend', () => {
              const target = urls.get(this);
              if (target === undefined || (this.responseType !== '' && this.responseType !== 'text')) return;
              take(target, this.status, this.responseText);
            });
          }
          urls.set(this, href);
        }
      } catch {
        // Never into the page.
      }
      return result;
    } as typeof proto.open;
  }

  const originalFetch = win.fetch;
  if (typeof originalFetch === 'function') {
    win.fetch = function fetch(this: unknown, input: RequestInfo | URL, init?: RequestInit) {
      let href: string | undefined;
      try {
        const request = typeof Request === 'function' && input instanceof Request ? input : undefined;
        const url = request ? request.url : String(input);
        if (wanted(url, String(init?.method ?? request?.method ?? 'GET'))) href = url;
      } catch {
        href = undefined;
      }
      // biome-ignore lint/complexity/noArguments: pass the page's call through unchanged
      const response: Promise<Response> = originalFetch.apply(this, arguments as unknown as Parameters<typeof originalFetch>);
      if (href !== undefined) {
        const url = href;
        // Registered before the page's own handlers, so the copy is made before the page reads the body.
        response
          .then((res) =>
            res
              .clone()
              .text()
              .then((text) => take(url, res.status, text)),
          )
          .catch(() => {});
      }
      return response;
    } as typeof win.fetch;
  }
  return 'installed';
}
