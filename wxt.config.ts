import { fileURLToPath } from 'node:url';
import type { Alias, InlineConfig } from 'vite';
import { defineConfig } from 'wxt';
import { managedPolicySchema } from './lib/admin-policy-schema';
import { EXTENSION_PUBLIC_KEY, FIREFOX_ADDON_ID } from './lib/extension-identity';
import { GMAIL_MATCHES, OUTLOOK_MATCHES } from './lib/mail/hosts';
import { LAZY_SCRIPTS } from './lib/messages';
import { dexieModern } from './scripts/dexie-modern';
import { preactForReact } from './scripts/preact-renderer';
import { bundledModulesCollector } from './scripts/third-party-licenses';
import { nativeJsforceForWorker } from './scripts/worker-bundle';

// Builds made with `--mode e2e` may talk to the org emulator on loopback;
// production builds never can (see lib/salesforce/hosts.ts for the runtime check).
const LOOPBACK_MODES = new Set(['e2e', 'development']);

/** Puts an alias before those WXT and its modules set, so it wins. */
function prependAlias(config: InlineConfig, own: Alias): void {
  const alias = config.resolve?.alias;
  config.resolve = {
    ...config.resolve,
    alias: Array.isArray(alias)
      ? [own, ...alias]
      : [own, ...Object.entries(alias ?? {}).map(([find, replacement]) => ({ find, replacement }))],
  };
}

// The About tab lists the open-source packages the bundles contain, with their licences.
const bundled = bundledModulesCollector();

export default defineConfig({
  // No webextension-polyfill: every API the extension calls returns promises in Chrome's MV3 and
  // in Firefox, and its 10 KB would load in every content script, page and worker start.
  modules: ['@wxt-dev/i18n/module'],
  // Explicit imports everywhere: modules read the same in WXT, Vitest and plain TypeScript runners.
  imports: false,
  // Parallel builds (tests, benchmarks) can each have their own output folder.
  outDir: process.env.EXTENSION_OUT_DIR ?? '.output',
  manifest: ({ browser, mode }) => ({
    name: '__MSG_extensionName__',
    description: '__MSG_extensionDescription__',
    default_locale: 'en',
    // Pins the Chrome extension id, so the OAuth callback URL registered in Salesforce never changes.
    // The Chrome Web Store refuses a manifest with `key` (it signs with the same key itself), so
    // the store package leaves it out.
    ...(browser === 'chrome' && process.env.STORE_PACKAGE !== '1' ? { key: EXTENSION_PUBLIC_KEY } : {}),
    // `scripting` and the mail hosts: open mail tabs get the content scripts of a new version
    // without a reload (lib/background/open-mail-tabs.ts); the content scripts run on the same hosts.
    permissions: ['storage', 'alarms', 'identity', 'notifications', 'scripting'],
    host_permissions: [
      ...GMAIL_MATCHES,
      ...OUTLOOK_MATCHES,
      // Salesforce's OAuth token/revoke and REST hosts: login., test., *.my.salesforce.com (sandboxes
      // too) and instance URLs are all under salesforce.com. Nothing else is needed: the login page
      // (and any SSO it redirects through) opens in identity.launchWebAuthFlow, which needs no host
      // permission, and *.force.com (Lightning, Visualforce) serves no API the extension calls; a
      // pasted Lightning address is turned into its my.salesforce.com host (lib/salesforce/hosts.ts).
      'https://*.salesforce.com/*',
      ...(LOOPBACK_MODES.has(mode) ? ['http://127.0.0.1/*', 'http://localhost/*'] : []),
    ],
    action: { default_title: '__MSG_extensionName__' },
    storage: { managed_schema: 'managed_schema.json' },
    browser_specific_settings: {
      gecko: {
        id: FIREFOX_ADDON_ID,
        // 140 is the first Firefox (and ESR) that asks for the data collection consent below.
        strict_min_version: '140.0',
        // What leaves the browser, for Firefox's consent at install: the email a rep sends (subject,
        // body, recipients' names and addresses) goes to the rep's own Salesforce org, and nowhere
        // else; so do the rep's tasks and call notes. See docs/firefox.md.
        data_collection_permissions: { required: ['personalCommunications', 'personallyIdentifyingInfo'] },
      },
    },
  }),
  hooks: {
    'build:publicAssets': (_, files) => {
      files.push({ relativeDest: 'managed_schema.json', contents: `${JSON.stringify(managedPolicySchema(), null, 2)}\n` });
      // Public assets are written after every entrypoint group is built, so the list is complete.
      files.push({ relativeDest: 'third-party-licenses.json', contents: JSON.stringify(bundled.notices()) });
    },
    'vite:build:extendConfig': (entrypoints, config) => {
      const names = entrypoints.map((e) => e.name);
      config.plugins = [...(config.plugins ?? []), bundled.plugin];
      // Dexie without its ES5 down-compilation (scripts/dexie-modern.ts).
      prependAlias(config, dexieModern);
      // The pages' React code rendered by Preact (scripts/preact-renderer.ts).
      for (const alias of preactForReact) prependAlias(config, alias);
      // scripts/page-size-report.ts builds with source maps to attribute the pages' bytes to modules.
      if (process.env.PAGE_SOURCEMAPS === '1' && names.includes('options')) config.build = { ...config.build, sourcemap: true };
      // Content scripts load on every mail page (docs/content-script-size.md). The scripts a mail
      // tab loads when needed (LAZY_SCRIPTS, lib/mail/lazy-script.ts) run as one of them.
      if (entrypoints.every((e) => e.type === 'content-script' || Object.hasOwn(LAZY_SCRIPTS, e.name))) {
        // scripts/content-size-report.ts builds with source maps to attribute bytes to modules.
        if (process.env.CONTENT_SCRIPT_SOURCEMAPS === '1') config.build = { ...config.build, sourcemap: true };
        // WXT's context class without the parts these scripts never use (see the file).
        prependAlias(config, {
          find: /^wxt\/utils\/content-script-context$/,
          replacement: fileURLToPath(new URL('./lib/mail/script-context.ts', import.meta.url)),
        });
      }
      if (names.includes('background')) {
        // scripts/content-size-report.ts --worker: the same, for the service worker's bundle.
        if (process.env.WORKER_SOURCEMAPS === '1') config.build = { ...config.build, sourcemap: true };
        config.plugins = [
          ...(config.plugins ?? []),
          // jsforce from its modern sources, without what the REST calls never reach (scripts/worker-bundle.ts).
          nativeJsforceForWorker(),
        ];
      }
    },
  },
  zip: {
    artifactTemplate: '{{name}}-{{version}}-{{browser}}.zip',
    sourcesTemplate: '{{name}}-{{version}}-sources.zip',
    excludeSources: ['.tools/**', 'test-results/**', '.cache/**'],
  },
});
