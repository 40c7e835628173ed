import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/**
 * The serious and critical violations axe-core finds on the page as it is now, one line each. The pages'
 * CSP refuses inline scripts, so axe is served as if from the page's own origin.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.route('**/__axe.min.js', (route) =>
    route.fulfill({ path: axePath, contentType: 'text/javascript' }),
  );
  await page.addScriptTag({ url: '/__axe.min.js' });
  return page.evaluate<string[]>(`axe.run(document).then((results) => results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => violation.id + ' (' + violation.impact + '): ' +
      violation.nodes.map((node) => node.target.join(' ')).join(', ')))`);
}
