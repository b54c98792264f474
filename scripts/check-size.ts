/**
 * Fails when a mail provider's scripts outgrow their budget: they load on every mail page of
 * every rep, so the isolated content script plus its page-world script stay under 32 KB minified.
 * Also fails when jsforce (hundreds of KB, and Salesforce access) lands in any bundle but the
 * service worker's. Reads the production Chrome build in .output/chrome-mv3. What each module
 * costs: scripts/content-size-report.ts (docs/content-script-size.md).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const BUDGET_BYTES = 32 * 1024;
/** What the scripts aim at, well under the budget: reported, not enforced. */
const GOAL_BYTES = 24 * 1024;
/** Scripts a provider loads only when needed (lib/mail/reading-pane/lazy.ts): reported, outside the budget. */
const ON_DEMAND: Record<string, string[]> = { gmail: ['gmail-pane.js'], outlook: ['outlook-pane.js'] };
const root = join(process.env.EXTENSION_OUT_DIR ?? '.output', 'chrome-mv3');
const dir = join(root, 'content-scripts');

let failed = false;
for (const provider of ['gmail', 'outlook']) {
  const sizes = [`${provider}.js`, `${provider}-page.js`].map((file) => statSync(join(dir, file)).size);
  const total = sizes.reduce((a, b) => a + b, 0);
  const verdict = total > BUDGET_BYTES ? 'OVER BUDGET' : total > GOAL_BYTES ? `ok, over the ${GOAL_BYTES} B goal` : 'ok';
  const later = (ON_DEMAND[provider] ?? []).map((file) => `; on demand ${file} ${statSync(join(root, file)).size} B`).join('');
  console.log(`${provider}: content ${sizes[0]} B + page ${sizes[1]} B = ${total} B of ${BUDGET_BYTES} B (${verdict})${later}`);
  if (total > BUDGET_BYTES) failed = true;
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
