/**
 * `npm run bench`: builds the production extension once, then runs every tests/bench/*.bench.ts
 * (each exports `run()` returning its figures) and prints one `name: value` line per figure,
 * so that figures can be compared run to run. `npm run bench -- worker` runs only files whose
 * name contains "worker".
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildProduction } from './support/build';

const filters = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const dir = join(process.cwd(), 'tests', 'bench');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((word) => f.includes(word)))
  .sort();

buildProduction();
let failed = false;
for (const file of files) {
  const bench = (await import(pathToFileURL(join(dir, file)).href)) as { run?: () => Promise<Record<string, number | string>> };
  if (typeof bench.run !== 'function') continue;
  try {
    for (const [name, value] of Object.entries(await bench.run())) console.log(`${name}: ${value}`);
  } catch (error) {
    failed = true;
    console.error(`${file} failed:`, error);
  }
}
process.exit(failed ? 1 : 0);
