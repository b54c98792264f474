/**
 * Times a service worker's start in Chromium through the DevTools protocol: stop the worker,
 * start it again, and wait until Chromium reports it running (its script evaluated and its
 * listeners registered).
 */
import type { CDPSession } from 'playwright-core';
import { type ExtensionBrowser, launchWithExtension } from '../../e2e/support/browser';

interface Version {
  versionId: string;
  scriptURL: string;
  runningStatus: string;
}

async function workerVersions(cdp: CDPSession) {
  const versions = new Map<string, Version>();
  const listeners = new Set<() => void>();
  cdp.on('ServiceWorker.workerVersionUpdated', ({ versions: updated }: { versions: Version[] }) => {
    for (const v of updated) versions.set(v.versionId, v);
    for (const l of listeners) l();
  });
  await cdp.send('ServiceWorker.enable');
  const until = (versionId: string, status: string) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (versions.get(versionId)?.runningStatus !== status) return;
        listeners.delete(check);
        resolve();
      };
      listeners.add(check);
      check();
    });
  return { versions, until };
}

/** Median start time in ms of the extension's worker over `runs` restarts. */
export async function medianWorkerStartMs(extensionDir: string, runs = 15): Promise<number> {
  let browser: ExtensionBrowser | undefined;
  try {
    browser = await launchWithExtension({ extensionDir });
    const page = await browser.context.newPage();
    const cdp = await browser.context.newCDPSession(page);
    const { versions, until } = await workerVersions(cdp);
    const scriptURL = browser.worker.url();
    const deadline = Date.now() + 10_000;
    while (![...versions.values()].some((v) => v.scriptURL === scriptURL) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const version = [...versions.values()].find((v) => v.scriptURL === scriptURL);
    if (!version) throw new Error(`no service worker version for ${scriptURL}`);
    const scopeURL = new URL('./', scriptURL).href;
    const times: number[] = [];
    for (let i = 0; i < runs + 1; i++) {
      await cdp.send('ServiceWorker.stopWorker', { versionId: version.versionId });
      await until(version.versionId, 'stopped');
      const started = performance.now();
      await cdp.send('ServiceWorker.startWorker', { scopeURL });
      await until(version.versionId, 'running');
      if (i > 0) times.push(performance.now() - started); // the first start warms caches
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)] ?? Number.NaN;
  } finally {
    await browser?.close();
  }
}
