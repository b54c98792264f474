/**
 * `npm start`: builds the extension and opens Chromium with it loaded, on the options page.
 * `npm start -- --headless` runs the same unattended and prints what it saw.
 */
import { execFileSync } from 'node:child_process';
import { launchWithExtension } from '../tests/e2e/support/browser';

const headless = process.argv.includes('--headless');

execFileSync('npx', ['wxt', 'build', '--mode', 'e2e'], { stdio: ['ignore', 'ignore', 'inherit'] });
const browser = await launchWithExtension({ headless });
const options = await browser.open('options.html');
console.log(`extension ${browser.extensionId} loaded; options page: ${await options.title()}`);
if (headless) {
  await browser.close();
} else {
  console.log('Close the browser window to stop.');
  await new Promise<void>((resolve) => browser.context.on('close', () => resolve()));
}
