/**
 * The content script's side of the diagnostic counters (lib/diagnostics/counters.ts): counts
 * are batched for a moment and sent to the worker, which stores them. Counts the worker did not
 * take are kept and sent again (an event worth counting often comes with a worker that is not
 * answering), until the script learns it is orphaned: its successor counts from then on.
 */
import { browser } from 'wxt/browser';
import { type DiagnosticCounter, type DiagnosticCounts, dayOf } from '../diagnostics/counters';
import { sendToWorker } from '../messages';

/** Counts made within this time go in one message. */
const BATCH_MS = 2_000;
/** Wait before sending again counts the worker did not take. */
const RETRY_MS = 30_000;

const pending: DiagnosticCounts = {};
/** A delivery is waiting to go. */
let due = false;

const add = (key: string, n: number, wait: number) => {
  pending[key] = (pending[key] ?? 0) + n;
  if (due) return;
  due = true;
  setTimeout(deliver, wait);
};

function deliver() {
  due = false;
  const counts = { ...pending };
  for (const key in counts) delete pending[key];
  sendToWorker(browser.runtime, 'diag/count', { counts }).catch(() => {
    // An orphaned script has no worker any more. (A script is never refused by its own version's worker.)
    if (browser.runtime?.id != null) for (const key in counts) add(key, counts[key] as number, RETRY_MS);
  });
}

/** Counts one event of today. */
export const countDiagnostic = (counter: DiagnosticCounter) => add(`${dayOf(Date.now())} ${counter}`, 1, BATCH_MS);
