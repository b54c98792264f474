// The control API (in process and over HTTP): injected failures, latency, a write committed
// before the connection drops, expired sessions, the daily allowance, call counts, snapshots,
// and an org persisted across restarts.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from 'jsforce';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connect, signIn } from './client';
import { type Emulator, startEmulator } from './index';

let sf: Emulator;
let conn: Connection;
beforeAll(async () => {
  sf = await startEmulator();
  conn = await connect(sf.url);
});
afterAll(() => sf.stop());
afterEach(() => {
  sf.control.clearFaults();
  sf.control.setAllowance(100_000, 0);
});

const control = (method: string, path: string, body?: unknown) =>
  fetch(`${sf.url}/__emulator${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }).then(async (r) => ({
    status: r.status,
    body: await r.json(),
  }));
const rest = (path: string, init: RequestInit = {}) =>
  fetch(`${sf.url}/services/data/v62.0${path}`, {
    ...init,
    headers: { authorization: `Bearer ${conn.accessToken}`, 'content-type': 'application/json', ...init.headers },
  });

describe('injected failures', () => {
  it.each([
    [401, 'INVALID_SESSION_ID'],
    [403, 'REQUEST_LIMIT_EXCEEDED'],
    [403, 'API_DISABLED_FOR_ORG'],
    [503, 'SERVER_UNAVAILABLE'],
    [500, 'UNKNOWN_EXCEPTION'],
  ])('fails the next matching request with %i %s, then recovers', async (status, errorCode) => {
    sf.control.fault({ method: 'GET', path: '/query', status, errorCode });
    const failed = await rest('/query?q=SELECT+Id+FROM+Lead');
    expect(failed.status).toBe(status);
    expect(await failed.json()).toEqual([{ message: expect.any(String), errorCode }]);
    expect(failed.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/100000$/);
    expect((await rest('/query?q=SELECT+Id+FROM+Lead')).status).toBe(200);
  });

  it('counts down N matching requests and leaves others alone', async () => {
    sf.control.fault({ method: 'POST', path: '/sobjects/Task', status: 503, times: 2 });
    expect((await rest('/limits')).status).toBe(200);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await rest('/sobjects/Task', { method: 'POST', body: '{"Subject":"retry"}' })).status);
    expect(statuses).toEqual([503, 503, 201]);
  });

  it('is set, listed and cleared over HTTP, with a RegExp path', async () => {
    const added = await control('POST', '/faults', { pathRegex: '/sobjects/Lead/00Q', status: 500, times: 0 });
    expect(added).toMatchObject({ status: 200, body: { id: expect.any(Number), remaining: 'until cleared' } });
    expect((await control('GET', '/faults')).body).toHaveLength(1);
    const lead = sf.org.records('Lead')[0]!.Id;
    expect((await rest(`/sobjects/Lead/${lead}`)).status).toBe(500);
    expect((await rest(`/sobjects/Lead/${lead}`)).status).toBe(500);
    await control('DELETE', '/faults');
    expect((await rest(`/sobjects/Lead/${lead}`)).status).toBe(200);
  });

  it('adds latency', async () => {
    sf.control.fault({ path: '/limits', latencyMs: 300 });
    const started = performance.now();
    expect((await rest('/limits')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('commits a write, then drops the connection without answering', async () => {
    sf.control.fault({ method: 'POST', path: '/sobjects/Task', dropAfterCommit: true });
    await expect(rest('/sobjects/Task', { method: 'POST', body: '{"Subject":"Committed but unanswered"}' })).rejects.toThrow();
    expect(sf.org.records('Task').filter((t) => t.Subject === 'Committed but unanswered')).toHaveLength(1);
  });
});

describe('sessions', () => {
  it('expired sessions answer 401 INVALID_SESSION_ID; jsforce refreshes and carries on', async () => {
    const fresh = await connect(sf.url);
    const refreshed: string[] = [];
    fresh.on('refresh', (token: string) => refreshed.push(token));
    const old = fresh.accessToken!;
    expect((await control('POST', '/sessions/expire')).body.expired).toBeGreaterThan(0);
    const raw = await fetch(`${sf.url}/services/data/v62.0/limits`, { headers: { authorization: `Bearer ${old}` } });
    expect(raw.status).toBe(401);
    expect(await raw.json()).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    await expect(fresh.query('SELECT Id FROM Lead LIMIT 1')).resolves.toMatchObject({ totalSize: 1 });
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]).not.toBe(old);
    expect((await control('GET', '/oauth/grants')).body).toMatchObject({ authorization_code: expect.any(Number), refresh_token: 1 });
  });

  it('sessions time out after two idle hours on the org clock', async () => {
    const tokens = await signIn(sf.url);
    sf.control.advanceClock(2 * 60 * 60_000 + 1_000);
    const res = await fetch(`${sf.url}/services/data/v62.0/limits`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(res.status).toBe(401);
  });

  it('revoked refresh tokens answer invalid_grant', async () => {
    const tokens = await signIn(sf.url);
    await control('POST', '/refresh-tokens/revoke');
    const res = await fetch(`${sf.url}/services/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token!, client_id: 'sales-activity-sync' }),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toBe('invalid_grant');
    conn = await connect(sf.url);
  });
});

describe('allowance and counts', () => {
  it('counts calls by endpoint, composite as one, and resets', async () => {
    await control('DELETE', '/calls');
    const task = sf.org.records('Task')[0]!.Id;
    await rest('/query?q=SELECT+Id+FROM+Lead');
    await rest(`/sobjects/Task/${task}`);
    await rest(`/sobjects/Task/${task}`, { method: 'PATCH', body: '{"Priority":"High"}' });
    await rest('/composite', {
      method: 'POST',
      body: JSON.stringify({
        compositeRequest: [1, 2, 3].map((i) => ({ method: 'GET', url: '/services/data/v62.0/limits', referenceId: `r${i}` })),
      }),
    });
    const { body } = await control('GET', '/calls');
    expect(body).toMatchObject({
      total: 4,
      byEndpoint: { 'GET /query': 1, 'GET /sobjects/Task/{id}': 1, 'PATCH /sobjects/Task/{id}': 1, 'POST /composite': 1 },
    });
    sf.control.resetCalls();
    expect(sf.control.calls().total).toBe(0);
  });

  it('an exhausted allowance answers 403 REQUEST_LIMIT_EXCEEDED', async () => {
    expect((await control('PUT', '/allowance', { max: 10, used: 9 })).status).toBe(200);
    const last = await rest('/limits');
    expect(last.status).toBe(200);
    expect(last.headers.get('sforce-limit-info')).toBe('api-usage=10/10');
    const refused = await rest('/limits');
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual([{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
    expect((await control('GET', '/allowance')).body).toEqual({ max: 10, used: 10 });
  });
});

describe('records', () => {
  it('snapshots every record, deleted ones included', async () => {
    const { body } = await control('GET', '/snapshot');
    expect(body.Contact.length).toBe(sf.org.records('Contact').length);
    expect(body.Task.some((t: { IsDeleted: boolean }) => t.IsDeleted)).toBe(true);
  });

  it('adds records in the seed format and returns their ids', async () => {
    const { body } = await control('POST', '/records', {
      Lead: [{ '@ref': 'new', LastName: '森', Company: '森商店', CreatedDate: '$now-20d' }],
    });
    expect(sf.org.get(body.new)).toMatchObject({ Name: '森', Company: '森商店' });
    expect((await control('POST', '/records', { Lead: [{ LastName: 'No company' }] })).status).toBe(400);
  });
});

describe('persistence', () => {
  it('keeps records, sessions and refresh tokens across restarts in the --data file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'org-emulator-'));
    const dataFile = join(dir, 'org.json');
    try {
      const first = await startEmulator({ dataFile });
      const tokens = await signIn(first.url);
      const created = await fetch(`${first.url}/services/data/v62.0/sobjects/Lead`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.access_token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ LastName: '保存', Company: '永続株式会社' }),
      });
      const { id } = (await created.json()) as { id: string };
      await first.stop();
      expect(JSON.parse(readFileSync(dataFile, 'utf8')).format).toBe('sales-activity-sync/org-emulator');

      const second = await startEmulator({ dataFile });
      expect(second.org.get(id)).toMatchObject({ Company: '永続株式会社' });
      const read = await fetch(`${second.url}/services/data/v62.0/sobjects/Lead/${id}`, {
        headers: { authorization: `Bearer ${tokens.access_token}` },
      });
      expect(read.status).toBe(200);
      await second.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
