/**
 * What a provider's content scripts cost the page while nothing relevant happens: a webmail-like
 * test page, with a compose open, makes 10,000 unrelated DOM insertions (100 per animation frame,
 * each also dropping an old node), and Chromium reports the page's main-thread time. The figure
 * is that time with the production extension over the same without any extension; runs alternate
 * between the two browsers, so that a busy moment of the machine hits both alike.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { chromiumPath } from '../../e2e/support/paths';
import { PRODUCTION_EXTENSION_DIR } from './build';

const MUTATIONS = 10_000;
const PER_FRAME = 100;
const RUNS = 9;

export interface MutationBench {
  /** Routes the webmail's hosts to its fixture page in a fresh browser. */
  serve(context: BrowserContext): Promise<void>;
  url: string;
  /** Opens a compose once the page is ready. */
  openCompose(page: Page): Promise<void>;
  /** Makes `total` unrelated insertions, `perFrame` per animation frame; resolves when done. */
  mutate(page: Page, total: number, perFrame: number): Promise<unknown>;
}

async function launch(extensionDir: string | null, bench: MutationBench): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'sas-bench-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath(),
    headless: true,
    args: [
      ...(extensionDir ? [`--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`] : ['--disable-extensions']),
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  if (extensionDir) context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  await bench.serve(context);
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Main-thread task time (ms) a fresh page spends while it makes the mutations. */
async function mainThreadMs(context: BrowserContext, bench: MutationBench, withExtension: boolean): Promise<number> {
  const page: Page = await context.newPage();
  try {
    await page.goto(bench.url);
    await bench.openCompose(page);
    // With the extension, its control in the compose shows that both scripts run.
    if (withExtension) await page.locator('[data-sales-activity-sync]').waitFor({ state: 'attached', timeout: 10_000 });
    await page.waitForTimeout(500);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const taskSeconds = async () => {
      const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
      return metrics.find((m) => m.name === 'TaskDuration')?.value ?? Number.NaN;
    };
    const before = await taskSeconds();
    await bench.mutate(page, MUTATIONS, PER_FRAME);
    // Let the last frame's observer callbacks and flush run.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 50))));
    return ((await taskSeconds()) - before) * 1000;
  } finally {
    await page.close();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

/** The figures `<prefix>.mutation_main_thread_ms[_without_extension]` and `<prefix>.mutation_overhead_ratio`. */
export async function measureMutationCost(prefix: string, bench: MutationBench): Promise<Record<string, number>> {
  const plain = await launch(null, bench);
  const extended = await launch(PRODUCTION_EXTENSION_DIR, bench);
  const without: number[] = [];
  const withExtension: number[] = [];
  try {
    for (let run = 0; run <= RUNS; run++) {
      const a = await mainThreadMs(plain.context, bench, false);
      const b = await mainThreadMs(extended.context, bench, true);
      // The first run of each warms caches.
      if (run > 0) {
        without.push(a);
        withExtension.push(b);
      }
    }
  } finally {
    await plain.close();
    await extended.close();
  }
  const withoutMs = median(without);
  const withMs = median(withExtension);
  return {
    [`${prefix}.mutation_main_thread_ms_without_extension`]: Number(withoutMs.toFixed(1)),
    [`${prefix}.mutation_main_thread_ms`]: Number(withMs.toFixed(1)),
    [`${prefix}.mutation_overhead_ratio`]: Number((withMs / withoutMs).toFixed(3)),
  };
}
