/**
 * Fails when a mail provider's scripts outgrow their budget: they load on every mail page of
 * every rep, so the isolated content script plus its page-world script stay within 24 KB
 * minified. The scripts a mail tab loads only when needed (LAZY_SCRIPTS in lib/messages.ts) are
 * reported apart, with what a tab carries once a compose is open, and checked against a looser
 * limit of their own. Also fails when jsforce (hundreds of KB, and Salesforce access) lands in any
 * bundle but the service worker's. Reads the production Chrome build in .output/chrome-mv3. What
 * each module costs: scripts/content-size-report.ts (docs/content-script-size.md).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { LAZY_SCRIPTS } from '../lib/messages';

const BUDGET_BYTES = 24 * 1024;
/** Each on-demand script: loaded once per tab when needed, still parsed on the page. */
const ON_DEMAND_BUDGET_BYTES = 20 * 1024;
const root = join(process.env.EXTENSION_OUT_DIR ?? '.output', 'chrome-mv3');
const dir = join(root, 'content-scripts');

let failed = false;
for (const provider of ['gmail', 'outlook']) {
  const sizes = [`${provider}.js`, `${provider}-page.js`].map((file) => statSync(join(dir, file)).size);
  const total = sizes.reduce((a, b) => a + b, 0);
  console.log(
    `${provider}: content ${sizes[0]} B + page ${sizes[1]} B = ${total} B of ${BUDGET_BYTES} B (${total > BUDGET_BYTES ? 'OVER BUDGET' : 'ok'})`,
  );
  if (total > BUDGET_BYTES) failed = true;
  for (const [script, owner] of Object.entries(LAZY_SCRIPTS)) {
    if (owner !== provider) continue;
    const bytes = statSync(join(root, `${script}.js`)).size;
    const open = script.endsWith('-compose') ? `; with a compose open ${total + bytes} B` : '';
    const verdict = bytes > ON_DEMAND_BUDGET_BYTES ? 'OVER BUDGET' : 'ok';
    console.log(`  on demand ${script}.js: ${bytes} B of ${ON_DEMAND_BUDGET_BYTES} B (${verdict})${open}`);
    if (bytes > ON_DEMAND_BUDGET_BYTES) failed = true;
  }
}

// String literals of jsforce's own code that survive minification.
const JSFORCE_MARKERS = ['MULTIPLE_API_ERRORS', 'Sforce-Call-Options'];
const scripts = (folder: string): string[] =>
  readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    return entry.isDirectory() ? scripts(path) : entry.name.endsWith('.js') ? [path] : [];
  });
const withJsforce = scripts(root)
  .filter((file) => JSFORCE_MARKERS.some((marker) => readFileSync(file, 'utf8').includes(marker)))
  .map((file) => relative(root, file));
const placed = withJsforce.length === 1 && withJsforce[0] === 'background.js';
console.log(
  `jsforce: in ${withJsforce.join(', ') || 'no bundle'} (${placed ? 'ok: service worker only' : 'WRONG: the service worker only'})`,
);
if (!placed) failed = true;

// The worker starts again for nearly every send, alarm and popup (docs/performance.md), and
// code built from strings is refused by MV3's content security policy and flagged by Firefox
// add-on review (DANGEROUS_EVAL).
const WORKER_BUDGET_BYTES = 300_000;
const worker = readFileSync(join(root, 'background.js'), 'utf8');
const workerBytes = Buffer.byteLength(worker);
const evals = worker.match(/(?<![\w$.])(?:Function|eval)\(/g)?.length ?? 0;
console.log(
  `worker: ${workerBytes} B of ${WORKER_BUDGET_BYTES} B (${workerBytes <= WORKER_BUDGET_BYTES ? 'ok' : 'OVER BUDGET'}), ` +
    `${evals} Function()/eval() (${evals === 0 ? 'ok' : 'WRONG: none allowed'})`,
);
if (workerBytes > WORKER_BUDGET_BYTES || evals > 0) failed = true;

process.exit(failed ? 1 : 0);
