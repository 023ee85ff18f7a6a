import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, SpanKind } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import type express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tracing } from '../../src/tracing/index.ts';
import { startTracing } from '../../src/tracing/index.ts';

// express is loaded with require() AFTER startTracing: vitest imports test dependencies through
// its own loader, which the register entry's ESM hook never sees, while require() goes through
// require-in-the-middle like any CommonJS application.
const require = createRequire(import.meta.url);

/** The test plays an untraced outside client, so its own fetch() must not start the trace. */
const untracedFetch = (url: string, init?: RequestInit): Promise<Response> =>
  context.with(suppressTracing(context.active()), () => fetch(url, init));

describe('two real HTTP servers', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let serverA: Server;
  let serverB: Server;

  const listen = (app: ReturnType<typeof express>): Promise<Server> =>
    new Promise((resolve) => {
      const server = app.listen(0, '127.0.0.1', () => resolve(server));
    });
  const urlOf = (server: Server): string => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  beforeAll(async () => {
    tracing = await startTracing({
      serviceName: 'two-servers',
      spanProcessors: [new SimpleSpanProcessor({ exporter })],
    });
    const createApp = require('express') as typeof express;
    const b = createApp();
    b.get('/users/:id', (req, res) => {
      res.json({ id: req.params.id });
    });
    serverB = await listen(b);
    const a = createApp();
    a.get('/orders/:id', async (_req, res) => {
      const user = await fetch(`${urlOf(serverB)}/users/7`);
      res.json({ user: await user.json() });
    });
    serverA = await listen(a);
  });

  afterAll(async () => {
    serverA.close();
    serverB.close();
    await tracing.shutdown();
  });

  const serverSpan = (spans: ReadableSpan[], route: string): ReadableSpan => {
    const span = spans.find((s) => s.kind === SpanKind.SERVER && s.attributes['http.route'] === route);
    expect(span, `server span for ${route}`).toBeDefined();
    return span!;
  };

  it('produce one trace whose parent links run A server -> fetch client -> B server', async () => {
    exporter.reset();
    const response = await untracedFetch(`${urlOf(serverA)}/orders/1`);
    expect(response.status).toBe(200);
    await tracing.forceFlush();
    const spans = exporter.getFinishedSpans();

    const a = serverSpan(spans, '/orders/:id');
    const b = serverSpan(spans, '/users/:id');
    const client = spans.find((s) => s.kind === SpanKind.CLIENT && s.attributes['url.full'] !== undefined);
    expect(client, 'fetch client span').toBeDefined();

    expect(new Set(spans.map((s) => s.spanContext().traceId)).size).toBe(1);
    expect(a.parentSpanContext).toBeUndefined();
    expect(b.parentSpanContext?.spanId).toBe(client!.spanContext().spanId);
    // The client span hangs below A's server span, possibly through express handler spans.
    const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
    let ancestor = client!.parentSpanContext?.spanId;
    const chain: string[] = [];
    while (ancestor !== undefined && ancestor !== a.spanContext().spanId) {
      chain.push(ancestor);
      ancestor = byId.get(ancestor)?.parentSpanContext?.spanId;
      expect(chain.length).toBeLessThan(10);
    }
    expect(ancestor).toBe(a.spanContext().spanId);
  });

  it('continues the trace of an incoming traceparent header', async () => {
    exporter.reset();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const parentId = '00f067aa0ba902b7';
    await untracedFetch(`${urlOf(serverB)}/users/3`, {
      headers: { traceparent: `00-${traceId}-${parentId}-01` },
    });
    await tracing.forceFlush();
    const b = serverSpan(exporter.getFinishedSpans(), '/users/:id');
    expect(b.spanContext().traceId).toBe(traceId);
    expect(b.parentSpanContext?.spanId).toBe(parentId);
  });

  it('records the service name on the resource', async () => {
    exporter.reset();
    await untracedFetch(`${urlOf(serverB)}/users/5`);
    await tracing.forceFlush();
    const b = serverSpan(exporter.getFinishedSpans(), '/users/:id');
    expect(b.resource.attributes['service.name']).toBe('two-servers');
    expect(typeof b.resource.attributes['service.instance.id']).toBe('string');
  });
});
