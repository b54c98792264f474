import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { OUT_BASE } from '../../e2e/support/paths';

/** The production Chrome build that benchmarks measure (what reps install). */
export const PRODUCTION_EXTENSION_DIR = join(OUT_BASE, 'chrome-mv3');

export function buildProduction(): void {
  execFileSync('npx', ['wxt', 'build'], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, EXTENSION_OUT_DIR: OUT_BASE } });
}
