/**
 * Which of the extension's scripts a tab has run, read from Chromium's debugger (which lists
 * content scripts and scripts injected into the isolated world too): the paths, one per run.
 * Attach before the tab navigates, to see its scripts from the first on.
 */
import type { BrowserContext, Page } from 'playwright-core';

export async function extensionScriptsOf(context: BrowserContext, page: Page): Promise<{ paths: string[]; stop(): Promise<void> }> {
  const cdp = await context.newCDPSession(page);
  const paths: string[] = [];
  cdp.on('Debugger.scriptParsed', ({ url }) => {
    if (url.startsWith('chrome-extension://')) paths.push(new URL(url).pathname);
  });
  await cdp.send('Debugger.enable');
  return { paths, stop: () => cdp.detach() };
}
