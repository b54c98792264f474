/**
 * The context an isolated content script runs in: valid until the extension is updated,
 * reloaded or removed, or a newer copy of the same script starts in the tab. The content-script
 * builds put this module in place of WXT's `wxt/utils/content-script-context` (wxt.config.ts):
 * WXT's class also carries a location watcher, custom-event helpers and logging that these
 * scripts never use, about 2.5 KB of each provider's budget (docs/content-script-size.md).
 *
 * It speaks WXT's own start-up signal (the same event name and detail), so a script of this
 * build stops a copy of the previous version still running in an open tab, and the other way
 * round (lib/background/open-mail-tabs.ts injects new copies into open tabs).
 */
import { browser } from 'wxt/browser';
import type { ContentScriptContext as WxtContentScriptContext } from 'wxt/utils/content-script-context';

/** What the mail scripts may use of their context: all that this module provides. */
export type ScriptContext = Pick<WxtContentScriptContext, 'signal' | 'isValid' | 'isInvalid' | 'onInvalidated' | 'setTimeout'>;

// State lives in the constructor's closure: minified, its names shrink; only the API's names stay.
export class ContentScriptContext implements ScriptContext {
  readonly signal: AbortSignal;
  readonly onInvalidated: (callback: () => void) => () => void;
  readonly setTimeout: (handler: () => void, timeout?: number) => number;
  private readonly check: () => boolean;

  constructor(contentScriptName: string) {
    const controller = new AbortController();
    const signal = controller.signal;
    const id = Math.random().toString(36).slice(2);
    const startedEvent = `${browser?.runtime?.id}:${contentScriptName}:wxt:content-script-started`;
    const invalidate = () => controller.abort('Content script context invalidated');
    // An orphaned script only learns that its extension is gone when it looks.
    const check = () => {
      if (browser.runtime?.id == null) invalidate();
      return !signal.aborted;
    };
    const onInvalidated = (callback: () => void) => {
      signal.addEventListener('abort', callback);
      return () => signal.removeEventListener('abort', callback);
    };
    this.signal = signal;
    this.check = check;
    this.onInvalidated = onInvalidated;
    this.setTimeout = (handler, timeout) => {
      const timer = window.setTimeout(() => {
        if (check()) handler();
      }, timeout);
      onInvalidated(() => clearTimeout(timer));
      return timer;
    };

    document.dispatchEvent(new CustomEvent(startedEvent, { detail: { contentScriptName, messageId: id } }));
    const onStarted = (event: Event) => {
      const detail = (event as CustomEvent<{ contentScriptName?: string; messageId?: string } | null>).detail;
      if (detail?.contentScriptName === contentScriptName && detail.messageId !== id) invalidate();
    };
    document.addEventListener(startedEvent, onStarted);
    onInvalidated(() => document.removeEventListener(startedEvent, onStarted));
  }

  /** Whether the extension is still there and no newer copy of the script took over. */
  get isValid(): boolean {
    return this.check();
  }

  get isInvalid(): boolean {
    return !this.check();
  }
}
