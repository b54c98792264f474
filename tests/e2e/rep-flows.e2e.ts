// A rep's day (tests/e2e/shared/rep-flows.ts) with the Chrome extension in Debian's Chromium.
import { defineRepFlows } from './shared/rep-flows';
import { launchChromiumForTest } from './support/chromium-under-test';

defineRepFlows(launchChromiumForTest);
