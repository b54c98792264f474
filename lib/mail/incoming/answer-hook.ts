/**
 * Watches, from the page's JavaScript world, the answers of the calls a webmail makes to load
 * mail for the rep to read (a thread, a conversation), and hands the messages a reader finds in
 * them to `onMessages`. It wraps `XMLHttpRequest` and `fetch` once more, on top of the send
 * hook (lib/mail/network-hook.ts), and keeps the same promises: every request goes out exactly
 * as the page made it, an unrelated request costs one URL test, and nothing can throw into the
 * page. Answers are read from a copy, after the page got its own.
 */
import type { IncomingMessage } from './message';

export interface AnswerReader {
  /** From the URL and method alone; must be cheap. */
  wants(url: string, method: string): boolean;
  read(url: string, text: string): IncomingMessage[];
}

/** Answers above this are not read (a thread of this size is not one a rep reads). */
export const MAX_ANSWER_LENGTH = 8_000_000;

type HookedWindow = Pick<typeof globalThis, 'XMLHttpRequest' | 'fetch'>;

/** Where a window's hook keeps its reader and listener; global so that a newer script finds it. */
const HOOK = Symbol.for('sales-activity-sync.answer-hook');

interface HookSlot {
  reader: AnswerReader;
  onMessages: (messages: IncomingMessage[]) => void;
}

/**
 * Installs the hook on a window once; a later call (the page-world script of an updated
 * extension) takes it over, as the send hook does, so that an answer is never read twice.
 */
export function installAnswerHook(
  win: HookedWindow,
  reader: AnswerReader,
  onMessages: (messages: IncomingMessage[]) => void,
): 'installed' | 'takenOver' {
  const existing = (win as unknown as Record<symbol, HookSlot | undefined>)[HOOK];
  if (existing) {
    existing.reader = reader;
    existing.onMessages = onMessages;
    return 'takenOver';
  }
  const slot: HookSlot = { reader, onMessages };
  Object.defineProperty(win, HOOK, { value: slot });

  const take = (url: string, status: number, text: unknown) => {
    try {
      if (status < 200 || status >= 300 || typeof text !== 'string' || text.length > MAX_ANSWER_LENGTH) return;
      const messages = slot.reader.read(url, text);
      if (messages.length > 0) slot.onMessages(messages);
    } catch {
      // A message not read is a message not logged; the page goes on.
    }
  };

  const Xhr = win.XMLHttpRequest;
  if (typeof Xhr === 'function') {
    const proto = Xhr.prototype;
    const originalOpen = proto.open;
    const wanted = new WeakMap<XMLHttpRequest, string>();
    proto.open = function open(this: XMLHttpRequest, method: string, url: string | URL) {
      // biome-ignore lint/complexity/noArguments: the arity of the page's call matters here
      const result = originalOpen.apply(this, arguments as unknown as Parameters<typeof originalOpen>);
      try {
        const href = String(url);
        if (slot.reader.wants(href, String(method).toUpperCase())) {
          if (!wanted.has(this)) {
            this.addEventListener('loadend', () => {
              const target = wanted.get(this);
              if (target === undefined) return;
              let text: unknown = null;
              try {
                if (this.responseType === '' || this.responseType === 'text') text = this.responseText;
                else if (this.responseType === 'json') text = JSON.stringify(this.response);
              } catch {
                // responseText throws for some response types.
              }
              take(target, this.status, text);
            });
          }
          wanted.set(this, href);
        } else wanted.delete(this);
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
        const method = String(init?.method ?? request?.method ?? 'GET').toUpperCase();
        if (slot.reader.wants(url, method)) href = url;
      } catch {
        href = undefined;
      }
      // biome-ignore lint/complexity/noArguments: pass the page's call through unchanged
      const response: Promise<Response> = originalFetch.apply(this, arguments as unknown as Parameters<typeof originalFetch>);
      if (href !== undefined) {
        const url = href;
        // Registered before the page's own handlers, so the copy is made before the page reads the body.
        response
          .then((res) => {
            const copy = res.clone();
            return copy.text().then((text) => take(url, res.status, text));
          })
          .catch(() => {});
      }
      return response;
    } as typeof win.fetch;
  }
  return 'installed';
}
