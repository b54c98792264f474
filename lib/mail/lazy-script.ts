/**
 * Parts of a mail page's isolated script loaded the first time they are needed, so that their
 * code is not in the content script every mail page loads (docs/content-script-size.md). The
 * worker injects the part's script (an unlisted entrypoint, `/<name>.js`) into the asking tab's
 * isolated world with `scripting.executeScript`; content scripts of one extension in a frame
 * share that world, so the injected script leaves its start function on a global symbol and
 * the content script picks it up once the worker answered.
 */
import { browser } from 'wxt/browser';
import { type LazyScript, sendToWorker } from '../messages';

const slotOf = (script: LazyScript) => Symbol.for(`sales-activity-sync.${script}`);
const slots = globalThis as unknown as Record<symbol, unknown>;

/** Called by the injected script: hands its start function to the content script. */
export function offerScript<T>(script: LazyScript, start: T): void {
  slots[slotOf(script)] = start;
}

/**
 * Has the worker inject the script; answers its start function, or undefined when it was injected
 * but left none (never seen). Rejects when the worker could not answer (it was restarting).
 */
export async function loadScript<T>(script: LazyScript): Promise<T | undefined> {
  const slot = slotOf(script);
  // Always injected afresh by this script: a start function left by an older version's copy is not used.
  slots[slot] = undefined;
  await sendToWorker(browser.runtime, 'script/load', { script });
  return slots[slot] as T | undefined;
}
