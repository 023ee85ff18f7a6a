import { context, SpanKind, trace } from '@opentelemetry/api';
import { waitFor } from '@shipshape/test-harness';
import { describe, expect, it } from 'vitest';
import type { ClientHedgeSkippedEvent } from '../../src/http/index.ts';
import { counts, useFixtures } from './fixtures.ts';
import { installTraceRecorder } from './trace-recorder.ts';

const { server, client } = useFixtures();
const { spans, tracer } = installTraceRecorder();

describe('hedged requests', () => {
  it('sends a copy to another endpoint when the first is slow, takes its answer and cancels the slow one', async () => {
    const [slow, fast] = [await server(), await server()];
    slow.fault({ kind: 'ok', delayMs: 2_000 });
    const c = client({
      service: 'payment',
      endpoints: [slow.url, fast.url],
      loadBalancer: 'round_robin',
      hedging: { delayMs: 20 },
    });
    const events: string[] = [];
    c.policies().hedging.onHedge((e) => events.push(`hedge ${e.hedge}`));
    c.policies().hedging.onHedgeWon((e) => events.push(`won ${e.hedge}`));
    const response = await c.request({ path: '/payments/p_1' });
    expect(response).toMatchObject({ status: 200, endpoint: fast.key, attempts: 2 });
    expect(events).toEqual(['hedge 1', 'won 1']);
    // The loser's cancellation reaches the server a moment after the answer.
    await waitFor('the slow attempt to be cancelled', () => slow.requests[0]?.aborted === true);
  });

  it('hedges a POST that carries an Idempotency-Key, never one without', async () => {
    const [slow, fast] = [await server(), await server()];
    slow.fault({ kind: 'ok', delayMs: 300 });
    const c = client({
      service: 'payment',
      endpoints: [slow.url, fast.url],
      loadBalancer: 'round_robin',
      hedging: { delayMs: 20 },
    });
    const keyed = await c.request({ method: 'POST', path: '/payments', body: {}, idempotencyKey: 'o_1' });
    expect(keyed.endpoint).toBe(fast.key);
    expect(fast.requests[0]!.headers['idempotency-key']).toBe('o_1');
    await c.request({ path: '/warm-up' }); // round robin: the next call starts on the slow one again
    const plain = await c.request({ method: 'POST', path: '/payments', body: {} });
    expect(plain.endpoint).toBe(slow.key);
    expect(plain.attempts).toBe(1);
  });

  it('sends no hedge when hedging is off (the default) or the call turns it off', async () => {
    const [slow, fast] = [await server(), await server()];
    slow.fault({ kind: 'ok', delayMs: 100 });
    const off = client({ service: 'payment', endpoints: [slow.url, fast.url], loadBalancer: 'round_robin' });
    expect((await off.request({ path: '/' })).endpoint).toBe(slow.key);
    const on = client({
      service: 'payment',
      endpoints: [slow.url, fast.url],
      loadBalancer: 'round_robin',
      hedging: { delayMs: 10 },
    });
    expect((await on.request({ path: '/', hedging: false })).endpoint).toBe(slow.key);
    expect(counts(slow, fast)).toEqual([2, 0]);
  });

  it('never hedges to the endpoint it backs up', async () => {
    const only = await server();
    only.fault({ kind: 'ok', delayMs: 100 });
    const c = client({ service: 'payment', endpoints: only.url, hedging: { delayMs: 10 } });
    const skipped: ClientHedgeSkippedEvent[] = [];
    c.policies().hedging.onHedgeSkipped((e) => skipped.push(e));
    expect((await c.request({ path: '/' })).attempts).toBe(1);
    expect(skipped).toEqual([{ name: 'payment', reason: 'no_endpoint' }]);
    expect(counts(only)).toEqual([1]);
  });

  it('stops hedging when the budget is spent, so a slow upstream never gets twice the load', async () => {
    const [a, b] = [await server(), await server()];
    a.fault({ kind: 'ok', delayMs: 60 });
    b.fault({ kind: 'ok', delayMs: 60 });
    const c = client({
      service: 'payment',
      endpoints: [a.url, b.url],
      hedging: { delayMs: 5, budget: { ratio: 0.1, minRetriesPerSecond: 0 } },
    });
    const skipped: string[] = [];
    c.policies().hedging.onHedgeSkipped((e) => skipped.push(e.reason));
    await Promise.all(Array.from({ length: 40 }, (_, i) => c.request({ path: `/${i}` })));
    const total = a.requests.length + b.requests.length;
    expect(total).toBeLessThanOrEqual(40 + 4);
    expect(skipped.filter((r) => r === 'budget').length).toBeGreaterThanOrEqual(36);
  });

  it('shows every attempt in a span, and which one won', async () => {
    const [slow, fast] = [await server(), await server()];
    slow.fault({ kind: 'ok', delayMs: 1_000 });
    const c = client({
      service: 'payment',
      endpoints: [slow.url, fast.url],
      loadBalancer: 'round_robin',
      hedging: { delayMs: 20 },
    });
    await c.ready();
    const parent = tracer.startSpan('job');
    await context.with(trace.setSpan(context.active(), parent), () => c.request({ path: '/payments/p_1' }));
    const { traceId } = parent.spanContext();
    const ofCall = () => spans.filter((s) => s.kind === SpanKind.CLIENT && s.context.traceId === traceId);
    await waitFor('both attempt spans to end', () => ofCall().filter((s) => s.ended).length === 2);
    const attempts = ofCall();
    expect(attempts.map((s) => s.attributes['resilience.hedge.index'])).toEqual([0, 1]);
    const byOutcome = Object.fromEntries(
      attempts.map((s) => [String(s.attributes['resilience.hedge.outcome']), s.attributes['server.port']]),
    );
    expect(byOutcome).toEqual({ won: fast.port, lost: slow.port });
    const lost = attempts.find((s) => s.attributes['resilience.hedge.outcome'] === 'lost')!;
    expect(lost.attributes['error.type']).toBe('superseded');
  });
});
