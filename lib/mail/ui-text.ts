/**
 * Words of the controls the content scripts put into mail pages, and of the worker's
 * notifications and notes, from locales/*.yml. The browser's own message lookup:
 * @wxt-dev/i18n's runtime is about 900 bytes of every mail page's content script
 * (docs/content-script-size.md) and of the worker, for plural and named forms these texts do
 * not use.
 */
import { browser } from 'wxt/browser';
import type { GeneratedI18nStructure } from '#i18n';

export const t = (key: keyof GeneratedI18nStructure, substitutions?: Array<string | number>): string =>
  browser.i18n.getMessage(key.replaceAll('.', '_') as never, substitutions?.map(String));
