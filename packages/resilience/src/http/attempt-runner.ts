import { isBrokenCircuitError, TimeoutError } from '../policies/index.ts';
import { AttemptCancel, type TimeoutSweeper } from './abort-scope.ts';
import type { Deadline } from './deadline.ts';
import type { Endpoint } from './endpoints/endpoint.ts';
import type { EndpointRegistry } from './endpoints/endpoint-registry.ts';
import type { Emitter } from '../policies/common/emitter.ts';
import type { HedgeTag, RoundAttempt } from './hedging/hedged-round.ts';
import type { ClientConcurrencyLimiter } from './policy-shapes.ts';
import type { AttemptEvent } from './request-types.ts';
import { sendAttempt, type PreparedRequest } from './send-attempt.ts';
import type { ClientTimeoutEvents } from './timeout-events.ts';

/** What an {@link AttemptRunner} works with: the client's parts. */
export interface AttemptRunnerDeps {
  readonly service: string;
  readonly now: () => number;
  readonly perTryTimeoutMs: number;
  readonly maxResponseBytes: number;
  readonly registry: EndpointRegistry;
  readonly sweeper: TimeoutSweeper;
  readonly timeouts: ClientTimeoutEvents;
  readonly attempts: Emitter<AttemptEvent>;
  readonly concurrency: ClientConcurrencyLimiter | undefined;
}

/**
 * Sends one attempt to one endpoint for a service client: the concurrency slot, the per-try
 * timeout, the endpoint's breaker, the traced request, and what the outcome feeds back — outlier
 * detection, the timeout and attempt events, and the concurrency limit's latency sample (503 and
 * 429 answers and timeouts are drops; cancellations and transport errors are no sample).
 */
export class AttemptRunner {
  readonly #d: AttemptRunnerDeps;

  constructor(deps: AttemptRunnerDeps) {
    this.#d = deps;
  }

  /**
   * @returns the outcome; `rejected` when the endpoint's breaker refused (nothing sent),
   * `limited` when the concurrency limit did, `superseded` when another hedged attempt won
   * @throws the caller's abort reason when the caller cancelled
   */
  async run(
    endpoint: Endpoint,
    request: PreparedRequest,
    attempt: number,
    deadline: Deadline,
    signal: AbortSignal | undefined,
    hedge: HedgeTag | undefined,
  ): Promise<RoundAttempt> {
    const d = this.#d;
    const permit = d.concurrency?.tryAcquire();
    if (d.concurrency !== undefined && permit === undefined) return 'limited';
    const remaining = deadline.remainingMs();
    const tryMs = request.retryable ? Math.min(d.perTryTimeoutMs, remaining) : remaining;
    const cancel = new AttemptCancel(d.sweeper, signal, tryMs, () => new TimeoutError(d.service, tryMs));
    hedge?.track(cancel);
    const send = () =>
      sendAttempt(d.service, endpoint, request, attempt, tryMs, cancel, d.maxResponseBytes, hedge);
    const started = d.now();
    endpoint.inFlight += 1;
    try {
      const result = endpoint.breaker ? await endpoint.breaker.execute(send, signal) : await send();
      d.registry.record(endpoint, result.status < 500);
      this.#emit(request, endpoint, result.status, started, attempt);
      if (result.status === 503 || result.status === 429) permit?.dropped();
      else permit?.success();
      return { kind: 'response', endpoint, result };
    } catch (error) {
      if (isBrokenCircuitError(error)) {
        permit?.ignore();
        return 'rejected';
      }
      if (cancel.superseded) {
        permit?.ignore();
        return 'superseded';
      }
      // The caller's cancellation is not the endpoint's fault; a timeout is.
      const cancelled = signal?.aborted === true;
      if (!cancelled) d.registry.record(endpoint, false);
      if (cancel.timedOut) {
        d.timeouts.timedOut(tryMs);
        permit?.dropped();
      } else {
        permit?.ignore();
      }
      this.#emit(request, endpoint, 'error', started, attempt);
      if (cancelled) throw signal.reason;
      return { kind: 'error', endpoint, error };
    } finally {
      endpoint.inFlight -= 1;
      cancel.dispose();
    }
  }

  #emit(
    request: PreparedRequest,
    endpoint: Endpoint,
    statusCode: number | 'error',
    started: number,
    attempt: number,
  ): void {
    const d = this.#d;
    if (!d.attempts.active) return;
    d.attempts.emit({
      service: d.service,
      method: request.method,
      endpoint: endpoint.key,
      statusCode,
      durationMs: d.now() - started,
      attempt,
    });
  }
}
