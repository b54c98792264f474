/**
 * The extension's worker start in Chromium, as a ratio to an empty worker (a manifest and one
 * message listener) measured in the same run, starts taken in turns, so machine speed and load
 * cancel out. The message is the worker's cheapest request, `worker/status`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PRODUCTION_EXTENSION_DIR } from './support/build';
import { medianWorkerStartsMs } from './support/worker-timing';

function emptyExtension(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sas-empty-worker-'));
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify({ manifest_version: 3, name: 'Empty worker', version: '1.0', background: { service_worker: 'background.js' } }),
  );
  writeFileSync(join(dir, 'background.js'), 'chrome.runtime.onMessage.addListener((m, s, reply) => { reply({ ok: true }); });\n');
  writeFileSync(join(dir, 'page.html'), '<!doctype html><title>Empty</title>\n');
  return dir;
}

export async function run(): Promise<Record<string, number | string>> {
  const empty = emptyExtension();
  try {
    const message = { type: 'worker/status' };
    const [emptyMs = Number.NaN, ownMs = Number.NaN] = await medianWorkerStartsMs([
      { extensionDir: empty, pagePath: 'page.html', message },
      // The About tab asks the worker nothing, so the options page is idle once loaded.
      { extensionDir: PRODUCTION_EXTENSION_DIR, pagePath: 'options.html#about', message },
    ]);
    return {
      'worker.start_ms_empty': Number(emptyMs.toFixed(1)),
      'worker.start_ms': Number(ownMs.toFixed(1)),
      'worker.start_ratio_vs_empty': Number((ownMs / emptyMs).toFixed(2)),
    };
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
}
