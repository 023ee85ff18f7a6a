import { useRedisClients } from '@shipshape/service-kit/testing';
import { useRedisServer } from '@shipshape/test-harness/vitest';
import { beforeEach, describe, expect, it } from 'vitest';
import { send, useApp } from './testing/start-app.test-helper.ts';
import { useUserUpstream } from './testing/user-upstream.test-helper.ts';

// A client that sends tiny `x-request-timeout-ms` values must not be able to make POST /orders
// look like an outage: no 503 upstream_unavailable, no open breaker, nothing the availability
// SLO counts (its rules leave 504 deadline_exceeded out, see infra/prometheus/rules).

const redis = useRedisServer();
const startApp = useApp(() => redis.url);
const startUpstream = useUserUpstream();
const client = useRedisClients(() => redis.url);

beforeEach(async () => {
  await client().flushall();
});

const items = [{ sku: 'SKU-1', quantity: 1, unitPriceCents: 100 }];
/** Deadlines from "nothing can be done" to "the lookup starts and is cut short", in ms. */
const tinyDeadlines = ['1', '2', '5', '10', '20', '40', '60', '80', '100', '150'];
const requests = 1_000;
const concurrency = 25;

/** The sum of the samples of `metric` whose labels match `labels` (values are regexes). */
function sum(text: string, metric: string, labels: Record<string, string>): number {
  const lookaheads = Object.entries(labels)
    .map(([name, value]) => `(?=[^}]*${name}="${value}")`)
    .join('');
  const line = new RegExp(`^${metric}\\{${lookaheads}[^}]*\\} (\\S+)$`, 'gm');
  return [...text.matchAll(line)].reduce((total, match) => total + Number(match[1]), 0);
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
