import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseExposition, samplesOf, valueOf } from '@shipshape/test-harness/exposition';
import { bridgeQueue } from './queue-metrics.ts';
import { MetricsRegistry } from './metrics-registry.ts';

/** Answers like BullMQ: `waiting` is reported as `wait`; only the requested types come back. */
class FakeQueue {
  readonly name: string;
  counts: Record<string, number>;
  requested: string[][] = [];
  constructor(name: string, counts: Record<string, number>) {
    this.name = name;
    this.counts = counts;
  }
  getJobCounts(...types: string[]): Promise<Record<string, number>> {
    this.requested.push(types);
    return Promise.resolve(Object.fromEntries(types.map((t) => [t, this.counts[t] ?? 0])));
  }
}

describe('bridgeQueue', () => {
  let metrics: MetricsRegistry;
  const scrape = async () => parseExposition(await metrics.render('prometheus'));
  beforeEach(() => {
    metrics = new MetricsRegistry({ service: 'order', defaultMetrics: false });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('counts jobs per state, waiting including paused and prioritized, dead letters from the second queue', async () => {
    const queue = new FakeQueue('payments', {
      wait: 4,
      paused: 1,
      prioritized: 2,
      active: 3,
      delayed: 5,
      failed: 6,
      completed: 99,
    });
    const dlq = new FakeQueue('payments-dlq', { wait: 7, failed: 1, completed: 50 });
    bridgeQueue({ queue, deadLetter: dlq }, metrics);
    const exp = await scrape();
    const states = samplesOf(exp, 'queue_jobs', { queue: 'payments' });
    expect(Object.fromEntries(states.map((s) => [s.labels.state, s.value]))).toEqual({
      waiting: 7,
      active: 3,
      delayed: 5,
      failed: 6,
      dead_letter: 8,
    });
  });

  it('follows the counts from one scrape to the next', async () => {
    const queue = new FakeQueue('payments', { wait: 4 });
    bridgeQueue({ queue }, metrics);
    expect(valueOf(await scrape(), 'queue_jobs', { state: 'waiting' })).toBe(4);
    queue.counts.wait = 0;
    queue.counts.active = 2;
    const exp = await scrape();
    expect(valueOf(exp, 'queue_jobs', { state: 'waiting' })).toBe(0);
    expect(valueOf(exp, 'queue_jobs', { state: 'active' })).toBe(2);
    expect(samplesOf(exp, 'queue_jobs', { state: 'dead_letter' })).toEqual([]);
  });

  it('leaves the series out and reports the error when the counts fail, without failing the scrape', async () => {
    const queue = new FakeQueue('payments', {});
    queue.getJobCounts = () => Promise.reject(new Error('Connection is closed.'));
    const errors: unknown[] = [];
    bridgeQueue({ queue, onError: (e) => errors.push(e) }, metrics);
    const exp = await scrape();
    expect(samplesOf(exp, 'queue_jobs')).toEqual([]);
    expect(errors).toEqual([new Error('Connection is closed.')]);
  });

  it('gives up on counts slower than countTimeoutMs', async () => {
    vi.useFakeTimers();
    const queue = new FakeQueue('payments', {});
    queue.getJobCounts = () => new Promise(() => undefined);
    const errors: unknown[] = [];
    bridgeQueue({ queue, countTimeoutMs: 500, onError: (e) => errors.push(e) }, metrics);
    const rendering = metrics.render('prometheus');
    await vi.advanceTimersByTimeAsync(500);
    expect(samplesOf(parseExposition(await rendering), 'queue_jobs')).toEqual([]);
    expect(errors).toEqual([new Error('job counts took longer than 500 ms')]);
  });

  it('observes job durations and waits in seconds with the contract buckets', async () => {
    const jobs = bridgeQueue({ queue: new FakeQueue('payments', {}), label: 'payments' }, metrics);
    jobs.observeJob({ outcome: 'completed', durationMs: 40 });
    jobs.observeJob({ outcome: 'failed', durationMs: 3000 });
    jobs.observeWait(120);
    const exp = await scrape();
    const bucket = 'queue_job_duration_seconds_bucket';
    expect(valueOf(exp, bucket, { outcome: 'completed', le: '0.025' })).toBe(0);
    expect(valueOf(exp, bucket, { outcome: 'completed', le: '0.05' })).toBe(1);
    expect(valueOf(exp, bucket, { outcome: 'failed', le: '2.5' })).toBe(0);
    expect(valueOf(exp, bucket, { outcome: 'failed', le: '5' })).toBe(1);
    expect(valueOf(exp, 'queue_job_wait_seconds_sum', { queue: 'payments' })).toBeCloseTo(0.12);
  });

  it('stops counting after dispose', async () => {
    const queue = new FakeQueue('payments', { wait: 1 });
    bridgeQueue({ queue }, metrics).dispose();
    expect(samplesOf(await scrape(), 'queue_jobs')).toEqual([]);
    expect(queue.requested).toEqual([]);
  });

  it('rejects a non-positive countTimeoutMs', () => {
    expect(() => bridgeQueue({ queue: new FakeQueue('q', {}), countTimeoutMs: 0 }, metrics)).toThrow(
      new RangeError('countTimeoutMs must be a positive number, got 0'),
    );
  });
});
