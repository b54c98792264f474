/**
 * Fails when a mail provider's scripts outgrow their budget: they load on every mail page of
 * every rep, so the isolated content script plus its page-world script stay under 32 KB minified.
 * Reads the production Chrome build in .output/chrome-mv3.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';

const BUDGET_BYTES = 32 * 1024;
const dir = join(process.env.EXTENSION_OUT_DIR ?? '.output', 'chrome-mv3', 'content-scripts');

let failed = false;
for (const provider of ['gmail', 'outlook']) {
  const sizes = [`${provider}.js`, `${provider}-page.js`].map((file) => statSync(join(dir, file)).size);
  const total = sizes.reduce((a, b) => a + b, 0);
  const verdict = total <= BUDGET_BYTES ? 'ok' : 'OVER BUDGET';
  console.log(`${provider}: content ${sizes[0]} B + page ${sizes[1]} B = ${total} B of ${BUDGET_BYTES} B (${verdict})`);
  if (total > BUDGET_BYTES) failed = true;
}
process.exit(failed ? 1 : 0);
