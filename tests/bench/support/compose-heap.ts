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
 *
 * What V8 keeps for each function depends on how often it ran, not on what the scripts keep:
 * after 1,000 composes it has machine code for the hot ones (about 70 KB for Gmail), type
 * feedback for all, and it has dropped the bytecode of those that ran only at the start. So both
 * browsers run V8 with bytecode only (no optimizing or baseline compilers), bytecode kept and
 * feedback made at a function's first call: the code side is then the same after 10 and after
 * 1,000 composes, and every object, closure and DOM node is measured as before.
 * Blink's node and listener counts (CDP Memory.getDOMCounters) are reported beside, as the
 * extension's share in the same way: a compose kept after it is gone shows there by itself.
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
/** V8 without TurboFan, Maglev and Sparkplug, never dropping bytecode, with feedback from the first call. */
const CODE_AS_AT_START = '--no-opt --no-maglev --no-sparkplug --no-flush-bytecode --no-lazy-feedback-allocation';

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
      `--js-flags=${CODE_AS_AT_START}`,
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

interface Reading {
  /** V8's and Blink's used heap, bytes. */
  heap: number;
  nodes: number;
  listeners: number;
}

/** The renderer's heap and DOM counts after a fresh page opened and discarded `count` composes. */
async function heapAfter(context: BrowserContext, bench: ComposeHeapBench, count: number, withExtension: boolean): Promise<Reading> {
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
    const dom = await cdp.send('Memory.getDOMCounters');
    return { heap: usage.usedSize + (usage.embedderHeapUsedSize ?? 0), nodes: dom.nodes, listeners: dom.jsEventListeners };
  } finally {
    await page.close();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

/** `<prefix>.heap_ratio_1000_vs_10_composes`, the content scripts' bytes behind it and the DOM counts. */
export async function measureComposeHeap(prefix: string, bench: ComposeHeapBench): Promise<Record<string, number>> {
  const plain = await launch(null, bench);
  const extended = await launch(PRODUCTION_EXTENSION_DIR, bench);
  const few: Reading[] = [];
  const many: Reading[] = [];
  try {
    for (let run = 0; run <= RUNS; run++) {
      for (const [count, into] of [
        [FEW, few],
        [MANY, many],
      ] as const) {
        const without = await heapAfter(plain.context, bench, count, false);
        const withExtension = await heapAfter(extended.context, bench, count, true);
        // The first run of each warms caches.
        if (run > 0)
          into.push({
            heap: withExtension.heap - without.heap,
            nodes: withExtension.nodes - without.nodes,
            listeners: withExtension.listeners - without.listeners,
          });
      }
    }
  } finally {
    await plain.close();
    await extended.close();
  }
  const of = (readings: Reading[], key: keyof Reading) => median(readings.map((r) => r[key]));
  const fewBytes = of(few, 'heap');
  const manyBytes = of(many, 'heap');
  return {
    [`${prefix}.content_heap_bytes_after_10_composes`]: Math.round(fewBytes),
    [`${prefix}.content_heap_bytes_after_1000_composes`]: Math.round(manyBytes),
    [`${prefix}.heap_ratio_1000_vs_10_composes`]: Number((manyBytes / fewBytes).toFixed(3)),
    [`${prefix}.content_dom_nodes_after_10_composes`]: of(few, 'nodes'),
    [`${prefix}.content_dom_nodes_after_1000_composes`]: of(many, 'nodes'),
    [`${prefix}.content_listeners_after_10_composes`]: of(few, 'listeners'),
    [`${prefix}.content_listeners_after_1000_composes`]: of(many, 'listeners'),
  };
}
