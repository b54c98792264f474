/**
 * Watches the webmail's own network requests from the page's JavaScript world: wraps
 * `XMLHttpRequest` and, defensively, `fetch`, reads the sends out of the requests a provider's
 * detector recognises, and reports the server's answer to them.
 *
 * Promises to the page: every request goes out exactly as the page made it, with one exception
 * (BCC mode: a send request missing the rep's Email-to-Salesforce address, which the listener's
 * `change` adds only where that provably changes nothing else; lib/mail/network-bcc.ts); an
 * unrelated request costs one URL test; and nothing we do can throw into the page.
 */
import type { BccWriter, RequestChange } from './network-bcc';
import type { DetectedSend } from './types';

export interface SendOutcome {
  messageId: string;
  /** True when the server accepted the request (2xx). */
  ok: boolean;
  rfcMessageId?: string;
}

export interface RequestReading {
  sends: DetectedSend[];
  /** Ids of messages the request saves as drafts (a pending send saved as a draft was undone). */
  draftIds: string[];
  /** Wants the server's answer even when nothing was sent (to learn the id a saved draft got). */
  answered?: (status: number, responseText: string | null) => void;
}

/** What a provider teaches the hook: which requests send mail, and how to read them. */
export interface SendDetector {
  /** Decides from the URL and method alone whether a request's body is worth reading; must be cheap. */
  wants(url: string, method: string): boolean;
  read(url: string, body: string): RequestReading;
  /**
   * A request header that carries the body instead (URL-encoded) when the request has none:
   * Outlook's `x-owa-urlpostdata` (docs/outlook.md). Lower case.
   */
  bodyHeader?: string;
  /** The outcome of each send from the server's answer; `responseText` is null when it could not be read. */
  confirm(sends: DetectedSend[], status: number, responseText: string | null): SendOutcome[];
  /** Where an address goes in this provider's send requests, for `NetworkHookListener.change`. */
  bcc?: BccWriter;
}

export interface NetworkHookListener {
  sends(sends: DetectedSend[]): void;
  outcomes(outcomes: SendOutcome[]): void;
  drafts(messageIds: string[]): void;
  /** The body a wanted request should carry instead of its own (a string body only), or null to leave it. */
  change?(url: string, body: string): RequestChange | null;
}

type HookedWindow = Pick<typeof globalThis, 'XMLHttpRequest' | 'fetch'>;

/** Where a window's hook keeps what it works with; global so that a newer script finds it. */
const HOOK = Symbol.for('sales-activity-sync.network-hook');

interface HookSlot {
  detector: SendDetector;
  listener: NetworkHookListener;
}

/**
 * Installs the hook on a window once. A later call (the page-world script of an updated
 * extension, injected into a tab that was already open) takes the hook over instead: the same
 * wrappers go on with the newer detector and listener, so a request is never seen twice.
 */
export function installNetworkHook(win: HookedWindow, detector: SendDetector, listener: NetworkHookListener): 'installed' | 'takenOver' {
  const existing = (win as unknown as Record<symbol, HookSlot | undefined>)[HOOK];
  if (existing) {
    existing.detector = detector;
    existing.listener = listener;
    return 'takenOver';
  }
  const slot: HookSlot = { detector, listener };
  Object.defineProperty(win, HOOK, { value: slot });
  const wants = (url: string, method: string) => slot.detector.wants(url, method);

  // Our code must never break the page: every callback runs behind this guard.
  const guard = (work: () => void) => {
    try {
      work();
    } catch {
      // A failure to read a request only means this send is not seen; the page goes on.
    }
  };

  /** The listener's change of a request body; null on any failure, so that the page's own body goes. */
  const change = (url: string, body: unknown): RequestChange | null => {
    if (typeof body !== 'string' || body === '') return null;
    try {
      return slot.listener.change?.(url, body) ?? null;
    } catch {
      return null;
    }
  };

  /** Reads a request body, reporting what it found; the reading waits for the answer when it has sends. */
  const inspect = (url: string, body: string, added?: string[]): RequestReading => {
    const reading = slot.detector.read(url, body);
    if (added) for (const send of reading.sends) if (added.includes(send.messageId)) send.bccAdded = true;
    if (reading.draftIds.length > 0) slot.listener.drafts(reading.draftIds);
    if (reading.sends.length > 0) slot.listener.sends(reading.sends);
    return reading;
  };

  const settle = ({ sends, answered }: RequestReading, status: number, text: string | null) =>
    guard(() => {
      answered?.(status, text);
      const outcomes = sends.length > 0 ? slot.detector.confirm(sends, status, text) : [];
      if (outcomes.length > 0) slot.listener.outcomes(outcomes);
    });

  const carrier = () => slot.detector.bodyHeader;
  hookXhr(win, wants, carrier, change, inspect, settle, guard);
  hookFetch(win, wants, carrier, change, inspect, settle, guard);
  return 'installed';
}

type Wants = SendDetector['wants'];
type Carrier = () => string | undefined;
type Change = (url: string, body: unknown) => RequestChange | null;
type Inspect = (url: string, body: string, added?: string[]) => RequestReading;

/** The body a request carries in a header, decoded; null when it is not there or not decodable. */
function headerBody(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

function headerOf(headers: HeadersInit | undefined, name: string): string | null {
  // new Headers() reads every form a page may pass (object, pairs, Headers) case-insensitively.
  return headers ? new Headers(headers).get(name) : null;
}

function hookXhr(
  win: HookedWindow,
  wants: Wants,
  carrier: Carrier,
  change: Change,
  inspect: Inspect,
  settle: (reading: RequestReading, status: number, text: string | null) => void,
  guard: (work: () => void) => void,
): void {
  const Xhr = win.XMLHttpRequest;
  if (typeof Xhr !== 'function') return;
  const proto = Xhr.prototype;
  const originalOpen = proto.open;
  const originalSend = proto.send;
  const originalSetHeader = proto.setRequestHeader;
  const wanted = new WeakMap<XMLHttpRequest, string>();
  const carried = new WeakMap<XMLHttpRequest, string>();

  proto.setRequestHeader = function setRequestHeader(this: XMLHttpRequest, name: string, value: string) {
    // biome-ignore lint/complexity/noArguments: pass the page's call through unchanged
    const result = originalSetHeader.apply(this, arguments as unknown as Parameters<typeof originalSetHeader>);
    guard(() => {
      if (wanted.has(this) && String(name).toLowerCase() === carrier()) carried.set(this, String(value));
    });
    return result;
  };

  proto.open = function open(this: XMLHttpRequest, method: string, url: string | URL) {
    // `arguments` keeps the page's exact call: open(m, u) and open(m, u, undefined) differ.
    // biome-ignore lint/complexity/noArguments: the arity of the page's call matters here
    const result = originalOpen.apply(this, arguments as unknown as Parameters<typeof originalOpen>);
    guard(() => {
      const href = String(url);
      if (wants(href, String(method).toUpperCase())) wanted.set(this, href);
      else wanted.delete(this);
    });
    return result;
  } as typeof proto.open;

  proto.send = function send(this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null) {
    const url = wanted.get(this);
    const changed = url === undefined ? null : change(url, body);
    const result = changed
      ? originalSend.call(this, changed.body)
      : // biome-ignore lint/complexity/noArguments: pass the page's call through unchanged
        originalSend.apply(this, arguments as unknown as Parameters<typeof originalSend>);
    const text = changed ? changed.body : typeof body === 'string' && body !== '' ? body : headerBody(carried.get(this));
    carried.delete(this);
    if (url !== undefined && text !== null) {
      guard(() => {
        const reading = inspect(url, text, changed?.added);
        if (reading.sends.length === 0 && !reading.answered) return;
        const xhr = this;
        const finish = () => settle(reading, xhr.status, readXhrText(xhr));
        if (xhr.readyState === 4) finish();
        else xhr.addEventListener('loadend', finish, { once: true });
      });
    }
    return result;
  };
}

function readXhrText(xhr: XMLHttpRequest): string | null {
  try {
    if (xhr.responseType === '' || xhr.responseType === 'text') return xhr.responseText;
    if (xhr.responseType === 'json') return JSON.stringify(xhr.response);
  } catch {
    // responseText throws for some response types and states.
  }
  return null;
}

function hookFetch(
  win: HookedWindow,
  wants: Wants,
  carrier: Carrier,
  change: Change,
  inspect: Inspect,
  settle: (reading: RequestReading, status: number, text: string | null) => void,
  guard: (work: () => void) => void,
): void {
  const originalFetch = win.fetch;
  if (typeof originalFetch !== 'function') return;

  win.fetch = function fetch(this: unknown, input: RequestInfo | URL, init?: RequestInit) {
    let url: string | undefined;
    let bodyText: Promise<string | null> | undefined;
    let changed = null as RequestChange | null;
    guard(() => {
      const request = typeof Request === 'function' && input instanceof Request ? input : undefined;
      const href = request ? request.url : String(input);
      const method = String(init?.method ?? request?.method ?? 'GET').toUpperCase();
      if (!wants(href, method)) return;
      url = href;
      const name = carrier();
      const carriedBody = name ? headerBody(headerOf(init?.headers, name) ?? request?.headers.get(name)) : null;
      if (typeof init?.body === 'string' && init.body !== '') {
        // Only a plain init object is copied with another body: a class instance's fields may be getters a copy loses.
        if (Object.getPrototypeOf(init) === Object.prototype) changed = change(href, init.body);
        bodyText = Promise.resolve(changed ? changed.body : init.body);
      } else if (carriedBody !== null) bodyText = Promise.resolve(carriedBody);
      // A Request's body is consumed by the call below: copy it first.
      else if (request && init?.body === undefined && !request.bodyUsed) bodyText = request.clone().text();
    });
    const response: Promise<Response> = changed
      ? originalFetch.call(this, input, { ...init, body: changed.body })
      : // biome-ignore lint/complexity/noArguments: pass the page's call through unchanged
        originalFetch.apply(this, arguments as unknown as Parameters<typeof originalFetch>);
    const added = changed?.added;
    if (url !== undefined && bodyText) {
      const href = url;
      // Copy the answer the moment it arrives: registered before the page's own handlers, so the
      // copy is made before the page reads (and so uses up) the body. Never rejects.
      const answer = response.then(
        (res) => ({ status: res.status, copy: cloneOf(res) }),
        () => ({ status: 0, copy: null }),
      );
      bodyText
        .then((body) => {
          let reading: RequestReading = { sends: [], draftIds: [] };
          if (body !== null) guard(() => (reading = inspect(href, body, added)));
          return answer.then(({ status, copy }) => {
            if (reading.sends.length === 0 && !reading.answered) return copy?.body?.cancel().catch(() => {});
            if (!copy) return settle(reading, status, null);
            return copy.text().then(
              (text) => settle(reading, status, text),
              () => settle(reading, status, null),
            );
          });
        })
        .catch(() => {});
    }
    return response;
  } as typeof win.fetch;
}

function cloneOf(response: Response): Response | null {
  try {
    return response.clone();
  } catch {
    // Already read by someone else: the status is still known.
    return null;
  }
}
