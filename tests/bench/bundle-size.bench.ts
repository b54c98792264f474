/** Size of every script in the production build, minified and gzipped, in bytes. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PRODUCTION_EXTENSION_DIR } from './support/build';

function scripts(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return scripts(path);
    return name.endsWith('.js') ? [path] : [];
  });
}

export async function run(): Promise<Record<string, number | string>> {
  const figures: Record<string, number> = {};
  for (const path of scripts(PRODUCTION_EXTENSION_DIR).sort()) {
    // Chunk names carry a content hash; name the figure by its stable part so runs compare.
    const name = relative(PRODUCTION_EXTENSION_DIR, path).replace(/-[\w-]{8}\.js$/, '.js');
    const bytes = readFileSync(path);
    figures[`size.${name}`] = bytes.length;
    figures[`size_gzip.${name}`] = gzipSync(bytes).length;
  }
  return figures;
}
