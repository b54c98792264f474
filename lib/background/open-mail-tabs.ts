/**
 * Serves the mail tabs that were already open when the extension was installed, updated or
 * reloaded. Chrome injects a new version's content scripts only into pages loaded after it
 * started, and the old isolated script is orphaned; reps keep mail tabs open for days. So the
 * manifest's own content scripts are injected into each open mail tab, page world first: that
 * script takes over the hook already in the page (never a second one), and the new isolated
 * script introduces itself and receives the reports the page world kept (lib/mail/page-world.ts).
 *
 * Needs the `scripting` permission and host permissions for the mail hosts, which are the hosts
 * the content scripts run on already (the install prompt is the same).
 */

interface ManifestContentScript {
  matches?: string[];
  js?: string[];
  css?: string[];
  world?: string;
}

interface TabsLike {
  query(filter: { url: string[] }): Promise<Array<{ id?: number; discarded?: boolean }>>;
}

export interface ScriptingLike {
  executeScript(injection: { target: { tabId: number }; files: string[]; world?: 'MAIN' | 'ISOLATED' }): Promise<unknown>;
  insertCSS(injection: { target: { tabId: number }; files: string[] }): Promise<unknown>;
}

/** The reasons of `runtime.onInstalled` after which open tabs run no script of this version. */
export const SERVE_OPEN_TABS_ON = new Set(['install', 'update']);

/** Injects every content script of the manifest into the open tabs it matches; answers how many tabs were served. */
export async function serveOpenMailTabs(
  scripts: readonly ManifestContentScript[],
  tabs: TabsLike,
  scripting: ScriptingLike,
): Promise<number> {
  const served = new Set<number>();
  // The manifest lists each provider's page-world script before its isolated script.
  for (const script of scripts) {
    if (!script.matches?.length) continue;
    const open = await tabs.query({ url: script.matches }).catch(() => []);
    for (const { id, discarded } of open) {
      // A discarded tab loads afresh when the rep comes back to it, with the manifest's scripts.
      if (id === undefined || discarded) continue;
      const target = { tabId: id };
      try {
        if (script.css?.length) await scripting.insertCSS({ target, files: script.css });
        if (script.js?.length)
          await scripting.executeScript({ target, files: script.js, world: script.world === 'MAIN' ? 'MAIN' : 'ISOLATED' });
        served.add(id);
      } catch {
        // A tab that cannot be scripted now (an error page, closing) gets the scripts at its next load.
      }
    }
  }
  return served.size;
}
