/**
 * npm run emulator -- [--port 8787] [--host 127.0.0.1] [--seed FILE] [--data FILE]
 * Runs the org emulator until interrupted; prints its URL and the user OAuth logs in as.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_PORT, startEmulator } from './index';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: String(DEFAULT_PORT) },
    host: { type: 'string', default: '127.0.0.1' },
    seed: { type: 'string' },
    data: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log('usage: npm run emulator -- [--port 8787] [--host 127.0.0.1] [--seed FILE] [--data FILE]');
  process.exit(0);
}

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number, not ${values.port}`);
  process.exit(2);
}

const emulator = await startEmulator({
  port,
  host: values.host,
  ...(values.seed ? { seed: values.seed } : {}),
  ...(values.data ? { dataFile: values.data } : {}),
});
const user = emulator.org.defaultUser();
console.log(`Salesforce org emulator listening on ${emulator.url}`);
console.log(`login URL and instance URL: ${emulator.url}; OAuth signs in as ${user.Username}`);
if (values.data) console.log(`persisting the org to ${values.data}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void emulator.stop().then(() => process.exit(0));
  });
}
