/**
 * Task sync against the org emulator: the one Salesforce client, signed in the way the
 * extension signs in, and helpers to act in the org as a Salesforce user would (REST calls
 * through jsforce).
 */
import type { Connection } from 'jsforce';
import { type ExtensionDatabase, openDatabase } from '@/lib/db';
import { SalesforceClient } from '@/lib/salesforce/client';
import { saveSession } from '@/lib/salesforce/tokens';
import { fromClient, type TaskSyncRemote } from '@/lib/sync/remote';
import { type Emulator, type FaultSpec, startEmulator } from '../../emulator';
import { connect, signIn, storedSessionOf } from '../../emulator/client';

export interface SyncWorld {
  sf: Emulator;
  db: ExtensionDatabase;
  client: SalesforceClient;
  remote: TaskSyncRemote;
  userId: string;
  /** A Salesforce user working in their org. */
  user: Connection;
  /** API calls made since the last reset (reset after the user's own calls to count the extension's). */
  calls(): number;
  resetCalls(): void;
}

/** An org with no tasks (the demo seed's users and people, its tasks removed), and a connected client. */
export async function startWorld(options: { keepSeedTasks?: boolean } = {}): Promise<SyncWorld> {
  const sf = await startEmulator({ port: 0 });
  const session = storedSessionOf(sf.url, await signIn(sf.url));
  // Stored as the connection stores it; the client reads it from there like the worker's does.
  await saveSession(session);
  const client = new SalesforceClient({ hosts: { allowLoopback: true } });
  const user = await connect(sf.url);
  if (!options.keepSeedTasks) {
    const ids = sf.org.records('Task').map((t) => t.Id);
    for (let i = 0; i < ids.length; i += 200) await user.sobject('Task').destroy(ids.slice(i, i + 200));
  }
  sf.control.resetCalls();
  const world: SyncWorld = {
    sf,
    db: openDatabase(`sync-test-${Math.random()}`),
    client,
    remote: fromClient(client),
    userId: session.userId,
    user,
    calls: () => sf.control.calls().total,
    resetCalls: () => sf.control.resetCalls(),
  };
  return world;
}

/**
 * The same remote, but the emulator gets `fault` just before the next write (a composite that
 * carries sObject Collections): the read of a run goes through, its write does not.
 */
export function faultOnNextWrite(world: SyncWorld, fault: FaultSpec): TaskSyncRemote {
  let armed = true;
  return {
    ...world.remote,
    composite: (subrequests) => {
      if (armed && subrequests.some((s) => s.path.startsWith('/composite/sobjects'))) {
        armed = false;
        world.sf.control.fault({ method: 'POST', path: '/composite', ...fault });
      }
      return world.remote.composite(subrequests);
    },
  };
}

export async function stopWorld(world: SyncWorld | undefined): Promise<void> {
  world?.db.close();
  await world?.sf.stop();
}
