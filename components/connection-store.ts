/**
 * The popup's and options page's view of the Salesforce connection. It holds no token and
 * never calls Salesforce: it asks the worker (`connection/*` messages) and follows the state
 * the worker stores, so every open page shows the same thing at once.
 */
import { create } from 'zustand';
import { type ExtensionError, extensionErrorOf } from '@/lib/messages';
import {
  CONNECTION_STATE_KEY,
  type ConnectionState,
  type ConnectionView,
  INITIAL_CONNECTION_STATE,
} from '@/lib/salesforce/connection-state';
import type { SalesforceEnvironment } from '@/lib/salesforce/hosts';
import { USAGE_KEY } from '@/lib/salesforce/usage';
import { storage } from '@/lib/storage';
import { askWorker } from './worker';

export type ConnectionAction = 'connect' | 'disconnect' | 'check';

export interface ConnectionStore {
  status: 'loading' | 'ready' | 'failed';
  view: ConnectionView | null;
  /**
   * The state as the worker last stored it, shown until the worker's view arrives: on the first
   * open after install the worker's answer waits seconds for Chrome's managed storage (the admin
   * policy), which the state does not need (docs/performance.md).
   */
  stored: ConnectionState | null;
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
    stored: null,
    busy: null,
    error: null,

    async load() {
      if (!get().view) {
        void storage.getItem<ConnectionState>(CONNECTION_STATE_KEY).then((state) => {
          // A sign-in in progress may be one a stopped worker left: that only the worker can tell.
          const shown = state ?? INITIAL_CONNECTION_STATE;
          if (!get().view && shown.status !== 'connecting') set({ stored: shown });
        });
      }
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
