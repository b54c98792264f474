import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';
import { dexieModern } from './scripts/dexie-modern';
import { preactForReact } from './scripts/preact-renderer';

// Unit tests: decisions and UI, with WXT's fake browser and fake-indexeddb for Dexie.
// End-to-end tests in real Chromium have their own config (vitest.e2e.config.ts).
export default defineConfig({
  plugins: [WxtVitest()],
  // The Dexie build the extension ships.
  resolve: { alias: [dexieModern, ...preactForReact] },
  test: {
    include: ['tests/unit/**/*.test.{ts,tsx}', 'tests/emulator/**/*.test.ts'],
    setupFiles: ['tests/unit/setup.ts'],
    environment: 'node',
    restoreMocks: true,
    // Transformed with the aliases above, so that zustand's hooks run on Preact too.
    server: { deps: { inline: ['zustand'] } },
  },
});
