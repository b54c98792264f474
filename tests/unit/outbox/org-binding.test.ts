/**
 * Outbox entries belong to the org and user they were captured for: after a reconnect to a
 * sandbox (same user id, another org) nothing queued for production is written there, an
 * in-doubt write is checked in its own org only, and the rep chooses what happens to the rest.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ExtensionDatabase } from '@/lib/db';
import { chooseForOtherOrg } from '@/lib/outbox/activity-actions';
import { ownerOf } from '@/lib/outbox/plan';
import type { ConnectionService } from '@/lib/salesforce/connection';
import { type Emulator, startEmulator } from '../../emulator';
import { LOGGING_SEED } from './logging-seed';
import { type Clock, connectedService, drain, freshDatabase, makeRunner, send, testClock } from './org';

let production: Emulator;
let sandbox: Emulator;
let service: ConnectionService;
let db: ExtensionDatabase;
let clock: Clock;

beforeAll(async () => {
  production = await startEmulator({ port: 0, seed: LOGGING_SEED });
  // A sandbox copies production's users (same ids) but is an org of its own.
  sandbox = await startEmulator({
    port: 0,
    seed: {
      ...LOGGING_SEED,
      User: [
        ...LOGGING_SEED.User!,
        { FirstName: 'Sandbox', LastName: 'Admin', Username: 'admin@sandbox.example', Alias: 'sbadm', Email: 'admin@sandbox.example' },
      ],
    },
  });
});
afterAll(async () => {
  await production.stop();
  await sandbox.stop();
});
beforeEach(async () => {
  service = await connectedService(production);
  db = freshDatabase();
  clock = testClock();
});
afterEach(() => {
  production.control.clearFaults();
  sandbox.control.clearFaults();
});

const tasksIn = (sf: Emulator, subject: string) => sf.org.records('Task').filter((t) => t.Subject === subject);
const owner = async () => ownerOf((await service.client.currentSession())!);
const reconnect = (sf: Emulator) => service.connect({ environment: 'custom', myDomain: sf.url });

describe('entries belong to the org they were captured for', () => {
  it('the two orgs share the user id but not the org id, as a sandbox does', async () => {
    const prod = await owner();
    await reconnect(sandbox);
    const sb = await owner();
    expect(sb.userId).toBe(prod.userId);
    expect(sb.orgId).not.toBe(prod.orgId);
  });

  it('writes nothing queued for production into the sandbox, says so, and logs it in production once it is connected again', async () => {
    const runner = makeRunner({ db, client: service.client, clock });
    const key = await send(db, clock, { subject: 'For production', owner: await owner() });
    await reconnect(sandbox);
    await drain(runner, clock);
    expect(tasksIn(sandbox, 'Email: For production')).toHaveLength(0);
    expect(await db.activities.get(key)).toMatchObject({ state: 'queued', reason: 'otherOrg', detail: new URL(production.url).host });

    await reconnect(production);
    await runner.resume();
    await drain(runner, clock);
    expect(tasksIn(production, 'Email: For production')).toHaveLength(1);
    expect(await db.activities.get(key)).toMatchObject({ state: 'logged' });
    expect((await db.activities.get(key))?.reason).toBeUndefined();
  });

  it('checks an in-doubt write in its own org only, so it is neither doubled nor lost', async () => {
    const runner = makeRunner({ db, client: service.client, clock });
    await send(db, clock, { subject: 'Warm-up', owner: await owner() });
    await drain(runner, clock);
    production.control.fault({ method: 'POST', path: '/composite', dropAfterCommit: true });
    const key = await send(db, clock, { subject: 'In doubt', owner: await owner() });
    await runner.run();
    expect(await db.outbox.get(key)).toMatchObject({ attempt: expect.any(Object) });

    await reconnect(sandbox);
    await drain(runner, clock);
    expect(tasksIn(sandbox, 'Email: In doubt')).toHaveLength(0);
    expect(await chooseForOtherOrg(db, key, 'logHere', await owner(), clock.now())).toBe('inDoubt');

    await reconnect(production);
    await runner.resume();
    await drain(runner, clock);
    expect(tasksIn(production, 'Email: In doubt')).toHaveLength(1);
    expect(await db.activities.get(key)).toMatchObject({ state: 'logged', loggedIds: [tasksIn(production, 'Email: In doubt')[0]!.Id] });
  });

  it("logs an entry to the connected org when the rep chooses, or drops it and its content when they don't want it", async () => {
    const runner = makeRunner({ db, client: service.client, clock });
    const prod = await owner();
    const move = await send(db, clock, { subject: 'Move me', owner: prod });
    const drop = await send(db, clock, { subject: 'Drop me', owner: prod });
    await reconnect(sandbox);
    await drain(runner, clock);

    expect(await chooseForOtherOrg(db, move, 'logHere', await owner(), clock.now())).toBeNull();
    expect(await chooseForOtherOrg(db, drop, 'discard', await owner(), clock.now())).toBeNull();
    await drain(runner, clock);
    expect(tasksIn(sandbox, 'Email: Move me')).toHaveLength(1);
    expect(tasksIn(sandbox, 'Email: Drop me')).toHaveLength(0);
    expect(await db.activities.get(drop)).toMatchObject({ state: 'skipped', reason: 'discarded' });
    expect(await db.outbox.get(drop)).toBeUndefined();
    expect(tasksIn(production, 'Email: Move me')).toHaveLength(0);
  });

  it("never writes one org's record ids into another: the address cache starts again after a switch", async () => {
    const runner = makeRunner({ db, client: service.client, clock });
    await send(db, clock, { subject: 'Cached in production', to: ['hiroshi.suzuki@sakura-seiki.example'], owner: await owner() });
    await drain(runner, clock);
    await reconnect(sandbox);
    sandbox.control.resetCalls();
    await send(db, clock, { subject: 'Same person in the sandbox', to: ['hiroshi.suzuki@sakura-seiki.example'], owner: await owner() });
    await drain(runner, clock);
    // What the org supports, the lookup, the write: no write with production's ids first.
    expect(sandbox.control.calls().total).toBe(3);
    const inSandbox = sandbox.org.records('Contact').find((c) => c.Email === 'hiroshi.suzuki@sakura-seiki.example')!;
    expect(tasksIn(sandbox, 'Email: Same person in the sandbox')).toEqual([expect.objectContaining({ WhoId: inSandbox.Id })]);
  });

  it('gives an email captured while no org was connected to the org connected next', async () => {
    const runner = makeRunner({ db, client: service.client, clock });
    await reconnect(sandbox);
    const key = await send(db, clock, { subject: 'Unbound' });
    await drain(runner, clock);
    expect(tasksIn(sandbox, 'Email: Unbound')).toHaveLength(1);
    expect(await db.activities.get(key)).toMatchObject({ state: 'logged' });
  });
});
