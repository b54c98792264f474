// A rep's day (tests/e2e/shared/rep-flows.ts) with the Firefox add-on in Debian's Firefox ESR.
import { defineRepFlows } from '../shared/rep-flows';
import { launchFirefoxForTest } from '../support/firefox';

defineRepFlows(launchFirefoxForTest);
