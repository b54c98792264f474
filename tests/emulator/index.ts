/**
 * startEmulator: a Salesforce org on 127.0.0.1 for tests, benchmarks and the demo.
 *
 *   const sf = await startEmulator({ port: 0 });
 *   sf.url                       // http://127.0.0.1:PORT: login URL and instance URL
 *   sf.org.records('Task')       // inspect what the client wrote
 *   sf.control.fault({ method: 'POST', path: '/sobjects/Task', status: 503 })
 *   await sf.stop();
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Control, createControl } from './control';
import { syncDuplicateRuleRecord } from './duplicates';
import type { AuthJSON, OAuthApp } from './oauth';
import type { Rec } from './objects';
import { DEFAULT_SEED_PATH, loadSeed, readSeed, type Seed } from './seed';
import { createRequestHandler } from './server';
import { EmulatorState } from './state';
import type { OrgJSON } from './store';

export const DEFAULT_PORT = 8787;
export type { Control } from './control';
export type { FaultSpec } from './faults';
export { DEFAULT_APP, type OAuthApp } from './oauth';
export type { Rec } from './objects';
export type { Seed } from './seed';
export { DEFAULT_SEED_PATH } from './seed';

export interface EmulatorOptions {
  /** 0 picks a free port; defaults to 0 in process (the CLI defaults to DEFAULT_PORT). */
  port?: number;
  host?: string;
  /** Seed records, or a path to a seed JSON file; the default is the demo org (seed.json). */
  seed?: Seed | string;
  /** Persist the org (records, sessions, refresh tokens) to this JSON file; reloaded when it exists. */
  dataFile?: string;
  /** The apps OAuth accepts (External Client Apps, older Connected Apps); by default only the extension's (DEFAULT_APP). */
  apps?: OAuthApp[];
}

export interface OrgView {
  /** Records of one object, deleted ones only when asked. */
  records(type: string, options?: { includeDeleted?: boolean }): Rec[];
  /** One record by 15- or 18-character id, deleted or not. */
  get(id: string): Rec | undefined;
  /** The user OAuth logs in as by default (the first active user). */
  defaultUser(): Rec;
}

export interface Emulator {
  url: string;
  port: number;
  org: OrgView;
  control: Control;
  stop(): Promise<void>;
}

interface SavedOrg {
  format: 'sales-activity-sync/org-emulator';
  version: 1;
  org: OrgJSON;
  auth: AuthJSON;
}

function writeAtomically(path: string, data: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const state = new EmulatorState();
  const { store, auth } = state;
  if (options.apps) auth.apps = options.apps;
  const dataFile = options.dataFile;
  if (dataFile && existsSync(dataFile)) {
    const saved = JSON.parse(readFileSync(dataFile, 'utf8')) as SavedOrg;
    if (saved.format !== 'sales-activity-sync/org-emulator') throw new Error(`${dataFile} is not an org emulator data file`);
    store.load(saved.org);
    auth.load(saved.auth);
  } else {
    const seed = typeof options.seed === 'string' ? readSeed(options.seed) : (options.seed ?? readSeed(DEFAULT_SEED_PATH));
    loadSeed(store, seed);
  }
  if (store.table('User')!.rows.size === 0) throw new Error('the seed must have at least one User (the one OAuth logs in as)');
  syncDuplicateRuleRecord(store);

  let saveTimer: NodeJS.Timeout | undefined;
  const save = () => {
    saveTimer = undefined;
    if (dataFile)
      writeAtomically(
        dataFile,
        JSON.stringify({
          format: 'sales-activity-sync/org-emulator',
          version: 1,
          org: store.toJSON(),
          auth: auth.toJSON(),
        } satisfies SavedOrg),
      );
  };
  if (dataFile) {
    // Batches bursts of writes into one file write; stop() flushes the last one.
    const schedule = () => {
      saveTimer ??= setTimeout(save, 50);
    };
    store.onChange = schedule;
    auth.onChange = schedule;
    save();
  }

  const control = createControl(state);
  // Node's own header limit is raised so the emulator can answer Salesforce's 414 and 431 itself.
  const server: Server = createServer({ keepAliveTimeout: 30_000, maxHeaderSize: 256 * 1024 }, createRequestHandler(state, control));
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  const org: OrgView = {
    records: (type, opts = {}) => {
      const table = store.table(type);
      if (!table) throw new Error(`unknown object ${type}`);
      return [...table.rows.values()].filter((r) => opts.includeDeleted || !r.IsDeleted);
    },
    get: (id) => store.find(id)?.rec,
    defaultUser: () => [...store.table('User')!.rows.values()].find((u) => u.IsActive !== false)!,
  };

  return {
    url: `http://${host}:${port}`,
    port,
    org,
    control,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (saveTimer) {
        clearTimeout(saveTimer);
        save();
      }
    },
  };
}
