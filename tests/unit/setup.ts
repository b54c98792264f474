// Every unit test gets a fresh fake browser, a fresh in-memory IndexedDB, and the extension's
// real English messages behind browser.i18n (tests may switch to Japanese with useLocale).
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import packageJson from '../../package.json' with { type: 'json' };
import { useLocale } from './support/locale';

beforeEach(async () => {
  fakeBrowser.reset();
  globalThis.indexedDB = new IDBFactory();
  fakeBrowser.runtime.getManifest = () => ({ manifest_version: 3, name: 'Sales Activity Sync', version: packageJson.version });
  if (typeof location !== 'undefined') history.replaceState(null, '', '#');
  await useLocale('en');
});
