/**
 * Mozilla's add-on linter (web-ext lint, the checks addons.mozilla.org runs on submission) on the
 * production Firefox build in .output/firefox-mv3; fails on what blocks a listing
 * (scripts/firefox-lint-verdict.ts).
 */
import { join } from 'node:path';
import webExt from 'web-ext';
import { blockingProblems, describeReport, type LintReport } from './firefox-lint-verdict';

const sourceDir = join(process.env.EXTENSION_OUT_DIR ?? '.output', 'firefox-mv3');
const report = (await webExt.cmd.lint({ sourceDir, output: 'none', selfHosted: false }, { shouldExitProgram: false })) as LintReport;
for (const line of describeReport(report, sourceDir)) console.log(line);
const blocking = blockingProblems(report);
if (blocking.length > 0) {
  console.error(`web-ext lint: ${blocking.length} problems block a Firefox Add-ons listing`);
  process.exit(1);
}
