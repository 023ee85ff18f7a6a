/**
 * The dead-letter queue of the payment pipeline: charges given up (attempts exhausted, rejected by
 * the payment service, stalled too often) wait in `payments-dead-letter` until an operator
 * replays them. Every step is idempotent (job id = order id, status compare-and-set), so a crash
 * half-way is repaired by doing the step again.
 */
import type { MetricsRegistry } from '@shipshape/observability/metrics';
import { ordersCounter } from '../metrics.ts';
import type { Job, Queue } from 'bullmq';
import { jobRetention, type JobRetention } from '../retention.ts';
import type { OrderRepository } from '../storage/order-repository.ts';
import type { PaymentJob } from '../storage/payment-job.ts';
import {
  chargeJobName,
  chargeJobOptions,
  deadLetterJobName,
  type DeadLetterRecord,
} from './payment-queues.ts';

/** One dead letter, as `list()` shows it. */
export interface DeadLetterEntry {
  readonly orderId: string;
  readonly amountCents: number;
  readonly currency: string;
  /** Attempts made before the charge was given up. */
  readonly attempts: number;
  /** The last error's reason token (`http_503`, `rejected_422`, `stalled`, …). */
  readonly reason: string;
  readonly lastError: string;
  /** ISO 8601. */
  readonly failedAt: string;
}

/** Why a charge is dead-lettered. */
export interface DeadLetterCause {
  /** Attempts made, the last one included. */
  readonly attempts: number;
  readonly reason: string;
  readonly message: string;
}

/** The result of {@link DeadLetters.replay}. */
export interface ReplayResult {
  /** Orders whose charge is back in the payment queue. */
  readonly replayed: string[];
  /** Requested order ids with no dead letter. */
  readonly missing: string[];
  /**
   * Dead letters left in place because their charge job was still finishing (`active`) for
   * longer than `activeWaitMs`: replay them again in a moment.
   */
  readonly busy: string[];
}

/** Options of {@link DeadLetters}. */
export interface DeadLettersOptions {
  /** The payment queue (replays go back there). */
  payments: Queue<PaymentJob>;
  /** The dead-letter queue. */
  deadLetters: Queue<DeadLetterRecord>;
  /** The order store (`payment_failed` is set with its compare-and-set). */
  repository: OrderRepository;
  /** Attempts of a replayed charge (`worker.attempts`, read at each replay). */
  attempts: () => number;
  /**
   * How long a replayed charge job is kept once finished (`retention.*`, read at each replay).
   * @default the `retention` defaults
   */
  jobRetention?: () => JobRetention;
  /**
   * Registry of `orders_total{status="payment_failed"}`.
   * @default none: not counted
   */
  metrics?: MetricsRegistry;
  /**
   * The clock of `failedAt`, in ms since the epoch.
   * @default Date.now
   */
  now?: () => number;
  /**
   * How long a replay waits, in ms, for a charge job that parked its letter and is still
   * `active` (the worker finishes the job right after parking) before it leaves that letter
   * in place and reports it `busy`.
   * @default 5000
   */
  activeWaitMs?: number;
}

const pageSize = 500;
const activePollMs = 50;

/** The dead-letter queue: park a charge, list, replay. */
export class DeadLetters {
  readonly #o: Required<Omit<DeadLettersOptions, 'metrics'>>;
  readonly #orders: ReturnType<typeof ordersCounter> | undefined;

  constructor(options: DeadLettersOptions) {
    this.#o = { now: Date.now, jobRetention: () => jobRetention(), activeWaitMs: 5_000, ...options };
    this.#orders = options.metrics ? ordersCounter(options.metrics) : undefined;
  }

  /**
   * Parks the charge of `job` (record id = order id, so twice is once) and moves its order
   * `pending` → `payment_failed`. An order already `payment_failed` (a replay that failed again)
   * keeps that status; a settled one (`paid`, `payment_declined`) is left alone.
   */
  async park(job: PaymentJob, cause: DeadLetterCause): Promise<void> {
    const record: DeadLetterRecord = {
      orderId: job.orderId,
      amountCents: job.amountCents,
      currency: job.currency,
      ...(job.traceContext ? { traceContext: job.traceContext } : {}),
      attempts: cause.attempts,
      reason: cause.reason,
      lastError: cause.message.slice(0, 500),
      failedAt: new Date(this.#o.now()).toISOString(),
    };
    await this.#o.deadLetters.add(deadLetterJobName, record, { jobId: job.orderId, removeOnComplete: true });
    const result = await this.#o.repository.setOrderStatus(job.orderId, 'pending', 'payment_failed');
    if (result.outcome === 'updated') this.#orders?.inc({ status: 'payment_failed' });
  }

  /**
   * Parks the jobs BullMQ itself failed for good (stalled more than `maxStalledCount` times, or
   * an unexpected error on the last attempt). Returns how many were parked. Such a job stays in
   * the payment queue's `failed` set; a replay takes it out.
   */
  async parkFailedJobs(): Promise<number> {
    let parked = 0;
    for (let start = 0; ; start += pageSize) {
      const jobs = await this.#o.payments.getFailed(start, start + pageSize - 1);
      for (const job of jobs) {
        if (await this.#parkIfFailed(job)) parked += 1;
      }
      if (jobs.length < pageSize) return parked;
    }
  }

  /** Parks one job if BullMQ failed it for good (it is in the `failed` set and not yet parked). */
  async parkIfFailed(jobId: string): Promise<boolean> {
    const job = await this.#o.payments.getJob(jobId);
    return job ? this.#parkIfFailed(job) : false;
  }

  async #parkIfFailed(job: Job<PaymentJob>): Promise<boolean> {
    if (!job.id || (await this.#o.deadLetters.getJobState(job.id)) !== 'unknown') return false;
    // Re-check right before parking, so a job a replay just moved out of `failed` is not parked again.
    if (!(await job.isFailed())) return false;
    const reason = /stalled/i.test(job.failedReason ?? '') ? 'stalled' : 'failed';
    await this.park(job.data, { attempts: job.attemptsMade, reason, message: job.failedReason ?? 'failed' });
    return true;
  }

  /** Every dead letter, oldest first. */
  async list(): Promise<DeadLetterEntry[]> {
    const entries: DeadLetterEntry[] = [];
    for (let start = 0; ; start += pageSize) {
      const jobs = await this.#o.deadLetters.getJobs(
        ['wait', 'prioritized', 'delayed'],
        start,
        start + pageSize - 1,
        true,
      );
      for (const { data } of jobs) {
        entries.push({
          orderId: data.orderId,
          amountCents: data.amountCents,
          currency: data.currency,
          attempts: data.attempts,
          reason: data.reason,
          lastError: data.lastError,
          failedAt: data.failedAt,
        });
      }
      if (jobs.length < pageSize) return entries;
    }
  }

  /**
   * Puts the charges of `orderIds` (or of every dead letter) back into the payment queue with a
   * fresh attempt count, then removes their dead letters. The order stays `payment_failed` until
   * the worker settles it: the worker accepts `payment_failed` as the status to move from (the
   * lifecycle has `payment_failed` → `paid` | `payment_declined`). A charge still waiting or
   * running in the payment queue is left there.
   */
  async replay(orderIds: readonly string[] | 'all'): Promise<ReplayResult> {
    const ids = orderIds === 'all' ? (await this.list()).map((e) => e.orderId) : orderIds;
    const result: ReplayResult = { replayed: [], missing: [], busy: [] };
    for (const orderId of ids) {
      const letter = await this.#o.deadLetters.getJob(orderId);
      if (!letter) {
        result.missing.push(orderId);
        continue;
      }
      const { attempts: _a, reason: _r, lastError: _l, failedAt: _f, ...job } = letter.data;
      // The worker parks a letter while its job is still `active` and completes the job just
      // after: an add now would be ignored (same job id) and the letter would be lost with it.
      const state = await this.#settledState(orderId);
      if (state === 'active') {
        result.busy.push(orderId);
        continue;
      }
      if (state === 'completed' || state === 'failed') await this.#o.payments.remove(orderId);
      await this.#o.payments.add(
        chargeJobName,
        job,
        chargeJobOptions(orderId, this.#o.attempts(), this.#o.jobRetention()),
      );
      await letter.remove();
      result.replayed.push(orderId);
    }
    return result;
  }

  /** The charge job's state once it is no longer `active`, or `active` after `activeWaitMs`. */
  async #settledState(orderId: string): Promise<string> {
    const deadline = Date.now() + this.#o.activeWaitMs;
    for (;;) {
      const state = await this.#o.payments.getJobState(orderId);
      if (state !== 'active' || Date.now() >= deadline) return state;
      await new Promise((resolve) => setTimeout(resolve, activePollMs));
    }
  }
}
