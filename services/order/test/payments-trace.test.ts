import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { startTracing, type Tracing } from '@shipshape/observability/tracing';
import { useRedisServer } from '@shipshape/test-harness/vitest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { usePipeline } from './payments-harness.ts';

// One trace from the order request through the queue into the payment service: the relay's
// PRODUCER span and the worker's CONSUMER span continue the trace stored with the order, and
// the outbound POST /payments carries it.

const redis = useRedisServer();
const startPipeline = usePipeline(() => redis.url);
const exporter = new InMemorySpanExporter();
let tracing: Tracing;

beforeAll(async () => {
  tracing = await startTracing({
    serviceName: 'order-payments-trace-test',
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
    instrumentations: [],
  });
});
afterAll(async () => {
  await tracing.shutdown();
});

/** A payment service stand-in on 127.0.0.1 that records request headers and captures every charge. */
async function recordingPaymentService() {
  const headers: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    headers.push(req.headers);
    req.resume().on('end', () => {
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'pay-1', status: 'captured' }));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, headers, close: () => server.close() };
}

const parentOf = (span: ReadableSpan | undefined): string | undefined => span?.parentSpanContext?.spanId;

it('runs the charge in a CONSUMER span of the order trace, and POST /payments carries that trace', async () => {
  const payment = await recordingPaymentService();
  try {
    const p = await startPipeline(payment.url);
    // The request span of POST /orders, as the HTTP layer would have it when it stores the order.
    const request = trace.getTracer('test').startSpan('POST /orders', { kind: SpanKind.SERVER });
    const traceContext: Record<string, string> = {};
    propagation.inject(trace.setSpan(context.active(), request), traceContext);
    const { order } = await p.repository.createOrder({
      userId: 'user-1',
      items: [{ sku: 'SKU-1', quantity: 1, unitPriceCents: 100 }],
      traceContext,
    });
    request.end();
    expect(await p.waitForStatus(order.id)).toBe('paid');
    await tracing.forceFlush();

    const { traceId, spanId } = request.spanContext();
    const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    const publish = spans.find((s) => s.name === 'publish payments');
    const process = spans.find((s) => s.name === 'process payments');
    const post = spans.find((s) => s.kind === SpanKind.CLIENT);
    expect(publish?.kind).toBe(SpanKind.PRODUCER);
    expect(parentOf(publish)).toBe(spanId);
    expect(process?.kind).toBe(SpanKind.CONSUMER);
    expect(parentOf(process)).toBe(publish?.spanContext().spanId);
    expect(process?.attributes).toMatchObject({
      'messaging.destination.name': 'payments',
      'order.id': order.id,
    });
    expect(parentOf(post)).toBe(process?.spanContext().spanId);
    expect(payment.headers[0]?.traceparent).toBe(`00-${traceId}-${post?.spanContext().spanId}-01`);
  } finally {
    payment.close();
  }
});
