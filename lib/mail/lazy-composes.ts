/**
 * The compose UI — the watcher, the provider's compose adapter and DOM reading, the compose
 * control and its preview, the BCC chip — loaded the first time a compose appears, so that an
 * inbox where the rep only reads never carries it (docs/content-script-size.md). What tells a
 * compose appeared is what the watcher itself listens to: the animation the provider's compose
 * CSS starts on elements only composes have, and, for composes already open when this script
 * starts (an extension update), the watcher's announcing elements. The worker then injects the
 * provider's compose script (entrypoints/<provider>-compose.ts, lib/mail/lazy-script.ts).
 *
 * Until the watcher runs, a send seen on the network gets no choice from it (the send pipeline
 * takes the default, as for a send from no tracked compose); send capture does not wait for it.
 */
import type { ComposeWatcher, ComposeWatcherOptions } from './compose-watcher';
import { countDiagnostic } from './diagnostic-counts';
import { loadScript } from './lazy-script';

/** What a compose script leaves for the content script (lib/mail/compose-script.ts). */
export type StartComposes = (doc: Document, options: ComposeWatcherOptions, announced: readonly Element[]) => ComposeWatcher;

export interface ComposeSignals {
  script: 'gmail-compose' | 'outlook-compose';
  /** The animation the provider's compose CSS starts (ComposeAdapter.sentinel). */
  sentinel: string;
  /** A selector for elements that show a compose may be open (what ComposeAdapter.announcers finds). */
  announcers: string;
}

/** Elements that announced a compose before the watcher ran, kept for it (a page shows a few composes at most). */
const MAX_ANNOUNCED = 50;
/** Attempts to load the script while the worker cannot answer, a second apart, then a second more each. */
const MAX_ATTEMPTS = 5;

export function lazyComposes(doc: Document, signals: ComposeSignals, options: ComposeWatcherOptions): ComposeWatcher {
  let watcher: ComposeWatcher | undefined;
  let asked = false;
  const announced: Element[] = [];

  const load = (attempt: number) => {
    asked = true;
    loadScript<StartComposes>(signals.script).then(
      (start) => {
        if (!options.alive()) return;
        if (start) watcher = start(doc, options, announced.splice(0));
        else {
          // Injected but not started (never seen): say so, and try again at the next compose.
          asked = false;
          countDiagnostic('controlNotPlaced');
          console.warn('Sales Activity Sync: the compose control did not start');
        }
      },
      () => {
        // The worker was restarting: a compose is open, so ask again soon.
        if (attempt < MAX_ATTEMPTS && options.alive()) setTimeout(() => load(attempt + 1), attempt * 1_000);
        else {
          asked = false;
          // The open compose has no control: counted like a compose the watcher could not place it in.
          if (options.alive()) countDiagnostic('controlNotPlaced');
        }
      },
    );
  };

  doc.addEventListener(
    'animationstart',
    (event) => {
      if (watcher || event.animationName !== signals.sentinel || !(event.target instanceof Element)) return;
      if (announced.length < MAX_ANNOUNCED) announced.push(event.target);
      if (!asked) load(1);
    },
    { capture: true, signal: options.signal },
  );
  if (doc.querySelector(signals.announcers)) load(1);

  return {
    choiceFor: (send) => watcher?.choiceFor(send),
    refresh: () => watcher?.refresh(),
  };
}
