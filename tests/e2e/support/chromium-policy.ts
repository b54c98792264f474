/**
 * Deploys an extension policy the way an administrator does on Linux: a JSON file in
 * Chromium's managed policy folder, with the extension's settings under
 * "3rdparty" > "extensions" > <id>. The folder is machine-wide, so the file lives only while
 * a test needs it and is always removed, with any folder this created.
 */
import { existsSync, mkdirSync, readdirSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const CHROMIUM_POLICY_DIR = '/etc/chromium/policies/managed';

export interface InstalledPolicy {
  file: string;
  remove(): void;
}

export function installExtensionPolicy(extensionId: string, policy: unknown): InstalledPolicy {
  const created: string[] = [];
  for (let dir = CHROMIUM_POLICY_DIR; !existsSync(dir); dir = dirname(dir)) created.unshift(dir);
  mkdirSync(CHROMIUM_POLICY_DIR, { recursive: true });
  const file = join(CHROMIUM_POLICY_DIR, `sales-activity-sync-e2e-${process.pid}.json`);
  writeFileSync(file, JSON.stringify({ '3rdparty': { extensions: { [extensionId]: policy } } }, null, 2));
  const onExit = () => remove();
  function remove() {
    rmSync(file, { force: true });
    for (const dir of [...created].reverse()) if (existsSync(dir) && readdirSync(dir).length === 0) rmdirSync(dir);
    process.off('exit', onExit);
  }
  // Also when the run is cut short: a policy left behind would change every Chromium on the machine.
  process.on('exit', onExit);
  return { file, remove };
}
