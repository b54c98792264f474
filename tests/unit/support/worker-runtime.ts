/**
 * Runs the worker's real message router and handlers in the test process and points the fake
 * browser's runtime.sendMessage at them, as the options page's sender. What a page asks of
 * the worker is then answered exactly as in the extension, against the fake browser's storage.
 */
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createHandlers } from '@/lib/background/handlers';
import { createMessageRouter } from '@/lib/messages';

export interface WorkerRuntime {
  /** Every request the page sent, in order. */
  requests: unknown[];
}

export function connectPageToWorker(page = 'options.html'): WorkerRuntime {
  const id = fakeBrowser.runtime.id;
  const origin = fakeBrowser.runtime.getURL('/');
  const route = createMessageRouter(createHandlers({ version: '0.1.0', startedAt: 0 }), id, origin);
  const runtime: WorkerRuntime = { requests: [] };
  fakeBrowser.runtime.sendMessage = ((message: unknown) => {
    runtime.requests.push(message);
    return route(message, { id, url: `${origin}${page}` });
  }) as typeof fakeBrowser.runtime.sendMessage;
  return runtime;
}

/** Deploys an admin policy the way Chrome does: into managed storage. */
export async function deployPolicy(policy: Record<string, unknown>): Promise<void> {
  await fakeBrowser.storage.managed.set(policy);
}
