import { randomBytes } from 'node:crypto';
import { startOtlpReceiver, waitFor, type OtlpReceiver, type ReceivedSpan } from '@shipshape/test-harness';
import { useRedisServer } from '@shipshape/test-harness/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../src/index.ts';
import { createUser, postOrder, waitForStatuses } from './support/flow-client.ts';
import { fastFlowEnv, fastOrderEnv } from './support/flow-env.ts';

const server = 2;
const producer = 4;
const consumer = 5;

// The three real services with tracing on, exporting to an OTLP receiver in this test: one order
// is paid and its whole journey is one connected trace.
describe('create user → order → paid, as one trace', () => {
  const redis = useRedisServer();
  let otlp: OtlpReceiver;
  let stack: Stack;

  beforeAll(async () => {
    otlp = await startOtlpReceiver();
    stack = await startStack({
      redisUrl: redis.url,
      telemetry: true,
      env: {
        ...fastFlowEnv,
        OTEL_EXPORTER_OTLP_ENDPOINT: otlp.endpoint,
        OTEL_BSP_SCHEDULE_DELAY: '200',
        OTEL_TRACES_SAMPLER: 'parentbased_always_on',
      },
      serviceEnv: { order: fastOrderEnv },
    });
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
    await otlp?.close();
  }, 60_000);

  it('pays the order and links user, order and payment spans in one trace', { timeout: 60_000 }, async () => {
    // The test is the client: its own (unexported) root span is the parent of both requests.
    const traceId = randomBytes(16).toString('hex');
    const clientSpanId = randomBytes(8).toString('hex');
    const traceparent = `00-${traceId}-${clientSpanId}-01`;

    const userId = await createUser(stack, { traceparent });
    const answer = await postOrder(stack.url('order'), userId, { headers: { traceparent } });
    expect(answer.status).toBe(202);
    const orderId = answer.order?.id ?? '';
    const statuses = await waitForStatuses(stack, [orderId], ['paid'], 30_000);
    expect(statuses.get(orderId)).toBe('paid');

    // Wait for the last hop's server spans, in whatever trace they landed, so that a broken link
    // fails below with the span that left the trace rather than with a timeout.
    const serverSpan = (service: string, path: string): ReceivedSpan | undefined =>
      otlp.spans().find((s) => s.service === service && s.kind === server && s.name.includes(path));
    await waitFor(
      'the payment and user server spans to be exported',
      () => serverSpan('payment', '/payments') !== undefined && serverSpan('user', '/users/') !== undefined,
      { timeoutMs: 20_000 },
    );
    // The batch processors export a moment after each span ends; give the last ones a beat.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    for (const [service, path] of [
      ['payment', '/payments'],
      ['user', '/users/'],
    ] as const) {
      const span = serverSpan(service, path);
      expect({ service, name: span?.name, inTrace: span?.traceId === traceId }).toEqual({
        service,
        name: span?.name,
        inTrace: true,
      });
    }
    const inTrace = (): ReceivedSpan[] => otlp.spans().filter((s) => s.traceId === traceId);
    const paymentServer = (): ReceivedSpan | undefined =>
      inTrace().find((s) => s.service === 'payment' && s.kind === server && s.name.includes('/payments'));
    const spans = inTrace();
    const byId = new Map(spans.map((s) => [s.spanId, s]));

    expect(new Set(spans.map((s) => s.service))).toEqual(new Set(['user', 'order', 'payment']));
    // Connected: every span's parent is another span of the trace, or the test's client span.
    const dangling = spans.filter((s) => s.parentSpanId !== clientSpanId && !byId.has(s.parentSpanId));
    expect(dangling.map((s) => `${s.service} ${s.name}`)).toEqual([]);

    // The chain from the payment service's server span up to the test: payment SERVER ← order
    // CLIENT ← order CONSUMER ← order PRODUCER ← order SERVER POST /orders ← the test.
    const chain: ReceivedSpan[] = [];
    for (let span = paymentServer(); span; span = byId.get(span.parentSpanId)) chain.push(span);
    const steps = chain.map((s) => `${s.service}:${s.kind}`);
    expect(steps[0]).toBe(`payment:${server}`);
    expect(steps).toContain(`order:${consumer}`);
    expect(steps).toContain(`order:${producer}`);
    const root = chain.at(-1);
    expect(root).toMatchObject({ service: 'order', kind: server, parentSpanId: clientSpanId });
    expect(root?.name).toContain('/orders');
    // The order's call to the user service is in the same trace, under POST /orders.
    const userServer = spans.find(
      (s) => s.service === 'user' && s.kind === server && s.name.includes('/users/'),
    );
    expect(userServer).toBeDefined();
    let up = userServer;
    while (up && up.parentSpanId !== clientSpanId) up = byId.get(up.parentSpanId);
    expect(up?.spanId).toBe(root?.spanId);
  });
});
