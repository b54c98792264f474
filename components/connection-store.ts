/**
 * The popup's and options page's view of the Salesforce connection. It holds no token and
 * never calls Salesforce: it asks the worker (`connection/*` messages) and follows the state
 * the worker stores, so every open page shows the same thing at once.
 */
import { storage } from 'wxt/utils/storage';
import { create } from 'zustand';
import { type ExtensionError, extensionErrorOf } from '@/lib/messages';
import { CONNECTION_STATE_KEY, type ConnectionView } from '@/lib/salesforce/connection-state';
import type { SalesforceEnvironment } from '@/lib/salesforce/hosts';
import { USAGE_KEY } from '@/lib/salesforce/usage';
import { askWorker } from './worker';

export type ConnectionAction = 'connect' | 'disconnect' | 'check';

export interface ConnectionStore {
  status: 'loading' | 'ready' | 'failed';
  view: ConnectionView | null;
  /** What the rep asked for and is waiting on. */
  busy: ConnectionAction | null;
  /** The worker refused or failed a request (not a Salesforce problem: those are in view.state.problem). */
  error: ExtensionError | null;
  load(): Promise<void>;
  connect(environment: SalesforceEnvironment, myDomain: string): Promise<void>;
  disconnect(): Promise<void>;
  check(): Promise<void>;
  /** Reloads whenever the worker changes the connection or its usage; returns the stop function. */
  follow(): () => void;
}

export const useConnectionStore = create<ConnectionStore>()((set, get) => {
  async function run(action: ConnectionAction, ask: () => Promise<ConnectionView>) {
    set({ busy: action, error: null });
    try {
      set({ view: await ask(), status: 'ready' });
    } catch (error) {
      set({ error: extensionErrorOf(error) });
      await get().load();
    } finally {
      set({ busy: null });
    }
  }

  return {
    status: 'loading',
    view: null,
    busy: null,
    error: null,

    async load() {
      // A worker that is just starting may miss the first request: ask again a few times before giving up.
      for (const wait of [0, 300, 1000, 3000]) {
        if (wait) await new Promise((resolve) => setTimeout(resolve, wait));
        try {
          set({ view: await askWorker('connection/get', {}), status: 'ready' });
          return;
        } catch {
          if (get().view) return;
        }
      }
      set({ status: 'failed' });
    },

    connect: (environment, myDomain) => run('connect', () => askWorker('connection/connect', { environment, myDomain })),
    disconnect: () => run('disconnect', () => askWorker('connection/disconnect', {})),
    check: () => run('check', () => askWorker('connection/check', {})),

    follow() {
      const reload = () => void get().load();
      const stops = [storage.watch(CONNECTION_STATE_KEY, reload), storage.watch(USAGE_KEY, reload)];
      return () => {
        for (const stop of stops) stop();
      };
    },
  };
});
