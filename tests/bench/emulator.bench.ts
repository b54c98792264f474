/**
 * The org emulator's throughput, so benchmarks of the extension know the emulator is not what
 * they measure: requests per second for the extension's typical lookup query and for a Task
 * create, from 16 concurrent keep-alive connections, with the emulator in its own process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { signIn } from '../emulator/client';

const CONCURRENCY = 16;
const WARMUP_MS = 500;
const MEASURE_MS = 3_000;

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

async function startEmulatorProcess(port: number): Promise<ChildProcess> {
  // Its own process group, so stopping it stops tsx's node child too.
  const child = spawn('scripts/node22', ['tsx', 'tests/emulator/cli.ts', '--port', String(port)], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`emulator did not start: ${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}: ${output}`)));
  });
  return child;
}

interface Call {
  method: string;
  path: string;
  body?: string;
  expect: number;
}

function send(agent: Agent, port: number, token: string, call: Call): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: '127.0.0.1',
        port,
        method: call.method,
        path: call.path,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === call.expect ? resolve() : reject(new Error(`${call.method} ${call.path} answered ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(call.body);
  });
}

/** Requests per second over MEASURE_MS, after a warm-up, from CONCURRENCY connections. */
async function throughput(port: number, token: string, call: Call): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  try {
    const drive = async (ms: number) => {
      let done = 0;
      const end = performance.now() + ms;
      const loop = async () => {
        while (performance.now() < end) {
          await send(agent, port, token, call);
          done++;
        }
      };
      const started = performance.now();
      await Promise.all(Array.from({ length: CONCURRENCY }, loop));
      return done / ((performance.now() - started) / 1000);
    };
    await drive(WARMUP_MS);
    return await drive(MEASURE_MS);
  } finally {
    agent.destroy();
  }
}

export async function run(): Promise<Record<string, number | string>> {
  const port = await freePort();
  const child = await startEmulatorProcess(port);
  try {
    const { access_token: token } = await signIn(`http://127.0.0.1:${port}`);
    const soql =
      "SELECT Id, Name, Email, AccountId, Account.Name FROM Contact WHERE Email IN ('emily.harper@northwind.example', 'hiroshi.suzuki@sakura-seiki.example')";
    const queryRps = await throughput(port, token, {
      method: 'GET',
      path: `/services/data/v62.0/query?q=${encodeURIComponent(soql)}`,
      expect: 200,
    });
    const createRps = await throughput(port, token, {
      method: 'POST',
      path: '/services/data/v62.0/sobjects/Task',
      body: JSON.stringify({
        Subject: 'Benchmark task',
        Description: 'Logged by the emulator benchmark',
        Status: 'Completed',
        TaskSubtype: 'Email',
      }),
      expect: 201,
    });
    return { 'emulator.query_rps': Math.round(queryRps), 'emulator.create_rps': Math.round(createRps) };
  } finally {
    if (child.pid && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(-child.pid, 'SIGTERM');
      await exited;
    }
  }
}
