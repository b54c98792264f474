// Builds the Firefox add-on once for the Firefox e2e run, in the `e2e` mode that may reach loopback.
import { execFileSync } from 'node:child_process';
import { FIREFOX_EXTENSION_DIR } from './support/firefox';
import { OUT_BASE } from './support/paths';

export default function setup() {
  if (process.env.E2E_SKIP_BUILD === '1') return;
  execFileSync('npx', ['wxt', 'build', '-b', 'firefox', '--mv3', '--mode', 'e2e'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, EXTENSION_OUT_DIR: OUT_BASE },
  });
  console.log(`e2e: built ${FIREFOX_EXTENSION_DIR}`);
}
