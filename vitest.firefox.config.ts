import { defineConfig } from 'vitest/config';

// End-to-end tests in Debian's Firefox ESR with the built add-on (tests/e2e/support/firefox.ts).
// One file at a time, like the Chromium suite: each launches its own browser.
export default defineConfig({
  test: {
    include: ['tests/e2e/firefox/**/*.firefox.ts'],
    globalSetup: ['tests/e2e/firefox-setup.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
