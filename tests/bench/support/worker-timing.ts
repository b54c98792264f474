/// <reference types="chrome" />
/**
 * Times a service worker's start in Chromium the way a rep meets it: the worker has been
 * stopped (as Chromium does after 30 s idle), and an extension page sends it a message. The
 * figure is the time until the answer arrives: starting the worker, evaluating its script,
 * registering its listeners and answering one small request.
 */
import { type ExtensionBrowser, launchWithExtension } from '../../e2e/support/browser';

/** Median time in ms over `runs` cold starts of the extension's worker. */
export async function medianWorkerStartMs(extensionDir: string, pagePath: string, message: unknown, runs = 15): Promise<number> {
  let browser: ExtensionBrowser | undefined;
  try {
    browser = await launchWithExtension({ extensionDir });
    const page = await browser.open(pagePath);
    await page.waitForLoadState('networkidle');
    const cdp = await browser.context.newCDPSession(page);
    const status = new Map<string, string>();
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }: { versions: Array<{ versionId: string; runningStatus: string }> }) => {
      for (const v of versions) status.set(v.versionId, v.runningStatus);
    });
    await cdp.send('ServiceWorker.enable');
    const times: number[] = [];
    for (let i = 0; i <= runs; i++) {
      await cdp.send('ServiceWorker.stopAllWorkers');
      // A message sent while the worker is still stopping is dropped ("Receiving end does not exist").
      const deadline = Date.now() + 5_000;
      while ([...status.values()].some((s) => s !== 'stopped') && Date.now() < deadline) await page.waitForTimeout(10);
      const ms = await page.evaluate(async (m) => {
        const started = performance.now();
        await chrome.runtime.sendMessage(m);
        return performance.now() - started;
      }, message);
      if (i > 0) times.push(ms); // the first start warms caches
      await page.waitForTimeout(200);
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)] ?? Number.NaN;
  } finally {
    await browser?.close();
  }
}
