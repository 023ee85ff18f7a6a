import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { startTracing, type Tracing } from '@shipshape/observability/tracing';
import { useRedisServer } from '@shipshape/test-harness/vitest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { keys } from './storage/keys.ts';
import type { PaymentJob } from './storage/payment-job.ts';
import { send, useApp } from './testing/start-app.test-helper.ts';
import { useUserUpstream } from './testing/user-upstream.test-helper.ts';

// One trace from the request through the user lookup into the payment job: the payment's spans
// (H2's worker) continue the trace stored in the outbox.

const redis = useRedisServer();
const startApp = useApp(() => redis.url);
const startUpstream = useUserUpstream();
const exporter = new InMemorySpanExporter();
let tracing: Tracing;

beforeAll(async () => {
  tracing = await startTracing({
    serviceName: 'order-trace-test',
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
});
afterAll(async () => {
  await tracing.shutdown();
});

const traceIdOf = (traceparent: unknown): string | undefined =>
  typeof traceparent === 'string' ? traceparent.split('-')[1] : undefined;

it('stores the request trace context in the payment job and sends it to the user service', async () => {
  const upstream = await startUpstream();
  upstream.known.add('user-1');
  const { url, redis: client } = await startApp({ values: { userServiceUrl: upstream.url } });
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  // Sent untraced, so the test's own fetch span does not replace the caller's traceparent.
  const answer = await context.with(suppressTracing(context.active()), () =>
    send(`${url}/orders`, {
      body: { userId: 'user-1', items: [{ sku: 'SKU-1', quantity: 1, unitPriceCents: 100 }] },
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    }),
  );
  expect(answer.status).toBe(202);
  const [[, fields] = ['', []]] = await client.xrange(keys.outbox, '-', '+');
  const job = JSON.parse(fields[fields.indexOf('payload') + 1]!) as PaymentJob;
  expect(job.traceContext?.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  const jobTraceId = traceIdOf(job.traceContext?.traceparent);
  expect(jobTraceId).toBe(traceId);
  expect(traceIdOf(upstream.headers[0]?.traceparent)).toBe(jobTraceId);
  await tracing.forceFlush();
  const server = exporter.getFinishedSpans().find((span) => span.name === 'POST /orders');
  expect(server?.spanContext().traceId).toBe(jobTraceId);
  // The job's parent is a span of this trace (the server span or a child), never a fresh root.
  expect(job.traceContext?.traceparent).not.toContain('00f067aa0ba902b7');
});
