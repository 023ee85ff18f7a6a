import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { context, trace } from '@opentelemetry/api';
import type { Attributes, Span } from '@opentelemetry/api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bridgeBreaker } from './bridge-breaker.ts';
import { bridgeBulkhead } from './bridge-bulkhead.ts';
import { bridgeRateLimiter } from './bridge-rate-limiter.ts';
import { bridgeRetry } from './bridge-retry.ts';
import { bridgeServiceClient } from './bridge-service-client.ts';
import { bridgeTimeout } from './bridge-timeout.ts';
import { parseExposition, samplesOf, valueOf } from '@shipshape/test-harness/exposition';
import type { Exposition } from '@shipshape/test-harness/exposition';
import {
  FakeBreaker,
  FakeBulkhead,
  FakeClient,
  FakeLimiter,
  FakeRetry,
  FakeTimeout,
  NarrowBreaker,
} from './fake-resilience.test-helper.ts';
import { MetricsRegistry } from './metrics-registry.ts';

/** A recording span, made active for the duration of `fn`. */
function withRecordingSpan(fn: () => void): { name: string; attributes: Attributes | undefined }[] {
  const events: { name: string; attributes: Attributes | undefined }[] = [];
  const span = trace.wrapSpanContext({ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 });
  const recording = Object.assign(Object.create(span) as Span, {
    addEvent(name: string, attributes?: Attributes) {
      events.push({ name, attributes });
      return recording;
    },
  });
  context.with(trace.setSpan(context.active(), recording), fn);
  return events;
}

describe('resilience bridge', () => {
  const contextManager = new AsyncLocalStorageContextManager();
  let metrics: MetricsRegistry;
  const scrape = async (): Promise<Exposition> => parseExposition(await metrics.render('prometheus'));

  beforeAll(() => void context.setGlobalContextManager(contextManager.enable()));
  afterAll(() => context.disable());
  beforeEach(() => {
    metrics = new MetricsRegistry({ service: 'order', defaultMetrics: false });
  });

  it('exposes the breaker state one-hot over all four states, read at scrape time', async () => {
    const breaker = new FakeBreaker('user');
    bridgeBreaker(breaker, metrics);
    breaker.state = 'half_open'; // a lazy transition: no event, visible through snapshot()
    const exp = await scrape();
    const states = samplesOf(exp, 'resilience_circuit_breaker_state', { name: 'user' });
    expect(Object.fromEntries(states.map((s) => [s.labels.state, s.value]))).toEqual({
      closed: 0,
      open: 0,
      half_open: 1,
      isolated: 0,
    });
  });

  it('counts transitions and calls by outcome after a sequence of events', async () => {
    const breaker = new FakeBreaker('user');
    bridgeBreaker(breaker, metrics);
    breaker.success.emit({ name: 'user', durationMs: 5, slow: false });
    breaker.success.emit({ name: 'user', durationMs: 900, slow: true });
    for (let i = 0; i < 3; i++) breaker.failure.emit({ name: 'user', durationMs: 5, slow: false });
    breaker.failure.emit({ name: 'user', durationMs: 1200, slow: true });
    breaker.moveTo('open');
    breaker.reject.emit({ name: 'user', state: 'open' });
    breaker.reject.emit({ name: 'user', state: 'open' });
    breaker.moveTo('half_open');
    breaker.moveTo('closed');
    const exp = await scrape();
    const calls = (outcome: string) =>
      valueOf(exp, 'resilience_circuit_breaker_calls_total', { name: 'user', outcome });
    expect([calls('success'), calls('slow'), calls('failure'), calls('rejected')]).toEqual([1, 1, 4, 2]);
    const transitions = samplesOf(exp, 'resilience_circuit_breaker_transitions_total');
    expect(transitions.map((s) => [s.labels.from, s.labels.to, s.value])).toEqual([
      ['closed', 'open', 1],
      ['open', 'half_open', 1],
      ['half_open', 'closed', 1],
    ]);
    expect(valueOf(exp, 'resilience_circuit_breaker_state', { name: 'user', state: 'closed' })).toBe(1);
  });

  it('starts every call outcome at zero', async () => {
    bridgeBreaker(new FakeBreaker('user'), metrics);
    const exp = await scrape();
    expect(samplesOf(exp, 'resilience_circuit_breaker_calls_total').map((s) => s.value)).toEqual([
      0, 0, 0, 0,
    ]);
  });

  it('adds a circuit_breaker.rejected event to the active span', () => {
    const breaker = new FakeBreaker('user');
    bridgeBreaker(breaker, metrics);
    const events = withRecordingSpan(() => breaker.reject.emit({ name: 'user', state: 'open' }));
    expect(events).toEqual([
      { name: 'circuit_breaker.rejected', attributes: { policy: 'user', state: 'open' } },
    ]);
  });

  it('removes subscriptions and state series when disposed', async () => {
    const breaker = new FakeBreaker('user');
    const bridge = bridgeBreaker(breaker, metrics);
    breaker.failure.emit({ name: 'user', durationMs: 5, slow: false });
    bridge.dispose();
    breaker.failure.emit({ name: 'user', durationMs: 5, slow: false });
    expect([
      breaker.failure.listenerCount,
      breaker.stateChange.listenerCount,
      breaker.reject.listenerCount,
    ]).toEqual([0, 0, 0]);
    const exp = await scrape();
    expect(samplesOf(exp, 'resilience_circuit_breaker_state')).toEqual([]);
    expect(valueOf(exp, 'resilience_circuit_breaker_calls_total', { outcome: 'failure' })).toBe(1);
  });

  it('counts retries by reason and budget exhaustion, with a retry span event', async () => {
    const retry = new FakeRetry();
    bridgeRetry(retry, metrics);
    const events = withRecordingSpan(() => {
      retry.retry.emit({ name: 'retry-user', attempt: 1, delayMs: 100, reason: 'http_503' });
      retry.retry.emit({ name: 'retry-user', attempt: 2, delayMs: 200, reason: 'http_503' });
      retry.retry.emit({ name: 'retry-user', attempt: 3, delayMs: 400, reason: 'ECONNREFUSED' });
      retry.budget.emit({ name: 'retry-user' });
      retry.giveUp.emit({ name: 'retry-user', attempts: 4, reason: 'ECONNREFUSED' });
    });
    const exp = await scrape();
    expect(valueOf(exp, 'resilience_retries_total', { reason: 'http_503' })).toBe(2);
    expect(valueOf(exp, 'resilience_retries_total', { reason: 'ECONNREFUSED' })).toBe(1);
    expect(valueOf(exp, 'resilience_retry_budget_exhausted_total', { name: 'retry-user' })).toBe(1);
    expect(events.map((e) => e.name)).toEqual(['retry', 'retry', 'retry', 'retry.give_up']);
    expect(events[1]!.attributes).toEqual({
      policy: 'retry-user',
      attempt: 2,
      delay_ms: 200,
      reason: 'http_503',
    });
  });

  it('counts timeouts', async () => {
    const timeout = new FakeTimeout();
    bridgeTimeout(timeout, metrics);
    expect(valueOf(await scrape(), 'resilience_timeouts_total', { name: 'timeout-user' })).toBe(0);
    timeout.timeout.emit({ name: 'timeout-user', timeoutMs: 250 });
    timeout.timeout.emit({ name: 'timeout-user', timeoutMs: 250 });
    expect(valueOf(await scrape(), 'resilience_timeouts_total', { name: 'timeout-user' })).toBe(2);
  });

  it('reads bulkhead occupancy at scrape time and counts rejections', async () => {
    const bulkhead = new FakeBulkhead();
    const bridge = bridgeBulkhead(bulkhead, metrics);
    bulkhead.inFlight = 10;
    bulkhead.queued = 3;
    bulkhead.reject.emit({ name: 'bulkhead-user' });
    let exp = await scrape();
    expect(valueOf(exp, 'resilience_bulkhead_in_flight', { name: 'bulkhead-user' })).toBe(10);
    expect(valueOf(exp, 'resilience_bulkhead_queued', { name: 'bulkhead-user' })).toBe(3);
    expect(valueOf(exp, 'resilience_bulkhead_rejected_total', { name: 'bulkhead-user' })).toBe(1);
    bulkhead.inFlight = 2;
    bulkhead.queued = 0;
    exp = await scrape();
    expect(valueOf(exp, 'resilience_bulkhead_in_flight', { name: 'bulkhead-user' })).toBe(2);
    expect(valueOf(exp, 'resilience_bulkhead_queued', { name: 'bulkhead-user' })).toBe(0);
    bridge.dispose();
    exp = await scrape();
    expect(samplesOf(exp, 'resilience_bulkhead_in_flight')).toEqual([]);
    expect(bulkhead.reject.listenerCount).toBe(0);
  });

  it('counts rate limit decisions and exposes degraded mode, with a rate_limited span event', async () => {
    const limiter = new FakeLimiter();
    bridgeRateLimiter(limiter, metrics);
    const events = withRecordingSpan(() => {
      for (let i = 0; i < 5; i++) limiter.decision.emit({ name: 'inbound', allowed: true });
      limiter.decision.emit({ name: 'inbound', allowed: false });
    });
    let exp = await scrape();
    expect(valueOf(exp, 'resilience_rate_limit_decisions_total', { decision: 'allowed' })).toBe(5);
    expect(valueOf(exp, 'resilience_rate_limit_decisions_total', { decision: 'rejected' })).toBe(1);
    expect(valueOf(exp, 'resilience_rate_limit_degraded', { name: 'inbound' })).toBe(0);
    expect(events).toEqual([{ name: 'rate_limited', attributes: { policy: 'inbound' } }]);
    limiter.degraded = true;
    exp = await scrape();
    expect(valueOf(exp, 'resilience_rate_limit_degraded', { name: 'inbound' })).toBe(1);
  });

  it('records service client attempts and bridges every policy inside the client', async () => {
    const client = new FakeClient();
    const bridge = bridgeServiceClient(client, metrics);
    const attempt = { service: 'user', method: 'GET', endpoint: 'http://10.0.0.1:3001', attempt: 1 };
    client.attempt.emit({ ...attempt, statusCode: 200, durationMs: 30 });
    client.attempt.emit({ ...attempt, statusCode: 503, durationMs: 7 });
    client.attempt.emit({ ...attempt, statusCode: 'error', durationMs: 2 });
    client.breakers[1]!.moveTo('open');
    client.retryPolicy.retry.emit({ name: 'retry-user', attempt: 1, delayMs: 50, reason: 'http_503' });
    client.bulkheadPolicy.inFlight = 4;
    const exp = await scrape();
    const count = (status_code: string) =>
      valueOf(exp, 'http_client_request_duration_seconds_count', {
        peer_service: 'user',
        method: 'GET',
        status_code,
      });
    expect([count('200'), count('503'), count('error')]).toEqual([1, 1, 1]);
    expect(
      valueOf(exp, 'http_client_request_duration_seconds_bucket', { status_code: '200', le: '0.025' }),
    ).toBe(0);
    expect(
      valueOf(exp, 'http_client_request_duration_seconds_bucket', { status_code: '200', le: '0.05' }),
    ).toBe(1);
    expect(valueOf(exp, 'resilience_circuit_breaker_state', { name: 'user-10.0.0.2', state: 'open' })).toBe(
      1,
    );
    expect(valueOf(exp, 'resilience_circuit_breaker_state', { name: 'user-10.0.0.1', state: 'closed' })).toBe(
      1,
    );
    expect(valueOf(exp, 'resilience_retries_total', { name: 'retry-user', reason: 'http_503' })).toBe(1);
    expect(valueOf(exp, 'resilience_bulkhead_in_flight', { name: 'bulkhead-user' })).toBe(4);

    bridge.dispose();
    expect(client.attempt.listenerCount).toBe(0);
    expect(client.breakers.map((b) => b.stateChange.listenerCount)).toEqual([0, 0]);
    expect(client.retryPolicy.retry.listenerCount).toBe(0);
    const after = await scrape();
    expect(samplesOf(after, 'resilience_circuit_breaker_state')).toEqual([]);
  });

  it('bridges breakers of endpoints added later and drops those of removed endpoints', async () => {
    const client = new FakeClient();
    const bridge = bridgeServiceClient(client, metrics);
    const [first, second] = client.breakers as [FakeBreaker, FakeBreaker];
    const third = new FakeBreaker('user-10.0.0.3');
    client.breakers = [second, third];
    client.endpointChange.emit({ service: 'user', endpoint: '10.0.0.3:3001', change: 'added' });
    third.moveTo('open');
    const exp = await scrape();
    const names = new Set(samplesOf(exp, 'resilience_circuit_breaker_state').map((s) => s.labels.name));
    expect([...names].sort()).toEqual(['user-10.0.0.2', 'user-10.0.0.3']);
    expect(valueOf(exp, 'resilience_circuit_breaker_transitions_total', { name: 'user-10.0.0.3' })).toBe(1);
    expect([
      first.stateChange.listenerCount,
      second.stateChange.listenerCount,
      third.stateChange.listenerCount,
    ]).toEqual([0, 1, 1]);
    bridge.dispose();
    expect([
      second.stateChange.listenerCount,
      third.stateChange.listenerCount,
      client.endpointChange.listenerCount,
    ]).toEqual([0, 0, 0]);
  });

  it('bridges a breaker typed with state events only', async () => {
    const breaker = new NarrowBreaker('user/10.0.0.1:3001');
    bridgeBreaker(breaker, metrics);
    breaker.state = 'open';
    breaker.stateChange.emit({ name: breaker.name, from: 'closed', to: 'open' });
    const exp = await scrape();
    expect(valueOf(exp, 'resilience_circuit_breaker_state', { name: breaker.name, state: 'open' })).toBe(1);
    expect(valueOf(exp, 'resilience_circuit_breaker_transitions_total', { from: 'closed', to: 'open' })).toBe(
      1,
    );
    expect(samplesOf(exp, 'resilience_circuit_breaker_calls_total').map((s) => s.value)).toEqual([
      0, 0, 0, 0,
    ]);
  });
});
