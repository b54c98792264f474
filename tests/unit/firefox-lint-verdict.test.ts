import { describe, expect, it } from 'vitest';
import { blockingProblems, describeReport, type LintReport } from '../../scripts/firefox-lint-verdict';

const report = (parts: Partial<LintReport>): LintReport => ({ errors: [], warnings: [], notices: [], ...parts });
const warning = (code: string, file?: string, line?: number) => ({ code, message: code.toLowerCase(), file, line });

describe('what in web-ext lint stops a Firefox release', () => {
  it('passes a report with only reviewed warnings and notices', () => {
    const clean = report({ warnings: [warning('UNSAFE_VAR_ASSIGNMENT', 'chunks/styles.js', 9)], notices: [warning('SOME_NOTICE')] });
    expect(blockingProblems(clean)).toEqual([]);
  });

  it('stops on any error, whatever its code', () => {
    const bad = report({ errors: [{ code: 'JSON_INVALID', message: 'bad manifest' }] });
    expect(blockingProblems(bad).map((m) => m.code)).toEqual(['JSON_INVALID']);
  });

  it('stops on the warnings addons.mozilla.org refuses for a new add-on', () => {
    const blocked = report({
      warnings: [
        warning('MISSING_DATA_COLLECTION_PERMISSIONS'),
        warning('DANGEROUS_EVAL', 'background.js', 7),
        warning('UNSAFE_VAR_ASSIGNMENT'),
      ],
    });
    expect(blockingProblems(blocked).map((m) => m.code)).toEqual(['MISSING_DATA_COLLECTION_PERMISSIONS', 'DANGEROUS_EVAL']);
  });

  it('says where each warning is and which ones block', () => {
    const lines = describeReport(
      report({ warnings: [warning('DANGEROUS_EVAL', 'background.js', 7), warning('MISSING_DATA_COLLECTION_PERMISSIONS')] }),
      'out',
    );
    expect(lines).toEqual([
      'warning DANGEROUS_EVAL (background.js:7): dangerous_eval [blocks a listing]',
      'warning MISSING_DATA_COLLECTION_PERMISSIONS (manifest): missing_data_collection_permissions [blocks a listing]',
      'web-ext lint out: 0 errors, 2 warnings, 0 notices',
    ]);
  });
});
