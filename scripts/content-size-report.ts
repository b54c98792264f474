/**
 * Prints what each source module costs in each mail provider's content scripts, in bytes of the
 * minified production bundle (see docs/content-script-size.md), and in the scripts a mail tab
 * loads when needed (LAZY_SCRIPTS in lib/messages.ts); or with --worker in the service worker's
 * background.js (docs/performance.md). Builds the Chrome extension with source maps into a
 * temporary folder and charges every byte of generated code to the source file its mapping
 * points at; bytes with no mapping (the bundle's own wrapper) show as "(unmapped)". --packages
 * adds up node_modules files by package.
 * Usage: scripts/node22 npx tsx scripts/content-size-report.ts [--worker] [--packages] [--top N]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { LAZY_SCRIPTS } from '../lib/messages';
import { costs, label, type SourceMap } from './source-map-costs';

const worker = process.argv.includes('--worker');
const byPackage = process.argv.includes('--packages');
/**
 * Paths in the build: the content scripts every mail page loads, then those loaded on demand; or
 * the worker's bundle.
 */
const SCRIPTS = worker
  ? ['background.js']
  : [
      ...['gmail', 'gmail-page', 'outlook', 'outlook-page'].map((name) => `content-scripts/${name}.js`),
      ...Object.keys(LAZY_SCRIPTS).map((name) => `${name}.js`),
    ];
const topArg = process.argv.indexOf('--top');
const top = topArg > 0 ? Number(process.argv[topArg + 1]) : 25;

const outDir = mkdtempSync(join(tmpdir(), 'content-size-'));
try {
  execFileSync('npx', ['wxt', 'build'], {
    env: { ...process.env, EXTENSION_OUT_DIR: outDir, [worker ? 'WORKER_SOURCEMAPS' : 'CONTENT_SCRIPT_SOURCEMAPS']: '1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (const name of SCRIPTS) {
    const file = join(outDir, 'chrome-mv3', name);
    const folder = dirname(file);
    const code = readFileSync(file, 'utf8').replace(/\n\/\/# sourceMappingURL=.*\s*$/, '');
    const map = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as SourceMap;
    const summed = new Map<string, number>();
    for (const [source, bytes] of costs(code, map)) {
      const key = label(source, folder, byPackage);
      summed.set(key, (summed.get(key) ?? 0) + bytes);
    }
    const rows = [...summed].sort((a, b) => b[1] - a[1]);
    console.log(`\n${name}: ${Buffer.byteLength(code)} B (${statSync(file).size} B with the source map comment)`);
    for (const [source, bytes] of rows.slice(0, top)) console.log(`${String(bytes).padStart(7)}  ${source}`);
    const rest = rows.slice(top).reduce((sum, [, bytes]) => sum + bytes, 0);
    if (rest > 0) console.log(`${String(rest).padStart(7)}  (${rows.length - top} more)`);
  }
} finally {
  rmSync(outDir, { recursive: true, force: true });
}
