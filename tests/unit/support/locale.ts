import { join } from 'node:path';
import { generateChromeMessages, parseMessagesFile } from '@wxt-dev/i18n/build';
import { fakeBrowser } from 'wxt/testing/fake-browser';

const cache = new Map<string, Record<string, { message: string }>>();

async function messagesOf(locale: 'en' | 'ja') {
  let messages = cache.get(locale);
  if (!messages) {
    // Vitest runs from the project root; import.meta.url is not a file URL under jsdom.
    const file = join(process.cwd(), 'locales', `${locale}.yml`);
    messages = generateChromeMessages(await parseMessagesFile(file)) as Record<string, { message: string }>;
    cache.set(locale, messages);
  }
  return messages;
}

/** Serves browser.i18n from the extension's own locale files, as the browser does for a UI language. */
export async function useLocale(locale: 'en' | 'ja'): Promise<void> {
  const messages = await messagesOf(locale);
  fakeBrowser.i18n.getMessage = ((name: string, substitutions?: string | string[]) => {
    if (name === '@@ui_locale') return locale;
    const template = messages[name]?.message ?? '';
    const subs = substitutions === undefined ? [] : Array.isArray(substitutions) ? substitutions : [substitutions];
    return template.replace(/\$(\d)/g, (_, n: string) => subs[Number(n) - 1] ?? '');
  }) as typeof fakeBrowser.i18n.getMessage;
  fakeBrowser.i18n.getUILanguage = () => locale;
}
