/**
 * How soon the options page shows the connection's state on its first open right after the
 * extension is installed into a running browser (its worker just started, none of its scripts in
 * the code cache yet), as a ratio to a later open in the same browser, and as a ratio to the same
 * first open of a page without any script: the options page's own HTML and style sheet with the
 * state panel written in. That page shows what the browser alone spends on the extension's first
 * document; the rest is the page's code (docs/performance.md, "The options page's first open").
 * Times run from the navigation's start to the panel being visible.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchWithExtension } from '../e2e/support/browser';
import { PRODUCTION_EXTENSION_DIR } from './support/build';

/** Browsers whose first open is the options page; as many again open the page without script first. */
const BROWSERS = 8;
const LATER_OPENS = 5;
const SCRIPTLESS_PAGE = 'bench-scriptless.html';

async function msToState(page: Page): Promise<number> {
  await page.locator('.connection-status').waitFor({ state: 'visible', timeout: 20_000 });
  return page.evaluate(() => performance.now());
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

/** The production build with the options page's HTML, minus its scripts, plus the panel it shows first. */
function withScriptlessPage(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sas-options-open-'));
  cpSync(PRODUCTION_EXTENSION_DIR, dir, { recursive: true });
  const html = readFileSync(join(dir, 'options.html'), 'utf8')
    .replace(/<script\b[^>]*><\/script>|<link rel="modulepreload"[^>]*>/g, '')
    .replace(
      '<div id="root"></div>',
      '<div id="root"><main class="options"><h1>Sales Activity Sync</h1><section class="connection-status"><p class="connection-title">Not connected</p></section></main></div>',
    );
  if (html.includes('<script')) throw new Error('The page without script still has a script');
  writeFileSync(join(dir, SCRIPTLESS_PAGE), html);
  return dir;
}

export async function run(): Promise<Record<string, number | string>> {
  const extensionDir = withScriptlessPage();
  const first: number[] = [];
  const scriptlessFirst: number[] = [];
  const later: number[] = [];
  try {
    for (let i = 0; i < 2 * BROWSERS; i++) {
      const scriptless = i % 2 === 1;
      const browser = await launchWithExtension({ extensionDir, install: 'whileRunning' });
      try {
        const page = await browser.open(scriptless ? SCRIPTLESS_PAGE : 'options.html#connection');
        (scriptless ? scriptlessFirst : first).push(await msToState(page));
        await page.close();
        for (let j = 0; j < LATER_OPENS; j++) {
          const again = await browser.open('options.html#connection');
          later.push(await msToState(again));
          await again.close();
        }
      } finally {
        await browser.close();
      }
    }
  } finally {
    rmSync(extensionDir, { recursive: true, force: true });
  }
  const firstMs = median(first);
  const laterMs = median(later);
  const scriptlessMs = median(scriptlessFirst);
  return {
    'options.connection_shown_ms_first_open': Number(firstMs.toFixed(1)),
    'options.connection_shown_ms_later_open': Number(laterMs.toFixed(1)),
    'options.connection_first_open_ratio_vs_later': Number((firstMs / laterMs).toFixed(2)),
    'options.scriptless_page_shown_ms_first_open': Number(scriptlessMs.toFixed(1)),
    'options.scriptless_first_open_ratio_vs_later': Number((scriptlessMs / laterMs).toFixed(2)),
    'options.connection_first_open_ratio_vs_scriptless_first_open': Number((firstMs / scriptlessMs).toFixed(2)),
  };
}
