/**
 * The start function a provider's compose script (entrypoints/<provider>-compose.ts) offers the
 * content script once it is injected (lib/mail/lazy-composes.ts).
 */
import { type ComposeAdapter, watchComposes } from './compose-watcher';
import type { StartComposes } from './lazy-composes';

/** The watcher for the adapter's composes, starting from those already on the page and those announced before it ran. */
export const composeStarter =
  (adapter: ComposeAdapter): StartComposes =>
  (doc, options, announced) =>
    watchComposes(doc, { ...adapter, announcers: (page) => [...adapter.announcers(page), ...announced] }, options);
