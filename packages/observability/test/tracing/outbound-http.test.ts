import { Agent, get } from 'node:http';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import type express from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Tracing } from '../../src/tracing/index.ts';
import { startTracing } from '../../src/tracing/index.ts';

const require = createRequire(import.meta.url);

describe('outgoing node:http client spans', () => {
  const exporter = new InMemorySpanExporter();
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  let tracing: Tracing;
  let server: Server;
  let base: string;
  /** The span id a response callback saw as active, per call. */
  const seenInCallback: (string | undefined)[] = [];

  /** GET through the keep-alive agent, in the current context. */
  const call = (path: string): Promise<number | undefined> =>
    new Promise((resolve) => {
      get(`${base}${path}`, { agent }, (res) => {
        seenInCallback.push(trace.getActiveSpan()?.spanContext().spanId);
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      }).on('error', () => resolve(undefined));
    });

  beforeAll(async () => {
    tracing = await startTracing({
      serviceName: 'outbound',
      spanProcessors: [new SimpleSpanProcessor({ exporter })],
    });
    const createApp = require('express') as typeof express;
    const app = createApp();
    app.get('/echo', (req, res) => {
      res.json({ traceparent: req.headers.traceparent ?? null });
    });
    app.get('/missing', (_req, res) => {
      res.status(404).end();
    });
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    agent.destroy();
    server.closeAllConnections();
    server.close();
    await tracing.shutdown();
  });

  beforeEach(() => {
    exporter.reset();
    seenInCallback.length = 0;
  });

  it('makes a client span below the caller and injects traceparent so the server span is its child', async () => {
    const caller = trace.getTracer('test').startSpan('caller');
    const status = await context.with(trace.setSpan(context.active(), caller), () => call('/echo'));
    caller.end();
    expect(status).toBe(200);
    await tracing.forceFlush();
    const spans = exporter.getFinishedSpans();
    const client = spans.find((s) => s.kind === SpanKind.CLIENT);
    const serverSpan = spans.find((s) => s.kind === SpanKind.SERVER);
    expect(client?.parentSpanContext?.spanId).toBe(caller.spanContext().spanId);
    expect(client?.attributes).toMatchObject({
      'http.request.method': 'GET',
      'http.response.status_code': 200,
      'url.full': `${base}/echo`,
    });
    expect(serverSpan?.parentSpanContext?.spanId).toBe(client?.spanContext().spanId);
    expect(serverSpan?.spanContext().traceId).toBe(caller.spanContext().traceId);
  });

  it('runs the response callback in the caller context on a reused keep-alive socket', async () => {
    const first = trace.getTracer('test').startSpan('first');
    await context.with(trace.setSpan(context.active(), first), () => call('/echo'));
    const second = trace.getTracer('test').startSpan('second');
    await context.with(trace.setSpan(context.active(), second), () => call('/echo'));
    first.end();
    second.end();
    expect(seenInCallback).toEqual([first.spanContext().spanId, second.spanContext().spanId]);
  });

  it('marks a 4xx answer as an error and makes no span while tracing is suppressed', async () => {
    await call('/missing');
    await context.with(suppressTracing(context.active()), () => call('/echo'));
    await tracing.forceFlush();
    const clients = exporter.getFinishedSpans().filter((s) => s.kind === SpanKind.CLIENT);
    expect(clients).toHaveLength(1);
    expect(clients[0]?.status.code).toBe(SpanStatusCode.ERROR);
    expect(clients[0]?.attributes['http.response.status_code']).toBe(404);
  });
});
