// The server span, the metrics middleware and the access log share ONE `close` listener per
// response (src/route/request-record.ts). Checked over real HTTP with tracing on: a finished
// and an aborted request each end the span, record the histogram and write one access line.
import { request } from 'node:http';
import type { Server, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { waitFor } from '@shipshape/test-harness';
import type express from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { accessLog, createLogger, requestId } from '../../src/logging/index.ts';
import { parseExposition, samplesOf } from '@shipshape/test-harness/exposition';
import { MetricsRegistry, httpServerMetrics } from '../../src/metrics/index.ts';
import type { Tracing } from '../../src/tracing/index.ts';
import { startTracing } from '../../src/tracing/index.ts';
import type { CapturedLines } from '../logging/capture.ts';
import { captureLines } from '../logging/capture.ts';

const require = createRequire(import.meta.url);

describe('one end hook shared by the server span, the metrics and the access log', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let server: Server;
  let base: string;
  let out: CapturedLines;
  let metrics: MetricsRegistry;
  let closeListeners: string[][] = [];
  let reachedSlow: () => void = () => undefined;

  beforeAll(async () => {
    tracing = await startTracing({
      serviceName: 'end-hook',
      spanProcessors: [new SimpleSpanProcessor({ exporter })],
    });
    const createApp = require('express') as typeof express;
    out = captureLines();
    metrics = new MetricsRegistry({ service: 'end-hook', defaultMetrics: false });
    const app = createApp();
    app.use(requestId());
    app.use(httpServerMetrics(metrics, { exemplarIntervalMs: 0 }));
    app.use(accessLog({ logger: createLogger({ service: 'end-hook', destination: out }) }));
    const listenerNames = (res: ServerResponse): string[] => res.listeners('close').map((fn) => fn.name);
    app.get('/items/:id', (_req, res) => {
      closeListeners.push(listenerNames(res));
      res.json({ ok: true });
    });
    app.get('/slow/:id', (_req, res) => {
      closeListeners.push(listenerNames(res));
      reachedSlow(); // never answers: the client goes away first
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
    out.raw.length = 0;
    exporter.reset();
    closeListeners = [];
  });

  const accessLines = (): Record<string, unknown>[] =>
    out.parsed().filter((line) => line['msg'] === 'request');
  const serverSpans = () => exporter.getFinishedSpans().filter((span) => span.kind === SpanKind.SERVER);
  const durationCount = async (labels: Record<string, string>): Promise<number> => {
    const exposition = parseExposition(await metrics.render('openmetrics'));
    const [count] = samplesOf(exposition, 'http_server_request_duration_seconds_count', labels);
    return count?.value ?? 0;
  };

  it('adds one close listener per response, whatever the number of parties', async () => {
    await fetch(`${base}/items/1`);
    await waitFor('access line', () => accessLines().length === 1, { timeoutMs: 5_000 });
    expect(closeListeners).toHaveLength(1);
    expect(closeListeners[0]!.filter((name) => name === 'runResponseEnd')).toHaveLength(1);
  });

  it('ends the span, records the histogram with the trace exemplar and writes the line', async () => {
    const before = await durationCount({ route: '/items/:id', status_code: '200' });
    const response = await fetch(`${base}/items/2`);
    await waitFor('server span', () => serverSpans().length === 1, { timeoutMs: 5_000 });
    await waitFor('access line', () => accessLines().length === 1, { timeoutMs: 5_000 });
    const span = serverSpans()[0]!;
    const traceId = span.spanContext().traceId;
    expect(span.name).toBe('GET /items/:id');
    expect(span.attributes['request.id']).toBe(response.headers.get('x-request-id'));
    expect(accessLines()[0]).toMatchObject({
      route: '/items/:id',
      path: '/items/2',
      status: 200,
      request_id: response.headers.get('x-request-id'),
      trace_id: traceId,
      span_id: span.spanContext().spanId,
      trace_flags: '01',
    });
    expect(await durationCount({ route: '/items/:id', status_code: '200' })).toBe(before + 1);
    const exposition = parseExposition(await metrics.render('openmetrics'));
    const exemplars = samplesOf(exposition, 'http_server_request_duration_seconds_bucket', {
      route: '/items/:id',
    }).flatMap((sample) => (sample.exemplar ? [sample.exemplar.labels['trace_id']] : []));
    expect(exemplars).toContain(traceId);
  });

  it('still ends the span, records 499 and writes one aborted line when the client goes away', async () => {
    const reached = new Promise<void>((resolve) => {
      reachedSlow = resolve;
    });
    const client = request(`${base}/slow/3`);
    client.on('error', () => undefined);
    client.end();
    await reached;
    client.destroy();
    await waitFor('server span', () => serverSpans().length === 1, { timeoutMs: 5_000 });
    await waitFor('access line', () => accessLines().length === 1, { timeoutMs: 5_000 });
    expect(serverSpans()[0]!.attributes).toMatchObject({
      'error.type': 'aborted',
      'http.route': '/slow/:id',
    });
    expect(accessLines()[0]).toMatchObject({
      route: '/slow/:id',
      aborted: true,
      level: 'warn',
      trace_id: serverSpans()[0]!.spanContext().traceId,
    });
    expect(await durationCount({ route: '/slow/:id', status_code: '499' })).toBe(1);
    // Kept real: a quiet period is the claim (no second access line comes later).
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(accessLines()).toHaveLength(1);
  });
});
