import { useRedisClients } from '@shipshape/service-kit/testing';
import { parseExposition, sumSamples } from '@shipshape/test-harness/exposition';
import { useRedisServer } from '@shipshape/test-harness/vitest';
import { beforeEach, describe, expect, it } from 'vitest';
import { send, useApp, type RunningApp } from './testing/start-app.test-helper.ts';
import { useUserUpstream, type UserUpstream } from './testing/user-upstream.test-helper.ts';

// How POST /orders behaves when the user service fails, against a real HTTP server on 127.0.0.1
// whose answers the test controls (stopped, hanging, 5xx, resets).

const redis = useRedisServer();
const startApp = useApp(() => redis.url);
const startUpstream = useUserUpstream();
const client = useRedisClients(() => redis.url);

beforeEach(async () => {
  await client().flushall();
});

const items = [{ sku: 'SKU-1', quantity: 2, unitPriceCents: 250 }];

async function start(
  userClient: object = {},
): Promise<{ app: RunningApp; upstream: UserUpstream; post: () => ReturnType<typeof send> }> {
  const upstream = await startUpstream();
  upstream.known.add('user-1');
  const app = await startApp({ values: { userServiceUrl: upstream.url, userClient } });
  const post = () => send(`${app.url}/orders`, { body: { userId: 'user-1', items } });
  return { app, upstream, post };
}

/** Asserts a 503 upstream_unavailable problem with a Retry-After and no internals. */
function expectUpstreamUnavailable(answer: Awaited<ReturnType<typeof send>>, retryAfter = '1'): void {
  expect({ status: answer.status, code: answer.body.code }).toEqual({
    status: 503,
    code: 'upstream_unavailable',
  });
  expect(answer.headers.get('content-type')).toContain('application/problem+json');
  expect(answer.headers.get('retry-after')).toBe(retryAfter);
  expect(answer.text).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|localhost/);
}

describe('user service unavailable', () => {
  it('answers 503 upstream_unavailable with Retry-After while the user service is stopped, and 202 once it is back', async () => {
    const { app, upstream, post } = await start();
    expect((await post()).status).toBe(202);
    await upstream.stop();
    expectUpstreamUnavailable(await post());
    expect(await app.redis.xlen('order:outbox')).toBe(1);
    await upstream.start();
    expect((await post()).status).toBe(202);
  });

  it('answers 503 without calling the user service while its breaker is open', async () => {
    const { app, upstream, post } = await start({
      maxAttempts: 1,
      breakerMinimumCalls: 2,
      breakerOpenDurationMs: 60_000,
    });
    upstream.answer = 500;
    expectUpstreamUnavailable(await post());
    expectUpstreamUnavailable(await post());
    expect(upstream.hits).toBe(2);
    upstream.answer = 'normal';
    const rejected = await post();
    expectUpstreamUnavailable(rejected, rejected.headers.get('retry-after') ?? 'missing');
    // Retry-After is the time until the breaker half-opens (60 s, minus the test's own time).
    expect(Number(rejected.headers.get('retry-after'))).toBeGreaterThan(50);
    expect(upstream.hits).toBe(2);
    const { text } = await send(`${app.url}/metrics`);
    expect(text).toMatch(
      /resilience_circuit_breaker_state\{(?=[^}]*name="user\/)(?=[^}]*state="open")[^}]*\} 1\n/,
    );
    expect(text).toMatch(
      /resilience_circuit_breaker_transitions_total\{(?=[^}]*name="user\/)(?=[^}]*from="closed")(?=[^}]*to="open")[^}]*\} 1\n/,
    );
  });

  it('answers 503 when the user service is too slow: the per-try timeout cuts each attempt', async () => {
    const { app, upstream, post } = await start({ timeoutMs: 1_000, perTryTimeoutMs: 100, maxAttempts: 2 });
    upstream.answer = 'hang';
    expectUpstreamUnavailable(await post());
    expect(upstream.hits).toBe(2);
    const { text } = await send(`${app.url}/metrics`);
    expect(text).toMatch(/resilience_timeouts_total\{[^}]*name="user"[^}]*\} 2\n/);
    expect(text).toMatch(
      /http_client_request_duration_seconds_count\{(?=[^}]*peer_service="user")(?=[^}]*status_code="error")[^}]*\} 2\n/,
    );
  });

  it('retries 503 answers, then answers 503 upstream_unavailable when every attempt failed', async () => {
    const { app, upstream, post } = await start({ maxAttempts: 3 });
    upstream.answer = 503;
    expectUpstreamUnavailable(await post());
    expect(upstream.hits).toBe(3);
    const { text } = await send(`${app.url}/metrics`);
    expect(text).toMatch(
      /resilience_retries_total\{(?=[^}]*name="user")(?=[^}]*reason="http_503")[^}]*\} 2\n/,
    );
  });

  it('answers 503 when the user service resets the connection', async () => {
    const { upstream, post } = await start({ maxAttempts: 2 });
    upstream.answer = 'reset';
    expectUpstreamUnavailable(await post());
    expect(upstream.hits).toBe(2);
  });

  it('answers 503, not 422, for a user-service answer it has no meaning for (400)', async () => {
    const { upstream, post } = await start();
    upstream.answer = 400;
    expectUpstreamUnavailable(await post());
    expect(upstream.hits).toBe(1);
  });

  it('still serves GET /orders/:id and stays ready while the user service is down', async () => {
    const { app, upstream, post } = await start();
    const created = await post();
    await upstream.stop();
    expect((await send(`${app.url}/orders/${created.body.id}`)).status).toBe(200);
    const ready = await send(`${app.url}/ready`);
    expect(ready.status).toBe(200);
    expect(Object.keys(ready.body.checks ?? {})).toEqual(['redis']);
  });
});

describe('what the user service receives', () => {
  it('gets the request id and a deadline within what is left of the inbound one', async () => {
    const { app, upstream } = await start();
    const answer = await send(`${app.url}/orders`, {
      body: { userId: 'user-1', items },
      headers: { 'x-request-id': 'order-test-request-1', 'x-request-timeout-ms': '1500' },
    });
    expect(answer.status).toBe(202);
    const [headers] = upstream.headers;
    expect(headers?.['x-request-id']).toBe('order-test-request-1');
    const deadline = Number(headers?.['x-request-timeout-ms']);
    expect(deadline).toBeGreaterThan(0);
    expect(deadline).toBeLessThanOrEqual(1_000);
  });

  it('asks for the user by the id in the path', async () => {
    const { app, upstream } = await start();
    upstream.known.add('user_2-x');
    const answer = await send(`${app.url}/orders`, { body: { userId: 'user_2-x', items } });
    expect(answer.status).toBe(202);
    expect(upstream.requests).toEqual(['GET /users/user_2-x']);
  });
});

// A client that sends tiny `x-request-timeout-ms` values must not be able to make POST /orders
// look like an outage: no 503 upstream_unavailable, no open breaker, nothing the availability
// SLO counts (its rules leave 504 deadline_exceeded out, see infra/prometheus/rules).
/** Deadlines from "nothing can be done" to "the lookup starts and is cut short", in ms. */
const tinyDeadlines = ['1', '2', '5', '10', '20', '40', '60', '80', '100', '150'];
const requests = 1_000;
const concurrency = 25;

/** The sum of the samples of `metric` whose labels match `labels` (values are whole-value regexes). */
function sum(text: string, metric: string, labels: Record<string, string>): number {
  const matchers = Object.fromEntries(
    Object.entries(labels).map(([name, value]) => [name, new RegExp(`^(?:${value})$`)]),
  );
  return sumSamples(parseExposition(text), metric, matchers);
}

describe('tiny request deadlines', () => {
  it('answer 504 deadline_exceeded, never 503, move no SLO error and open no breaker (1,000 requests, user service hanging)', async () => {
    const upstream = await startUpstream();
    upstream.answer = 'hang';
    const app = await startApp({
      values: {
        userServiceUrl: upstream.url,
        // The breaker would open after 10 failed calls at a 50 % failure rate.
        userClient: { breakerMinimumCalls: 10, breakerFailureRateThreshold: 0.5 },
      },
    });

    const statuses = new Map<string, number>();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < requests) {
        const deadline = tinyDeadlines[next++ % tinyDeadlines.length]!;
        const answer = await send(`${app.url}/orders`, {
          body: { userId: 'user-1', items },
          headers: { 'x-request-timeout-ms': deadline },
        });
        const key = `${answer.status} ${answer.body.code ?? ''}`;
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));

    expect(Object.fromEntries(statuses)).toEqual({ '504 deadline_exceeded': requests });
    const { text } = await send(`${app.url}/metrics`);
    const orders = { route: '/orders', method: 'POST' };
    const requestCount = 'http_server_request_duration_seconds_count';
    expect(sum(text, requestCount, { ...orders, status_code: '504' })).toBe(requests);
    // What slo:orders_create_errors counts: 5xx other than 504.
    expect(sum(text, requestCount, { ...orders, status_code: '5(?!04)\\d\\d' })).toBe(0);
    const userBreakers = { name: 'user/[^"]+' };
    expect(sum(text, 'resilience_circuit_breaker_state', { ...userBreakers, state: 'closed' })).toBe(1);
    expect(sum(text, 'resilience_circuit_breaker_calls_total', { ...userBreakers, outcome: 'failure' })).toBe(
      0,
    );
    expect(sum(text, 'resilience_timeouts_total', { name: 'user' })).toBe(0);
    expect(await client().xlen('order:outbox')).toBe(0);
  });

  it.each(['0', '-20', 'abc'])('answers 400 validation_failed to x-request-timeout-ms: %s', async (value) => {
    const upstream = await startUpstream();
    const app = await startApp({ values: { userServiceUrl: upstream.url } });
    const answer = await send(`${app.url}/orders`, {
      body: { userId: 'user-1', items },
      headers: { 'x-request-timeout-ms': value },
    });
    expect({ status: answer.status, code: answer.body.code }).toEqual({
      status: 400,
      code: 'validation_failed',
    });
    expect(answer.body.errors).toEqual([
      { path: 'headers.x-request-timeout-ms', message: 'must be a positive integer number of milliseconds' },
    ]);
    expect(upstream.hits).toBe(0);
  });
});
