import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import type { RedisServer } from '@shipshape/test-harness';
import { freePort, startRedis } from '@shipshape/test-harness';
import { Redis } from 'ioredis';
import { request as undiciRequest } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Tracing } from '../../src/tracing/index.ts';
import { startTracing } from '../../src/tracing/index.ts';

const exporter = new InMemorySpanExporter();
let tracing: Tracing;

beforeAll(async () => {
  tracing = await startTracing({
    serviceName: 'channels',
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
    instrumentationOptions: { enabled: ['ioredis', 'undici'] },
  });
});
afterAll(() => tracing.shutdown());
beforeEach(() => exporter.reset());

/** Runs `fn` under a fresh INTERNAL parent span and returns that span's id. */
async function underParent(fn: () => Promise<unknown>): Promise<string> {
  return trace.getTracer('test').startActiveSpan('parent', async (parent) => {
    try {
      await fn();
    } finally {
      parent.end();
    }
    return parent.spanContext().spanId;
  });
}

const named = (name: string): ReadableSpan[] => exporter.getFinishedSpans().filter((s) => s.name === name);

describe('ioredis 6 command spans from its tracing channels', () => {
  let server: RedisServer;
  let redis: Redis;

  beforeAll(async () => {
    server = await startRedis();
    redis = new Redis(server.url, { maxRetriesPerRequest: 0 });
    await redis.ping();
  });
  afterAll(async () => {
    redis.disconnect();
    await server.stop();
  });

  it('makes one CLIENT span per command under the active span, written values hidden', async () => {
    const parentId = await underParent(async () => {
      await redis.set('user:1', 'a secret value');
      await redis.get('user:1');
    });
    const [set] = named('SET');
    const [get] = named('GET');
    expect(set).toMatchObject({
      kind: SpanKind.CLIENT,
      attributes: {
        'db.system.name': 'redis',
        'db.operation.name': 'SET',
        'db.query.text': 'SET user:1 ?',
        'db.namespace': '0',
        'server.address': '127.0.0.1',
        'server.port': server.port,
      },
    });
    expect(get!.attributes['db.query.text']).toBe('GET user:1');
    expect(set!.parentSpanContext?.spanId).toBe(parentId);
    expect(get!.parentSpanContext?.spanId).toBe(parentId);
    const recorded = exporter.getFinishedSpans().map((span) => JSON.stringify([span.name, span.attributes]));
    expect(recorded.join('\n')).not.toContain('a secret value');
  });

  it('traces a MULTI batch with its size', async () => {
    const parentId = await underParent(() => redis.multi().set('k', '1').incr('k').exec());
    // The batch span, besides the spans of the MULTI, SET, INCR and EXEC commands it sends.
    const batch = named('MULTI').find((span) => span.attributes['db.operation.batch.size'] !== undefined);
    expect(batch!.attributes['db.operation.batch.size']).toBe(2);
    expect(batch!.parentSpanContext?.spanId).toBe(parentId);
  });

  it('marks a failing command as an error', async () => {
    await underParent(() => redis.call('NOSUCHCOMMAND').catch(() => undefined));
    const [failed] = named('NOSUCHCOMMAND');
    expect(failed!.status.code).toBe(SpanStatusCode.ERROR);
    expect(failed!.attributes['error.type']).toBe('ReplyError');
    expect(failed!.events.map((event) => event.name)).toEqual(['exception']);
  });

  it('leaves commands without an active span alone (queue polling)', async () => {
    await redis.get('user:1');
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});

describe('undici and fetch() client spans from the diagnostics channels', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const status = req.url === '/missing' ? 404 : 200;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ traceparent: req.headers.traceparent ?? null }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('makes a CLIENT span for fetch() and propagates it in traceparent', async () => {
    let seen: string | null = null;
    const parentId = await underParent(async () => {
      const response = await fetch(`${base}/echo?token=abc`);
      seen = ((await response.json()) as { traceparent: string | null }).traceparent;
    });
    const [span] = named('GET');
    expect(span).toMatchObject({
      kind: SpanKind.CLIENT,
      attributes: {
        'http.request.method': 'GET',
        'url.full': `${base}/echo`,
        'server.address': '127.0.0.1',
        'server.port': Number(new URL(base).port),
        'http.response.status_code': 200,
      },
    });
    expect(span!.parentSpanContext?.spanId).toBe(parentId);
    expect(seen).toBe(`00-${span!.spanContext().traceId}-${span!.spanContext().spanId}-01`);
  });

  it('makes the same span for undici.request() and marks a 404 as an error', async () => {
    await underParent(async () => {
      const { body } = await undiciRequest(`${base}/missing`);
      await body.dump();
    });
    const [span] = named('GET');
    expect(span!.attributes).toMatchObject({ 'http.response.status_code': 404, 'error.type': '404' });
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('leaves a request that already carries a traceparent alone', async () => {
    const own = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    let seen: string | null = null;
    await underParent(async () => {
      const response = await fetch(`${base}/echo`, { headers: { traceparent: own } });
      seen = ((await response.json()) as { traceparent: string | null }).traceparent;
    });
    expect(seen).toBe(own);
    expect(named('GET')).toEqual([]);
  });

  it('records a connection failure on the span', async () => {
    const closedPort = await freePort();
    await underParent(() => fetch(`http://127.0.0.1:${closedPort}/`).catch(() => undefined));
    const [span] = named('GET');
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.attributes['error.type']).toBe('ECONNREFUSED');
  });
});
