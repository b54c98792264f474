// Builds the extension once for the whole e2e run, in the `e2e` mode that may reach loopback.
import { execFileSync } from 'node:child_process';
import { E2E_EXTENSION_DIR, OUT_BASE } from './support/paths';

export default function setup() {
  if (process.env.E2E_SKIP_BUILD === '1') return;
  execFileSync('npx', ['wxt', 'build', '--mode', 'e2e'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, EXTENSION_OUT_DIR: OUT_BASE },
  });
  console.log(`e2e: built ${E2E_EXTENSION_DIR}`);
}
