import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = process.cwd();

/** Where the e2e build of the extension goes; EXTENSION_OUT_DIR lets parallel runs keep apart. */
export const OUT_BASE = process.env.EXTENSION_OUT_DIR ?? join(ROOT, '.output');
export const E2E_EXTENSION_DIR = join(OUT_BASE, 'chrome-mv3-e2e');

/** Debian's Chromium binary (the /usr/bin/chromium wrapper adds flags we do not want). */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/lib/chromium/chromium', '/usr/bin/chromium'];
  const found = candidates.find((p): p is string => !!p && existsSync(p));
  if (!found) throw new Error('Chromium is not installed: run `apt-get install chromium` (Debian) or set CHROMIUM_PATH');
  return found;
}
