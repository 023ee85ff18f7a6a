import { CONTRACT_METRICS } from './contract-metrics.ts';
import { disposeAll } from './dispose-all.ts';
import { observeWithTrace } from './exemplar.ts';
import type { Disposable, MetricsRegistry } from './metrics-registry.ts';

/** What the queue metrics need of a BullMQ `Queue` (structural: bullmq is never imported). */
export interface QueueLike {
  readonly name: string;
  getJobCounts(...types: string[]): Promise<Record<string, number>>;
}

/** Options of {@link bridgeQueue}. */
export interface QueueMetricsOptions {
  /** The queue whose jobs are counted. */
  queue: QueueLike;
  /** The dead-letter queue; its unfinished jobs are the `dead_letter` state. Omitted: no such series. */
  deadLetter?: QueueLike;
  /**
   * The `queue` label.
   * @default queue.name
   */
  label?: string;
  /**
   * Longest wait for the job counts on a scrape, in milliseconds; a slower or failing Redis
   * leaves the `queue_jobs` series out of that scrape instead of stalling it.
   * @default 2000
   */
  countTimeoutMs?: number;
  /**
   * Called when reading the counts failed or timed out.
   * @default ignore
   */
  onError?: (error: unknown) => void;
}

/** A job's end, for `queue_job_duration_seconds`. */
export interface JobEnd {
  /** A bounded token: `completed`, `failed`, `retried`, `dead_lettered`, … */
  outcome: string;
  /** Processing time in milliseconds. */
  durationMs: number;
}

/** The queue metrics of one queue; dispose to stop counting its jobs. */
export interface QueueMetrics extends Disposable {
  /** Observes a processed job in `queue_job_duration_seconds{queue,outcome}`. */
  observeJob(end: JobEnd): void;
  /** Observes how long a job waited before a worker took it, in `queue_job_wait_seconds{queue}`. */
  observeWait(waitMs: number): void;
}

// BullMQ reports `waiting` jobs as `wait`, and jobs of a paused queue or with a priority in
// their own lists; all of them are waiting for a worker.
const WAITING_TYPES = ['wait', 'waiting', 'paused', 'prioritized'];
const COUNTED_TYPES = ['wait', 'paused', 'prioritized', 'active', 'delayed', 'failed'];

const defaults = { countTimeoutMs: 2000, onError: () => undefined } as const;

/**
 * Counts a BullMQ queue's jobs at scrape time into `queue_jobs{queue,state}` (waiting, active,
 * delayed, failed and, when a dead-letter queue is given, dead_letter) and returns observe
 * helpers for the two queue histograms (exemplars from the active span).
 */
export function bridgeQueue(options: QueueMetricsOptions, metrics: MetricsRegistry): QueueMetrics {
  const merged = { ...defaults, ...options };
  if (!Number.isFinite(merged.countTimeoutMs) || merged.countTimeoutMs <= 0) {
    throw new RangeError(`countTimeoutMs must be a positive number, got ${merged.countTimeoutMs}`);
  }
  const queue = merged.label ?? merged.queue.name;
  const duration = metrics.histogram(CONTRACT_METRICS.queueJobDuration);
  const wait = metrics.histogram(CONTRACT_METRICS.queueJobWait);

  const source = metrics.collectedGauge(CONTRACT_METRICS.queueJobs).add(async (set) => {
    try {
      const [counts, dead] = await withTimeout(
        Promise.all([
          merged.queue.getJobCounts(...COUNTED_TYPES),
          merged.deadLetter?.getJobCounts(...COUNTED_TYPES),
        ]),
        merged.countTimeoutMs,
      );
      set({ queue, state: 'waiting' }, sum(counts, WAITING_TYPES));
      set({ queue, state: 'active' }, counts.active ?? 0);
      set({ queue, state: 'delayed' }, counts.delayed ?? 0);
      set({ queue, state: 'failed' }, counts.failed ?? 0);
      if (dead) set({ queue, state: 'dead_letter' }, sum(dead, Object.keys(dead)));
    } catch (error) {
      merged.onError(error);
    }
  });

  return {
    observeJob(end) {
      observeWithTrace(duration, { queue, outcome: end.outcome }, end.durationMs / 1000);
    },
    observeWait(waitMs) {
      observeWithTrace(wait, { queue }, Math.max(0, waitMs) / 1000);
    },
    ...disposeAll([source]),
  };
}

function sum(counts: Record<string, number>, types: readonly string[]): number {
  return types.reduce((total, type) => total + (counts[type] ?? 0), 0);
}

async function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`job counts took longer than ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
