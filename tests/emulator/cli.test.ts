// Black box: `npm run emulator -- --port N` as a separate process, OAuth and REST over HTTP only.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTENSION_REDIRECT_URI, pkcePair } from './client';

let child: ChildProcess;
let base: string;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  const port = await freePort();
  // Its own process group, so stopping it stops tsx's child too.
  child = spawn('scripts/node22', ['tsx', 'tests/emulator/cli.ts', '--port', String(port)], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  base = `http://127.0.0.1:${port}`;
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`emulator did not start: ${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(`listening on ${base}`)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}: ${output}`)));
  });
}, 40_000);

afterAll(async () => {
  if (child.exitCode !== null || !child.pid) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-child.pid, 'SIGTERM');
  await exited;
});

describe('npm run emulator', () => {
  it('serves the OAuth flow and the REST API a client needs', async () => {
    const { verifier, challenge } = pkcePair();
    const authorize = new URL('/services/oauth2/authorize', base);
    authorize.search = new URLSearchParams({
      response_type: 'code',
      client_id: 'sales-activity-sync',
      redirect_uri: EXTENSION_REDIRECT_URI,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: 'black-box',
    }).toString();
    const redirect = await fetch(authorize, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    const back = new URL(redirect.headers.get('location')!);
    expect(back.searchParams.get('state')).toBe('black-box');

    const tokenResponse = await fetch(`${base}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: back.searchParams.get('code')!,
        code_verifier: verifier,
        client_id: 'sales-activity-sync',
        redirect_uri: EXTENSION_REDIRECT_URI,
      }),
    });
    expect(tokenResponse.status).toBe(200);
    const tokens = (await tokenResponse.json()) as { access_token: string; refresh_token: string; instance_url: string };
    expect(tokens.instance_url).toBe(base);
    const headers = { authorization: `Bearer ${tokens.access_token}`, 'content-type': 'application/json' };
    const api = `${base}/services/data/v62.0`;

    const query = await fetch(
      `${api}/query?q=${encodeURIComponent("SELECT Id, Name FROM Contact WHERE Email = 'EMILY.HARPER@northwind.example'")}`,
      { headers },
    );
    expect(query.status).toBe(200);
    expect(query.headers.get('sforce-limit-info')).toMatch(/^api-usage=1\/\d+$/);
    const contact = ((await query.json()) as { records: Array<{ Id: string; Name: string }> }).records[0]!;
    expect(contact.Name).toBe('Emily Harper');

    const create = await fetch(`${api}/sobjects/Task`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ Subject: 'Black box', WhoId: contact.Id }),
    });
    expect(create.status).toBe(201);
    const { id } = (await create.json()) as { id: string };
    expect((await fetch(`${api}/sobjects/Task/${id}`, { method: 'PATCH', headers, body: '{"Status":"Completed"}' })).status).toBe(204);
    const read = (await (await fetch(`${api}/sobjects/Task/${id}?fields=Subject,IsClosed`, { headers })).json()) as Record<string, unknown>;
    expect(read).toMatchObject({ Subject: 'Black box', IsClosed: true });
    expect((await fetch(`${api}/sobjects/Task/${id}`, { method: 'DELETE', headers })).status).toBe(204);
    expect((await fetch(`${api}/sobjects/Task/${id}`, { headers })).status).toBe(404);

    const refresh = await fetch(`${base}/services/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: 'sales-activity-sync' }),
    });
    expect(refresh.status).toBe(200);
    const revoke = await fetch(`${base}/services/oauth2/revoke`, {
      method: 'POST',
      body: new URLSearchParams({ token: tokens.refresh_token }),
    });
    expect(revoke.status).toBe(200);
    expect((await fetch(`${api}/limits`, { headers })).status).toBe(401);
  });

  it('answers CORS preflights, so a page or tool on another origin can call it', async () => {
    const res = await fetch(`${base}/services/data/v62.0/query`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:3000',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(res.headers.get('access-control-allow-headers')).toBe('authorization');
    expect(res.headers.get('access-control-expose-headers')).toContain('Sforce-Limit-Info');
  });

  it('answers the control API under /__emulator', async () => {
    const calls = await fetch(`${base}/__emulator/calls`);
    expect(await calls.json()).toMatchObject({ total: expect.any(Number), byEndpoint: expect.any(Object) });
  });
});
