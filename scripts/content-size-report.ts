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
import { dirname, join, relative } from 'node:path';
import { LAZY_SCRIPTS } from '../lib/messages';

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

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Decodes one mappings segment ("AAgBC") into its numbers (source map v3 base64 VLQ). */
function decodeSegment(segment: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = BASE64.indexOf(char);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

interface SourceMap {
  sources: string[];
  mappings: string;
}

/** Bytes of generated code per source file. Columns are UTF-16 units; the bundles are ASCII. */
function costs(code: string, map: SourceMap): Map<string, number> {
  const lines = code.split('\n');
  const result = new Map<string, number>();
  const charge = (source: string, bytes: number) => result.set(source, (result.get(source) ?? 0) + bytes);
  let source = 0;
  map.mappings.split(';').forEach((line, index) => {
    const text = lines[index] ?? '';
    let column = 0;
    let previous: { column: number; source: string } | undefined = { column: 0, source: '(unmapped)' };
    for (const segment of line.split(',').filter(Boolean)) {
      const [delta = 0, sourceDelta] = decodeSegment(segment);
      column += delta;
      if (sourceDelta !== undefined) source += sourceDelta;
      if (previous) charge(previous.source, Buffer.byteLength(text.slice(previous.column, column)));
      previous = { column, source: sourceDelta === undefined ? '(unmapped)' : (map.sources[source] ?? '(unmapped)') };
    }
    if (previous) charge(previous.source, Buffer.byteLength(text.slice(previous.column)) + 1);
  });
  return result;
}

/**
 * node_modules/a/b/c.mjs -> a/b/c.mjs (with --packages: a, or @scope/a); project files relative
 * to the project. The worker's stand-ins for left-out jsforce modules (scripts/worker-bundle.ts)
 * are virtual modules: named as their map names them.
 */
function label(source: string, folder: string): string {
  if (source === '(unmapped)' || source.includes('\0')) return source.replace('\0', '');
  const path = relative(process.cwd(), join(folder, source));
  const at = path.lastIndexOf('node_modules/');
  if (at < 0) return path;
  const inPackage = path.slice(at + 'node_modules/'.length);
  if (!byPackage) return inPackage;
  const parts = inPackage.split('/');
  return parts.slice(0, parts[0]?.startsWith('@') ? 2 : 1).join('/');
}

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
      const key = label(source, folder);
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
