/**
 * What in Mozilla's add-on linter report stops a release: every error, and the warnings
 * addons.mozilla.org does not accept for a new add-on (docs/firefox.md). Everything else is
 * printed for review.
 */

export const BLOCKING_WARNINGS: ReadonlySet<string> = new Set(['MISSING_DATA_COLLECTION_PERMISSIONS', 'DANGEROUS_EVAL']);

export interface LintMessage {
  code: string;
  message: string;
  file?: string;
  line?: number;
}

export interface LintReport {
  errors: LintMessage[];
  warnings: LintMessage[];
  notices: LintMessage[];
}

export function blockingProblems(report: LintReport): LintMessage[] {
  return [...report.errors, ...report.warnings.filter((w) => BLOCKING_WARNINGS.has(w.code))];
}

/** One line per error and warning, then the counts. */
export function describeReport(report: LintReport, sourceDir: string): string[] {
  const where = (m: LintMessage) => [m.file, m.line].filter((part) => part !== undefined).join(':') || 'manifest';
  return [
    ...report.errors.map((m) => `error ${m.code} (${where(m)}): ${m.message}`),
    ...report.warnings.map(
      (m) => `warning ${m.code} (${where(m)}): ${m.message}${BLOCKING_WARNINGS.has(m.code) ? ' [blocks a listing]' : ''}`,
    ),
    `web-ext lint ${sourceDir}: ${report.errors.length} errors, ${report.warnings.length} warnings, ${report.notices.length} notices`,
  ];
}
