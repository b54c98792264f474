/**
 * Prints what each source module costs in each mail provider's content scripts, in bytes of the
 * minified production bundle (see docs/content-script-size.md), and in the scripts a mail tab
 * loads when needed (LAZY_SCRIPTS in lib/messages.ts). Builds the Chrome extension with
 * source maps into a temporary folder and charges every byte of generated code to the source
 * file its mapping points at; bytes with no mapping (the bundle's own wrapper) show as
 * "(unmapped)". Usage: scripts/node22 npx tsx scripts/content-size-report.ts [--top N]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LAZY_SCRIPTS } from '../lib/messages';
import { costs, label, type SourceMap } from './source-map-costs';

/** Paths in the build: the content scripts every mail page loads, then those loaded on demand. */
const SCRIPTS = [
  ...['gmail', 'gmail-page', 'outlook', 'outlook-page'].map((name) => `content-scripts/${name}.js`),
  ...Object.keys(LAZY_SCRIPTS).map((name) => `${name}.js`),
];
const topArg = process.argv.indexOf('--top');
const top = topArg > 0 ? Number(process.argv[topArg + 1]) : 25;

const outDir = mkdtempSync(join(tmpdir(), 'content-size-'));
try {
  execFileSync('npx', ['wxt', 'build'], {
    env: { ...process.env, EXTENSION_OUT_DIR: outDir, CONTENT_SCRIPT_SOURCEMAPS: '1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (const path of SCRIPTS) {
    const file = join(outDir, 'chrome-mv3', path);
    const folder = join(file, '..');
    const code = readFileSync(file, 'utf8').replace(/\n\/\/# sourceMappingURL=.*\s*$/, '');
    const map = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as SourceMap;
    const rows = [...costs(code, map)].map(([source, bytes]) => [label(source, folder), bytes] as const).sort((a, b) => b[1] - a[1]);
    console.log(`\n${path}: ${Buffer.byteLength(code)} B (${statSync(file).size} B with the source map comment)`);
    for (const [source, bytes] of rows.slice(0, top)) console.log(`${String(bytes).padStart(7)}  ${source}`);
    const rest = rows.slice(top).reduce((sum, [, bytes]) => sum + bytes, 0);
    if (rest > 0) console.log(`${String(rest).padStart(7)}  (${rows.length - top} more)`);
  }
} finally {
  rmSync(outDir, { recursive: true, force: true });
}
