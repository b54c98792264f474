import { defineConfig } from 'vitest/config';

// End-to-end tests drive Debian's Chromium with the built extension loaded. One file at a
// time: each launches its own browser, and the machines have two cores.
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.ts'],
    globalSetup: ['tests/e2e/global-setup.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
