// Service client overhead: the client with its full default pipeline (deadline, bulkhead,
// retry budget, least-request balancing, per-endpoint breaker, outlier detection, OTel API
// span + propagation, x-request-timeout-ms) against a bare undici Pool (`request()`, plus, for
// reference, the lower-level `dispatch()` the client itself uses), all on keep-alive
// connections to the same local HTTP server. The server runs in a separate process, so this
// process measures only the client side. One run per case with a fixed request count after a
// warm-up; the cases of a concurrency level run interleaved in 8 alternating slices, so a
// change in machine load during the run hits both alike. CPU time of this process per request
// is reported beside wall-clock figures: it is what the client itself costs.
//
// Hedging: a client over two endpoints (two server processes) with hedging off, and the same
// with hedging on (live p95 delay, the defaults), on a healthy upstream: what hedging costs
// when nothing is slow. cockatiel has no hedging (nor does opossum); Polly v8's hedging
// strategy has no JavaScript peer to compare with.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { createServiceClient } from '../src/http/index.ts';

/** Interleaved slices per case (see the header comment). */
const slices = 8;
const body = JSON.stringify({ id: 'u_1', email: 'a@example.com', name: 'Ada' });

if (process.argv[2] === 'server') {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(`${typeof address === 'object' && address ? address.port : 0}\n`);
  });
} else {
  await main();
}

interface CaseResult {
  case: string;
  concurrency: number;
  requests: number;
  seconds: number;
  rps: number;
  cpuUsPerRequest: number;
  p50Ms: number;
  p99Ms: number;
}

async function main(): Promise<void> {
  const { child, port } = await startServer();
  const second = await startServer();
  const origin = `http://127.0.0.1:${port}`;
  const origins = [origin, `http://127.0.0.1:${second.port}`];
  const unhedged = createServiceClient({ service: 'bench-2', endpoints: origins });
  const hedged = createServiceClient({ service: 'bench-hedged', endpoints: origins, hedging: {} });
  await Promise.all([unhedged.ready(), hedged.ready()]);
  const sendUnhedged = async (): Promise<void> => {
    await unhedged.request({ path: '/users/u_1' });
  };
  const sendHedged = async (): Promise<void> => {
    await hedged.request({ path: '/users/u_1' });
  };
  let hedges = 0;
  hedged.policies().hedging.onHedge(() => void (hedges += 1));
  const bare = new Pool(origin, { connections: 128 });
  const client = createServiceClient({ service: 'bench', endpoints: origin });
  await client.ready();
  const sendBare = async (): Promise<void> => {
    const res = await bare.request({ method: 'GET', path: '/users/u_1' });
    await res.body.json();
  };
  // The cheapest undici path: the handler API without a body stream (what the client uses
  // inside). Not a target, it shows what the pipeline itself costs.
  const sendDispatch = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      bare.dispatch(
        { method: 'GET', path: '/users/u_1' },
        {
          onRequestStart: () => undefined,
          onResponseStart: () => undefined,
          onResponseData: (_c, chunk) => void chunks.push(chunk),
          onResponseEnd: () => {
            JSON.parse(Buffer.concat(chunks).toString('utf8'));
            resolve();
          },
          onResponseError: (_c, error) => reject(error),
        },
      );
    });
  const sendClient = async (): Promise<void> => {
    await client.request({ path: '/users/u_1' });
  };

  const results: CaseResult[] = [];
  for (const [concurrency, requests] of [
    [1, 8_000],
    [64, 40_000],
  ] as const) {
    results.push(
      ...(await measurePair(
        [
          ['bare undici Pool', sendBare],
          ['service client (defaults)', sendClient],
          ['bare Pool.dispatch (reference)', sendDispatch],
          ['service client, 2 endpoints, hedging off', sendUnhedged],
          ['service client, 2 endpoints, hedging on (p95)', sendHedged],
        ],
        concurrency,
        requests,
      )),
    );
  }

  await client.close();
  await unhedged.close();
  await hedged.close();
  await bare.close();
  child.kill();
  second.child.kill();

  const rows = results.map((r) => {
    const base = results.find((b) => b.case === 'bare undici Pool' && b.concurrency === r.concurrency)!;
    return {
      ...r,
      throughputVsBare: round(r.rps / base.rps, 3),
      cpuVsBare: round(r.cpuUsPerRequest / base.cpuUsPerRequest, 3),
      medianOverheadPct: round(((r.p50Ms - base.p50Ms) / base.p50Ms) * 100, 1),
    };
  });
  console.table(
    rows.map((r) => ({
      case: r.case,
      c: r.concurrency,
      requests: r.requests,
      'req/s': Math.round(r.rps),
      'cpu µs/req': r.cpuUsPerRequest,
      'p50 ms': r.p50Ms,
      'p99 ms': r.p99Ms,
      'throughput vs bare': r.throughputVsBare,
      'median +%': r.medianOverheadPct,
      'cpu vs bare': r.cpuVsBare,
    })),
  );
  const c64 = rows.find((r) => r.case === 'service client (defaults)' && r.concurrency === 64)!;
  const c1 = rows.find((r) => r.case === 'service client (defaults)' && r.concurrency === 1)!;
  console.log(
    `targets: throughput at c=64 >= 0.85x bare -> ${c64.throughputVsBare}x (${c64.throughputVsBare >= 0.85 ? 'met' : 'MISSED'}); ` +
      `added median latency at c=1 <= 15% -> ${c1.medianOverheadPct}% (${c1.medianOverheadPct <= 15 ? 'met' : 'MISSED'})`,
  );
  const off = (c: number) =>
    rows.find((r) => r.case === 'service client, 2 endpoints, hedging off' && r.concurrency === c)!;
  const on = (c: number) =>
    rows.find((r) => r.case === 'service client, 2 endpoints, hedging on (p95)' && r.concurrency === c)!;
  for (const c of [1, 64]) {
    console.log(
      `hedging on vs off at c=${c}: throughput ${round(on(c).rps / off(c).rps, 3)}x, cpu ${round(on(c).cpuUsPerRequest / off(c).cpuUsPerRequest, 3)}x, p99 ${on(c).p99Ms} vs ${off(c).p99Ms} ms`,
    );
  }
  console.log(`hedges sent on the healthy upstream: ${hedges} (cockatiel has no hedging to compare with)`);
  const dir = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    `${dir}client.json`,
    JSON.stringify(
      {
        node: process.version,
        cpus: (await import('node:os')).cpus().length,
        date: new Date().toISOString(),
        rows,
        hedgesSent: hedges,
      },
      null,
      2,
    ),
  );
}

/** Measures the cases at one concurrency, interleaved slice by slice (A B C A B C …). */
async function measurePair(
  cases: [string, () => Promise<void>][],
  concurrency: number,
  requests: number,
): Promise<CaseResult[]> {
  const state = cases.map(([name, send]) => ({
    name,
    send,
    latencies: new Float64Array(requests),
    filled: 0,
    ms: 0,
    cpuUs: 0,
  }));
  for (const c of state) await run(c.send, concurrency, Math.min(2_000, requests), undefined, 0);
  const perSlice = requests / slices;
  for (let slice = 0; slice < slices; slice++) {
    for (const c of state) {
      (globalThis as { gc?: () => void }).gc?.();
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await run(c.send, concurrency, perSlice, c.latencies, c.filled);
      c.ms += performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      c.cpuUs += cpu.user + cpu.system;
      c.filled += perSlice;
    }
  }
  return state.map((c) => {
    c.latencies.sort();
    return {
      case: c.name,
      concurrency,
      requests,
      seconds: round(c.ms / 1000, 3),
      rps: round(requests / (c.ms / 1000), 0),
      cpuUsPerRequest: round(c.cpuUs / requests, 1),
      p50Ms: round(c.latencies[Math.floor(requests * 0.5)]!, 3),
      p99Ms: round(c.latencies[Math.floor(requests * 0.99)]!, 3),
    };
  });
}

/** `concurrency` workers take requests from one counter until `total` were sent. */
async function run(
  send: () => Promise<void>,
  concurrency: number,
  total: number,
  latencies: Float64Array | undefined,
  offset: number,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < total) {
      const i = next++;
      const t0 = performance.now();
      await send();
      if (latencies) latencies[offset + i] = performance.now() - t0;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

function startServer(): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), 'server'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.stdout.once('data', (chunk: Buffer) => resolve({ child, port: Number(chunk.toString().trim()) }));
  });
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
