/// <reference types="chrome" />
/**
 * Times a service worker's start in Chromium the way a rep meets it: the worker has been
 * stopped (as Chromium does after 30 s idle), and an extension page sends it a message. The
 * figure is the time until the answer arrives: starting the worker, evaluating its script,
 * registering its listeners and answering one small request.
 */
import type { CDPSession, Page } from 'playwright-core';
import { type ExtensionBrowser, launchWithExtension } from '../../e2e/support/browser';

export interface WorkerUnderTest {
  extensionDir: string;
  /** An extension page that asks the worker nothing by itself once loaded. */
  pagePath: string;
  message: unknown;
}

interface Running {
  browser: ExtensionBrowser;
  page: Page;
  cdp: CDPSession;
  status: Map<string, string>;
  message: unknown;
}

async function open(worker: WorkerUnderTest): Promise<Running> {
  const browser = await launchWithExtension({ extensionDir: worker.extensionDir });
  const page = await browser.open(worker.pagePath);
  await page.waitForLoadState('networkidle');
  const cdp = await browser.context.newCDPSession(page);
  const status = new Map<string, string>();
  cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }: { versions: Array<{ versionId: string; runningStatus: string }> }) => {
    for (const v of versions) status.set(v.versionId, v.runningStatus);
  });
  await cdp.send('ServiceWorker.enable');
  return { browser, page, cdp, status, message: worker.message };
}

/** One cold start: stop the worker, wait until it is stopped, then time one message's answer. */
async function coldStartMs({ page, cdp, status, message }: Running): Promise<number> {
  await cdp.send('ServiceWorker.stopAllWorkers');
  // A message sent while the worker is still stopping is dropped ("Receiving end does not exist"):
  // wait for the stop to be reported, however long a busy machine takes.
  const deadline = Date.now() + 30_000;
  while ([...status.values()].some((s) => s !== 'stopped')) {
    if (Date.now() > deadline) throw new Error(`the worker did not stop: ${[...status.values()].join(', ')}`);
    await page.waitForTimeout(10);
  }
  return page.evaluate(async (m) => {
    const started = performance.now();
    await chrome.runtime.sendMessage(m);
    return performance.now() - started;
  }, message);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

/**
 * Median cold start in ms of each worker over `runs` starts, taken in turns (a, b, a, b...) so
 * that a busy moment of the machine hits every worker alike.
 */
export async function medianWorkerStartsMs(workers: WorkerUnderTest[], runs = 21): Promise<number[]> {
  const running: Running[] = [];
  try {
    for (const worker of workers) running.push(await open(worker));
    const times: number[][] = workers.map(() => []);
    for (let i = 0; i <= runs; i++) {
      for (const [index, r] of running.entries()) {
        const ms = await coldStartMs(r);
        if (i > 0) times[index]?.push(ms); // the first start warms caches
        await r.page.waitForTimeout(100);
      }
    }
    return times.map(median);
  } finally {
    for (const r of running) await r.browser.close();
  }
}
