/**
 * What a provider's content scripts keep after composes are gone: a fresh webmail-like test page
 * opens and discards N composes (every other one a reply), each only after the extension's
 * control showed in it; then garbage is collected (CDP HeapProfiler.collectGarbage) and the
 * renderer's heap is read (CDP Runtime.getHeapUsage: V8's used heap plus Blink's, where DOM
 * nodes live).
 *
 * Runtime.getHeapUsage reports the whole renderer (page, its isolated worlds and DOM), not one
 * execution context, and a heap snapshot does not say which world an object belongs to. So
 * the content scripts' share is measured as a difference: the same steps in a browser without
 * the extension, alternating between the two, and the figure is
 *   (with - without, after 1,000) / (with - without, after 10).
 * Kept observers, listeners or detached compose nodes grow the numerator; nothing else does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { chromiumPath } from '../../e2e/support/paths';
import { PRODUCTION_EXTENSION_DIR } from './build';

const FEW = 10;
const MANY = 1_000;
const RUNS = 3;

export interface ComposeHeapBench {
  /** Routes the webmail's hosts to its fixture page in a fresh browser. */
  serve(context: BrowserContext): Promise<void>;
  url: string;
  /** Resolves when the page is ready for a compose. */
  ready(page: Page): Promise<void>;
  /**
   * Opens and discards `count` composes in the page, every other one a reply; with `control`, each
   * is discarded only once the extension's control is in it. Resolves with the number opened.
   */
  cycle: (arg: { count: number; control: boolean }) => Promise<number>;
}

async function launch(extensionDir: string | null, bench: ComposeHeapBench) {
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

/** The renderer's heap (bytes) after a fresh page opened and discarded `count` composes. */
async function heapAfter(context: BrowserContext, bench: ComposeHeapBench, count: number, withExtension: boolean): Promise<number> {
  const page: Page = await context.newPage();
  try {
    await page.goto(bench.url);
    await bench.ready(page);
    const opened = await page.evaluate(bench.cycle, { count, control: withExtension });
    if (opened !== count) throw new Error(`only ${opened} of ${count} composes showed the extension's control`);
    // Let late callbacks (debounced refreshes, previews) run before collecting.
    await page.waitForTimeout(1_000);
    const cdp = await context.newCDPSession(page);
    for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage');
    const usage = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; embedderHeapUsedSize?: number };
    return usage.usedSize + (usage.embedderHeapUsedSize ?? 0);
  } finally {
    await page.close();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

/** `<prefix>.heap_ratio_1000_vs_10_composes` and the content scripts' bytes behind it. */
export async function measureComposeHeap(prefix: string, bench: ComposeHeapBench): Promise<Record<string, number>> {
  const plain = await launch(null, bench);
  const extended = await launch(PRODUCTION_EXTENSION_DIR, bench);
  const few: number[] = [];
  const many: number[] = [];
  try {
    for (let run = 0; run <= RUNS; run++) {
      for (const [count, into] of [
        [FEW, few],
        [MANY, many],
      ] as const) {
        const without = await heapAfter(plain.context, bench, count, false);
        const withExtension = await heapAfter(extended.context, bench, count, true);
        // The first run of each warms caches.
        if (run > 0) into.push(withExtension - without);
      }
    }
  } finally {
    await plain.close();
    await extended.close();
  }
  const fewBytes = median(few);
  const manyBytes = median(many);
  return {
    [`${prefix}.content_heap_bytes_after_10_composes`]: Math.round(fewBytes),
    [`${prefix}.content_heap_bytes_after_1000_composes`]: Math.round(manyBytes),
    [`${prefix}.heap_ratio_1000_vs_10_composes`]: Number((manyBytes / fewBytes).toFixed(3)),
  };
}
