import type { Clock } from './clock.ts';
import type { HttpDriver } from './http-driver.ts';
import { IdPool } from './id-pool.ts';
import type { LoadMetrics } from './load-metrics.ts';
import type { ProgressSnapshot } from './load-result.ts';
import type { PlannedRequest, RequestPlanner } from './mix.ts';
import type { Profile } from './profiles/profiles.ts';
import { Recorder, type RequestRecord } from './recorder.ts';
import { buildRequest, type KnownIds } from './request-builder.ts';

/** What a {@link LoadSession} needs: where it sends, what it plans, whom it tells. */
export interface LoadSessionOptions {
  readonly clock: Clock;
  readonly driver: HttpDriver;
  readonly planner: RequestPlanner;
  readonly profile: Profile;
  /** Prefix of the `x-request-id` of every request. */
  readonly requestIdPrefix: string;
  readonly metrics?: LoadMetrics | undefined;
  readonly onProgress?: ((progress: ProgressSnapshot) => void) | undefined;
  readonly onRequest?: ((record: RequestRecord, id: string | undefined) => void) | undefined;
}

/**
 * The state of one run while the open loop drives it: `fire` sends a due request and records
 * its outcome, `drop` counts one that could not be sent, `reportProgress` hands out live
 * figures. Ids the services create feed later requests (`KnownIds`).
 */
export class LoadSession {
  readonly startMs: number;
  readonly recorder: Recorder;
  /** Requests sent and not yet settled. */
  readonly pending = new Set<Promise<void>>();
  firstSendMs: number | undefined;
  lastSendMs: number;
  lastEndMs: number;
  readonly #options: LoadSessionOptions;
  readonly #ids: KnownIds = { users: new IdPool(), orders: new IdPool() };
  // Plans are drawn in index order whether a request is sent or dropped, so the sequence of
  // kinds and bodies depends only on the seed.
  readonly #plans = new Map<number, PlannedRequest>();

  constructor(options: LoadSessionOptions) {
    this.#options = options;
    this.startMs = options.clock.now();
    this.recorder = new Recorder(this.startMs);
    this.lastSendMs = this.startMs;
    this.lastEndMs = this.startMs;
  }

  /** Sends request `index`, due at `intendedMs`; resolves once its outcome is recorded. */
  readonly fire = (index: number, intendedMs: number): Promise<void> => {
    const { clock, driver } = this.#options;
    const spec = buildRequest(this.#planFor(index), this.#ids, this.#options.requestIdPrefix);
    const sentMs = clock.now();
    this.firstSendMs ??= sentMs;
    this.lastSendMs = sentMs;
    this.recorder.recordSent(spec.kind, intendedMs, sentMs);
    const done = driver.send(spec).then((outcome) => {
      const endMs = clock.now();
      this.lastEndMs = Math.max(this.lastEndMs, endMs);
      const record: RequestRecord = {
        index,
        kind: spec.kind,
        intendedMs,
        sentMs,
        endMs,
        status: outcome.statusCode === undefined ? 'error' : String(outcome.statusCode),
        ...(outcome.errorCode === undefined ? {} : { errorCode: outcome.errorCode }),
      };
      if (outcome.id !== undefined && outcome.statusCode !== undefined && outcome.statusCode < 300) {
        (spec.kind === 'create-user' ? this.#ids.users : this.#ids.orders).add(outcome.id);
      }
      this.recorder.recordCompleted(record);
      this.#options.metrics?.observe(record, spec.service, spec.method);
      this.#options.onRequest?.(record, outcome.id);
    });
    this.pending.add(done);
    void done.finally(() => this.pending.delete(done));
    return done;
  };

  /** Counts request `index` as dropped (too many in flight). */
  readonly drop = (index: number): void => {
    const kind = this.#planFor(index).kind;
    this.recorder.recordDropped(kind);
    this.#options.metrics?.dropped(kind);
  };

  /** Updates the metrics' state gauges and calls `onProgress` with the interval's figures. */
  readonly reportProgress = (): void => {
    const now = this.#options.clock.now();
    const targetRate = this.#options.profile.schedule.rateAt(now - this.startMs);
    this.#options.metrics?.setState(targetRate, this.pending.size);
    this.#options.onProgress?.({
      ...this.recorder.takeInterval(now),
      targetRate,
      inFlight: this.pending.size,
      statuses: this.recorder.statuses(),
      errors: this.recorder.errors,
    });
  };

  #planFor(index: number): PlannedRequest {
    while (!this.#plans.has(index)) {
      const plan = this.#options.planner.next();
      this.#plans.set(plan.index, plan);
    }
    const plan = this.#plans.get(index)!;
    this.#plans.delete(index);
    return plan;
  }
}
