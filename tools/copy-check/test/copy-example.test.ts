// Does what a user does with examples/copy-into-your-service: a fresh folder, `npm run vendor`
// (the READMEs' copy commands), `npm ci` with the example's own lockfile, `tsc`, then runs the
// service against a private Redis, an OTLP receiver and a real upstream on 127.0.0.1.
// A package importing a sibling or anything outside its folder fails the compile step; a copy
// section that no longer matches the example fails the vendor step.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  freePort,
  startOtlpReceiver,
  startRedis,
  waitFor,
  type OtlpReceiver,
  type RedisServer,
} from '@shipshape/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npmQuiet, repoRoot, tempProject, userEnv, type TempProject } from '../src/temp-project.ts';

/** The upstream: answers `GET /price`, fails with 503 or answers slowly on demand. */
interface Upstream {
  mode: 'ok' | 'fail';
  delayMs: number;
  hits: number;
  traceparents: string[];
  server: Server;
  url: string;
}

async function startUpstream(): Promise<Upstream> {
  const upstream = { mode: 'ok', delayMs: 0, hits: 0, traceparents: [] } as unknown as Upstream;
  upstream.server = createServer((request, response) => {
    upstream.hits += 1;
    upstream.traceparents.push(String(request.headers.traceparent ?? ''));
    setTimeout(() => {
      if (upstream.mode === 'fail') response.writeHead(503, { 'content-type': 'application/json' }).end('{}');
      else response.writeHead(200, { 'content-type': 'application/json' }).end('{"price":42}');
    }, upstream.delayMs);
  });
  upstream.server.listen(0, '127.0.0.1');
  await once(upstream.server, 'listening');
  const address = upstream.server.address();
  upstream.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return upstream;
}

const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('examples/copy-into-your-service, built and run outside the monorepo', () => {
  let project: TempProject;
  let redis: RedisServer;
  let otlp: OtlpReceiver;
  let upstream: Upstream;
  let service: ChildProcess;
  let base: string;
  let output = '';

  beforeAll(async () => {
    project = tempProject('copy-example', join(repoRoot, 'examples', 'copy-into-your-service'));
    await project.run('npm', ['run', 'vendor'], { SHIPSHAPE: repoRoot });
    await project.run('npm', ['ci', ...npmQuiet]);
    await project.run('npm', ['run', 'build']);
    [redis, otlp, upstream] = await Promise.all([startRedis(), startOtlpReceiver(), startUpstream()]);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    service = spawn(
      process.execPath,
      ['--import', './dist/vendor/observability/tracing/register.js', 'dist/main.js'],
      {
        cwd: project.dir,
        env: {
          ...userEnv(),
          PORT: String(port),
          REDIS_URL: redis.url,
          UPSTREAM_URL: upstream.url,
          UPSTREAM_BREAKER_OPEN_MS: '1000',
          CONFIG_FILE: join(project.dir, 'config.json'),
          OTEL_SERVICE_NAME: 'copy-example',
          OTEL_EXPORTER_OTLP_ENDPOINT: otlp.endpoint,
          OTEL_BSP_SCHEDULE_DELAY: '50',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    service.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    service.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    await waitFor(
      'the service to answer /health',
      async () => (await fetch(`${base}/health`).catch(() => undefined))?.ok === true,
      {
        timeoutMs: 15_000,
      },
    );
  });

  afterAll(async () => {
    if (service && service.exitCode === null) service.kill('SIGKILL');
    await Promise.all([
      redis?.close(),
      otlp?.close(),
      new Promise((resolve) => upstream?.server.close(resolve)),
    ]);
    project?.remove();
  });

  it('traces a request end to end: inbound span, outbound span, traceparent to the upstream, trace_id in the log', async () => {
    const response = await fetch(`${base}/quote`, {
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ price: 42 });
    expect(upstream.traceparents.at(-1)).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    await waitFor(
      'the spans of the trace',
      () => otlp.spans().filter((span) => span.traceId === traceId).length >= 2,
    );
    const spans = otlp.spans().filter((span) => span.traceId === traceId);
    const server = spans.find((span) => span.kind === 2);
    const client = spans.find((span) => span.kind === 3);
    expect(server?.service).toBe('copy-example');
    expect(server?.parentSpanId).toBe('00f067aa0ba902b7');
    expect(client?.parentSpanId).toBeTruthy();
    expect(upstream.traceparents.at(-1)).toContain(client?.spanId);
    await waitFor('the access line', () => output.includes(`"trace_id":"${traceId}"`));
  });

  it('answers 429 with RateLimit headers once the hot-reloaded file lowers the limit', async () => {
    writeFileSync(
      join(project.dir, 'config.json'),
      JSON.stringify({ greeting: 'reloaded', rateLimit: { limit: 3, windowMs: 60_000 } }),
    );
    await waitFor('the reload', () => /"outcome":"success","msg":"config reloaded"/.test(output));
    const first = await fetch(`${base}/hello`);
    expect(await first.json()).toEqual({ message: 'reloaded' });
    let rejected: Response | undefined;
    for (let i = 0; i < 5 && !rejected; i += 1) {
      const response = await fetch(`${base}/hello`);
      if (response.status === 429) rejected = response;
      else await response.arrayBuffer();
    }
    expect(rejected?.status).toBe(429);
    expect(rejected?.headers.get('ratelimit')).toMatch(/^"hello";r=0;t=\d+$/);
    expect(rejected?.headers.get('ratelimit-policy')).toBe('"hello";q=3;w=60');
    expect(Number(rejected?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await rejected?.json()).toMatchObject({ status: 429, code: 'rate_limited' });
  });

  it('opens the breaker against a failing upstream and stops calling it', async () => {
    upstream.mode = 'fail';
    let answer: { status: number; code?: string } = { status: 0 };
    for (let i = 0; i < 10 && answer.code !== 'upstream_unavailable'; i += 1) {
      const response = await fetch(`${base}/quote`);
      answer = { status: response.status, ...((await response.json()) as { code?: string }) };
    }
    expect(answer).toMatchObject({ status: 503, code: 'upstream_unavailable' });
    const hits = upstream.hits;
    expect((await fetch(`${base}/quote`)).status).toBe(503);
    expect(upstream.hits).toBe(hits);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/resilience_circuit_breaker_state\{[^}]*state="open"[^}]*\} 1/);
    expect(metrics).toMatch(/resilience_circuit_breaker_transitions_total\{[^}]*to="open"[^}]*\} 1/);
  });

  it('serves /metrics with the HTTP, resilience and config metric names', async () => {
    const metrics = await (await fetch(`${base}/metrics`)).text();
    for (const name of [
      'http_server_request_duration_seconds_bucket',
      'http_client_request_duration_seconds_bucket',
      'resilience_circuit_breaker_state',
      'resilience_circuit_breaker_calls_total',
      'resilience_retries_total',
      'resilience_rate_limit_decisions_total',
      'resilience_rate_limit_degraded',
      'config_reloads_total',
    ])
      expect(metrics, name).toMatch(new RegExp(`^${name}\\{[^}]*service="copy-example"`, 'm'));
    expect(metrics).toMatch(/resilience_rate_limit_decisions_total\{[^}]*decision="rejected"[^}]*\} [1-9]/);
  });

  it('drains an in-flight request on SIGTERM and exits 0', async () => {
    upstream.mode = 'ok';
    upstream.delayMs = 200;
    await waitFor(
      'the breaker to let a probe through',
      async () => (await fetch(`${base}/quote`)).status === 200,
      { timeoutMs: 5_000 },
    );
    const hits = upstream.hits;
    const inFlight = fetch(`${base}/quote`);
    await waitFor('the request to reach the upstream', () => upstream.hits > hits);
    service.kill('SIGTERM');
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(response.headers.get('connection')).toBe('close');
    const [code] = (await once(service, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(output).toContain('"msg":"shutdown complete"');
  });
});
