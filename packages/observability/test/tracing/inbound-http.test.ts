import { request } from 'node:http';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import type express from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Tracing } from '../../src/tracing/index.ts';
import { startTracing } from '../../src/tracing/index.ts';
import { waitFor } from '@shipshape/test-harness';

const require = createRequire(import.meta.url);

/** What a handler saw as its active span, keyed by the request's `x-probe` header. */
const seen = new Map<string, string | undefined>();

/** POSTs `body` with the headers first and the body `delayMs` later, as a separate packet. */
function postInTwoParts(url: string, body: string, delayMs: number): Promise<number | undefined> {
  return context.with(suppressTracing(context.active()), () => {
    return new Promise<number | undefined>((resolve) => {
      const req = request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      });
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      });
      req.on('error', () => resolve(undefined));
      req.flushHeaders();
      setTimeout(() => req.end(body), delayMs);
    });
  });
}

describe('the inbound HTTP server span', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    tracing = await startTracing({
      serviceName: 'inbound',
      spanProcessors: [new SimpleSpanProcessor({ exporter })],
    });
    const createApp = require('express') as typeof express;
    const app = createApp();
    app.post('/orders', createApp.json(), (req, res) => {
      seen.set('post', trace.getActiveSpan()?.spanContext().spanId);
      res.status(201).json({ received: req.body as unknown });
    });
    app.post('/upload', (req, res) => {
      // Reads the body by hand: no body parser restores the context for these listeners.
      let bytes = 0;
      req.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      req.on('end', () => {
        seen.set('upload', trace.getActiveSpan()?.spanContext().spanId);
        res.status(201).json({ bytes });
      });
    });
    app.get('/read-empty', (req, res) => {
      // A request without a body is not bound: its 'end' still comes in its context.
      req.on('end', () => {
        setTimeout(() => {
          seen.set('read-empty', trace.getActiveSpan()?.spanContext().spanId);
          res.send('ok');
        }, 5);
      });
      req.resume();
    });
    app.get('/health', (_req, res) => {
      seen.set('health', trace.getActiveSpan()?.spanContext().spanId);
      res.send('ok');
    });
    app.get('/finish-listener', (_req, res) => {
      res.on('finish', () => seen.set('finish', trace.getActiveSpan()?.spanContext().spanId));
      res.on('close', () => seen.set('close', trace.getActiveSpan()?.spanContext().spanId));
      setTimeout(() => res.send('ok'), 5);
    });
    app.get('/broken', (_req, res) => {
      res.status(503).end();
    });
    const users = createApp.Router();
    users.post('/:id/fail', () => {
      throw new Error('boom');
    });
    app.use('/users', users);
    app.use((_err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(500).end();
    });
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    server.close();
    await tracing.shutdown();
  });

  beforeEach(() => {
    exporter.reset();
    seen.clear();
  });

  const serverSpans = async (): Promise<ReadableSpan[]> => {
    await tracing.forceFlush();
    return exporter.getFinishedSpans().filter((span) => span.kind === SpanKind.SERVER);
  };

  it('keeps the server span active in a handler behind express.json() when the body arrives later', async () => {
    expect(await postInTwoParts(`${base}/orders`, '{"item":"book"}', 60)).toBe(201);
    const [span] = await serverSpans();
    expect(span?.name).toBe('POST /orders');
    expect(seen.get('post')).toBe(span!.spanContext().spanId);
  });

  it('runs listeners added to the request in its context when the body arrives later', async () => {
    expect(await postInTwoParts(`${base}/upload`, 'x'.repeat(64), 60)).toBe(201);
    const [span] = await serverSpans();
    expect(span?.name).toBe('POST /upload');
    expect(seen.get('upload')).toBe(span!.spanContext().spanId);
  });

  it('runs the end listener of a request without a body in its context', async () => {
    await context.with(suppressTracing(context.active()), () => fetch(`${base}/read-empty`));
    const [span] = await serverSpans();
    expect(span?.name).toBe('GET /read-empty');
    expect(seen.get('read-empty')).toBe(span!.spanContext().spanId);
  });

  it('names the span after the route template and records method, path and status', async () => {
    const res = await context.with(suppressTracing(context.active()), () =>
      fetch(`${base}/orders?token=x`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      }),
    );
    expect(res.status).toBe(201);
    const [span] = await serverSpans();
    expect(span?.name).toBe('POST /orders');
    expect(span?.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/orders',
      'url.path': '/orders',
      'url.scheme': 'http',
      'server.port': Number(new URL(base).port),
      'client.address': '127.0.0.1',
      'network.protocol.version': '1.1',
      'http.response.status_code': 201,
    });
    expect(span?.attributes['user_agent.original']).toEqual(expect.any(String));
    expect(span?.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('keeps the mount path in the route when an error leaves the sub-router', async () => {
    await context.with(suppressTracing(context.active()), () =>
      fetch(`${base}/users/7/fail`, { method: 'POST' }),
    );
    const [span] = await serverSpans();
    expect(span?.name).toBe('POST /users/:id/fail');
    expect(span?.attributes['http.response.status_code']).toBe(500);
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('runs the response finish and close listeners in the request context', async () => {
    await context.with(suppressTracing(context.active()), () => fetch(`${base}/finish-listener`));
    await waitFor('the close listener', () => seen.has('close'));
    const [span] = await serverSpans();
    expect(seen.get('finish')).toBe(span!.spanContext().spanId);
    expect(seen.get('close')).toBe(span!.spanContext().spanId);
  });

  it('marks a 5xx answer as an error', async () => {
    await context.with(suppressTracing(context.active()), () => fetch(`${base}/broken`));
    const [span] = await serverSpans();
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.attributes['error.type']).toBe('503');
  });

  it('creates no span for an ignored probe path and runs its handler untraced', async () => {
    await context.with(suppressTracing(context.active()), () => fetch(`${base}/health`));
    expect(await serverSpans()).toEqual([]);
    expect(seen.has('health')).toBe(true);
    expect(seen.get('health')).toBeUndefined();
  });
});
