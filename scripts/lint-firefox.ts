/**
 * Mozilla's add-on linter (web-ext lint, the checks addons.mozilla.org runs on submission) on the
 * production Firefox build in .output/firefox-mv3. Fails on any error, and on the warnings that
 * block a new listing (docs/firefox.md): a missing data collection declaration, and eval-like
 * code, which Manifest V3's content security policy refuses to run anyway. Other warnings are
 * printed for review.
 */
import { join } from 'node:path';
import webExt from 'web-ext';

/** Warnings addons.mozilla.org does not accept for a new add-on. */
const BLOCKING_WARNINGS = new Set(['MISSING_DATA_COLLECTION_PERMISSIONS', 'DANGEROUS_EVAL']);

interface LintMessage {
  code: string;
  message: string;
  file?: string;
  line?: number;
}
interface LintResult {
  errors: LintMessage[];
  warnings: LintMessage[];
  notices: LintMessage[];
}

const sourceDir = join(process.env.EXTENSION_OUT_DIR ?? '.output', 'firefox-mv3');
const result = (await webExt.cmd.lint({ sourceDir, output: 'none', selfHosted: false }, { shouldExitProgram: false })) as LintResult;

const where = (m: LintMessage) => [m.file, m.line].filter((part) => part !== undefined).join(':') || 'manifest';
const blocking = [...result.errors, ...result.warnings.filter((w) => BLOCKING_WARNINGS.has(w.code))];
for (const m of result.errors) console.log(`error ${m.code} (${where(m)}): ${m.message}`);
for (const m of result.warnings)
  console.log(`warning ${m.code} (${where(m)}): ${m.message}${BLOCKING_WARNINGS.has(m.code) ? ' [blocks a listing]' : ''}`);
console.log(
  `web-ext lint ${sourceDir}: ${result.errors.length} errors, ${result.warnings.length} warnings, ${result.notices.length} notices`,
);
if (blocking.length > 0) {
  console.error(`web-ext lint: ${blocking.length} problems block a Firefox Add-ons listing`);
  process.exit(1);
}
