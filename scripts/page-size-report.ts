/**
 * Prints what the options page and the popup load before they show anything, and what they load
 * later, in bytes of the minified production bundle, by package or project file (see
 * docs/performance.md, "The options page's first open"). Builds the Chrome extension with source
 * maps into a temporary folder; what a page loads first is the script and module preloads its
 * HTML names, the rest are the chunks its code imports on demand.
 * Usage: scripts/node22 npx tsx scripts/page-size-report.ts [--top N]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { costs, label, type SourceMap } from './source-map-costs';

const PAGES = ['options', 'popup'];
const topArg = process.argv.indexOf('--top');
const top = topArg > 0 ? Number(process.argv[topArg + 1]) : 12;

function report(root: string, file: string) {
  const path = join(root, file);
  const code = readFileSync(path, 'utf8').replace(/\n\/\/# sourceMappingURL=.*\s*$/, '');
  const map = JSON.parse(readFileSync(`${path}.map`, 'utf8')) as SourceMap;
  const folder = join(path, '..');
  const rows = new Map<string, number>();
  for (const [source, bytes] of costs(code, map)) {
    const name = label(source, folder, true);
    rows.set(name, (rows.get(name) ?? 0) + bytes);
  }
  const sorted = [...rows].sort((a, b) => b[1] - a[1]);
  console.log(`  ${file}: ${Buffer.byteLength(code)} B`);
  for (const [name, bytes] of sorted.slice(0, top)) console.log(`${String(bytes).padStart(9)}  ${name}`);
  const rest = sorted.slice(top).reduce((sum, [, bytes]) => sum + bytes, 0);
  if (rest > 0) console.log(`${String(rest).padStart(9)}  (${sorted.length - top} more)`);
  return Buffer.byteLength(code);
}

const outDir = mkdtempSync(join(tmpdir(), 'page-size-'));
try {
  execFileSync('npx', ['wxt', 'build'], {
    env: { ...process.env, EXTENSION_OUT_DIR: outDir, PAGE_SOURCEMAPS: '1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const root = join(outDir, 'chrome-mv3');
  const chunks = readdirSync(join(root, 'chunks')).filter((f) => f.endsWith('.js'));
  for (const page of PAGES) {
    const html = readFileSync(join(root, `${page}.html`), 'utf8');
    const first = [...html.matchAll(/(?:src|href)="\/(chunks\/[^"]+\.js)"/g)].map((m) => m[1] as string);
    console.log(`\n${page}.html, loaded before anything shows:`);
    const total = first.reduce((sum, file) => sum + report(root, file), 0);
    console.log(`  in all ${total} B`);
    // What this page's own chunks import on demand (Vite lists each dynamic import's chunks).
    const later = new Set<string>();
    for (const file of first)
      for (const m of readFileSync(join(root, file), 'utf8').matchAll(/"(chunks\/[^"]+\.js)"/g)) later.add(m[1] as string);
    for (const file of first) later.delete(file);
    const onDemand = chunks.map((f) => `chunks/${f}`).filter((f) => later.has(f));
    if (onDemand.length) console.log(`  on demand: ${onDemand.map((f) => f.replace('chunks/', '')).join(', ')}`);
  }
} finally {
  rmSync(outDir, { recursive: true, force: true });
}
