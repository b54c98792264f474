/**
 * Dexie's package entry (`import-wrapper.mjs`) wraps its ES5 build (`dist/dexie.js`), compiled
 * down for old browsers. The package also ships the same library compiled for ES2021
 * (`dist/modern/dexie.mjs`, reachable through its `./dist/*` export), which every browser the
 * extension supports runs natively: 12 KB smaller minified (docs/performance.md). The extension's
 * bundles and the unit tests take that one, so what is tested is what ships.
 */
import { fileURLToPath } from 'node:url';
import type { Alias } from 'vite';

export const dexieModern: Alias = {
  find: /^dexie$/,
  replacement: fileURLToPath(import.meta.resolve('dexie/dist/modern/dexie.mjs')),
};
