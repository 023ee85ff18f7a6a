import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { ConstantBackoff } from '../../src/policies/index.ts';
import { useFixtures } from './fixtures.ts';
import { installTraceRecorder } from './trace-recorder.ts';

const { server, client } = useFixtures();
const { spans, tracer } = installTraceRecorder();

describe('trace propagation', () => {
  it('sends traceparent of a client span per attempt, child of the caller span', async () => {
    const [bad, good] = [await server(), await server()];
    bad.fault({ kind: 'status', status: 503 });
    const c = client({
      service: 'payment',
      endpoints: [bad.url, good.url],
      loadBalancer: 'round_robin',
      backoff: new ConstantBackoff(0),
    });
    await c.ready();
    const parent = tracer.startSpan('handler');
    const res = await context.with(trace.setSpan(context.active(), parent), () =>
      c.request({ path: '/pay' }),
    );
    expect(res.attempts).toBe(2);

    const attempts = spans.filter((s) => s.kind === SpanKind.CLIENT);
    expect(attempts).toHaveLength(2);
    const { traceId, spanId } = parent.spanContext();
    expect(attempts.every((s) => s.context.traceId === traceId && s.parentSpanId === spanId && s.ended)).toBe(
      true,
    );
    expect(attempts[0]!.attributes).toMatchObject({
      'http.request.method': 'GET',
      'http.response.status_code': 503,
      'peer.service': 'payment',
    });
    expect(attempts[0]!.attributes['http.request.resend_count']).toBeUndefined();
    expect(attempts[0]!.status.code).toBe(SpanStatusCode.ERROR);
    expect(attempts[1]!.attributes).toMatchObject({
      'http.request.resend_count': 1,
      'http.response.status_code': 200,
    });

    expect(bad.requests[0]!.headers.traceparent).toBe(`00-${traceId}-${attempts[0]!.context.spanId}-01`);
    expect(good.requests[0]!.headers.traceparent).toBe(`00-${traceId}-${attempts[1]!.context.spanId}-01`);
  });

  it('records a transport failure on the attempt span', async () => {
    const s = await server();
    await s.stop();
    const c = client({ service: 'payment', endpoints: s.url, maxAttempts: 1 });
    await c.request({ path: '/' }).catch(() => undefined);
    const last = spans.at(-1)!;
    expect(last.attributes['error.type']).toBe('ECONNREFUSED');
    expect(last.status.code).toBe(SpanStatusCode.ERROR);
  });
});
