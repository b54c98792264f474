/**
 * Runs axe-core in a page of the built extension. The library is evaluated through the
 * DevTools protocol, which the extension pages' content security policy does not apply to.
 */
import axe from 'axe-core';
import type { Page } from 'playwright-core';

/** Every WCAG 2.x A/AA rule and axe's best practices; an empty list means none is broken. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(axe.source);
  return page.evaluate(async () => {
    const runner = (globalThis as unknown as { axe: typeof axe }).axe;
    const results = await runner.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return results.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
  });
}
