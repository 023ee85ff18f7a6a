import { beforeEach, describe, expect, it } from 'vitest';
import { bridgeConcurrencyLimit } from './bridge-concurrency-limit.ts';
import { bridgeHedging } from './bridge-hedging.ts';
import { bridgeServiceClient } from './bridge-service-client.ts';
import { parseExposition, samplesOf, valueOf } from '@shipshape/test-harness/exposition';
import { FakeEmitter } from './fake-emitter.test-helper.ts';
import { FakeClient } from './fake-resilience.test-helper.ts';
import { MetricsRegistry } from './metrics-registry.ts';

class FakeHedging {
  readonly name = 'payment';
  readonly hedge = new FakeEmitter<{ name: string; hedge: number; delayMs: number }>();
  readonly won = new FakeEmitter<{ name: string; hedge: number }>();
  readonly skipped = new FakeEmitter<{ name: string; reason: string }>();
  readonly onHedge = this.hedge.subscribe;
  readonly onHedgeWon = this.won.subscribe;
  readonly onHedgeSkipped = this.skipped.subscribe;
}

class FakeConcurrencyLimit {
  readonly name = 'payment';
  limit = 20;
  inFlight = 0;
  readonly reject = new FakeEmitter<{ name: string; limit: number }>();
  readonly onReject = this.reject.subscribe;
  snapshot() {
    return { limit: this.limit, inFlight: this.inFlight };
  }
}

describe('hedging and concurrency-limit bridges', () => {
  let metrics: MetricsRegistry;
  const scrape = async () => parseExposition(await metrics.render('prometheus'));
  beforeEach(() => {
    metrics = new MetricsRegistry({ service: 'order', defaultMetrics: false });
  });

  it('counts hedges sent, won and skipped by reason, sent and won starting at zero', async () => {
    const hedging = new FakeHedging();
    bridgeHedging(hedging, metrics);
    let exp = await scrape();
    expect(valueOf(exp, 'resilience_hedges_sent_total', { name: 'payment' })).toBe(0);
    expect(valueOf(exp, 'resilience_hedges_won_total', { name: 'payment' })).toBe(0);
    hedging.hedge.emit({ name: 'payment', hedge: 1, delayMs: 40 });
    hedging.hedge.emit({ name: 'payment', hedge: 1, delayMs: 41 });
    hedging.won.emit({ name: 'payment', hedge: 1 });
    hedging.skipped.emit({ name: 'payment', reason: 'budget' });
    exp = await scrape();
    expect(valueOf(exp, 'resilience_hedges_sent_total', { name: 'payment' })).toBe(2);
    expect(valueOf(exp, 'resilience_hedges_won_total', { name: 'payment' })).toBe(1);
    expect(valueOf(exp, 'resilience_hedges_skipped_total', { name: 'payment', reason: 'budget' })).toBe(1);
  });

  it('reads the limit and in-flight at scrape time and counts rejections', async () => {
    const limiter = new FakeConcurrencyLimit();
    const bridge = bridgeConcurrencyLimit(limiter, metrics);
    limiter.limit = 7;
    limiter.inFlight = 5;
    limiter.reject.emit({ name: 'payment', limit: 7 });
    let exp = await scrape();
    expect(valueOf(exp, 'resilience_concurrency_limit', { name: 'payment' })).toBe(7);
    expect(valueOf(exp, 'resilience_concurrency_limit_in_flight', { name: 'payment' })).toBe(5);
    expect(valueOf(exp, 'resilience_concurrency_limit_rejected_total', { name: 'payment' })).toBe(1);
    bridge.dispose();
    exp = await scrape();
    expect(samplesOf(exp, 'resilience_concurrency_limit')).toEqual([]);
  });

  it('bridges the hedging and the limit of a service client that has them', async () => {
    const client = Object.assign(new FakeClient(), {
      hedgingPolicy: new FakeHedging(),
      limitPolicy: new FakeConcurrencyLimit(),
    });
    const policies = client.policies.bind(client);
    client.policies = () =>
      Object.assign(policies(), { hedging: client.hedgingPolicy, concurrencyLimit: client.limitPolicy });
    bridgeServiceClient(client, metrics);
    client.hedgingPolicy.hedge.emit({ name: 'payment', hedge: 1, delayMs: 10 });
    const exp = await scrape();
    expect(valueOf(exp, 'resilience_hedges_sent_total', { name: 'payment' })).toBe(1);
    expect(valueOf(exp, 'resilience_concurrency_limit', { name: 'payment' })).toBe(20);
  });
});
