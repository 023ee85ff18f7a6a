import { TimeoutError, type Backoff } from '../policies/index.ts';
import { AbortScope, TimeoutSweeper } from './abort-scope.ts';
import { sleep } from '../policies/common/sleep.ts';
import { AttemptRunner } from './attempt-runner.ts';
import type { ServiceClientOptions } from './client-options.ts';
import {
  defaultBackoff,
  requireAtLeast,
  resolveClientOptions,
  timeoutResolutionMs,
} from './client-defaults.ts';
import { createBulkhead, createConcurrencyLimiter, createRetryBudget } from './client-policies.ts';
import { RotatingTlsConnector, validateClientTls, type ClientTlsOptions } from './client-tls.ts';
import { Deadline } from './deadline.ts';
import type { Endpoint } from './endpoints/endpoint.ts';
import { createEndpointRegistry } from './endpoints/create-endpoint-registry.ts';
import type { EndpointChangeEvent, EndpointRegistry } from './endpoints/endpoint-registry.ts';
import { EndpointResolver, parseEndpoints, systemLookup } from './endpoints/endpoint-resolver.ts';
import { UpstreamUnavailableError } from './errors/upstream-unavailable-error.ts';
import { Emitter, type Subscribe } from '../policies/common/emitter.ts';
import { ClientHedging, type CallHedging } from './hedging/client-hedging.ts';
import { HedgedRound, type RoundResult } from './hedging/hedged-round.ts';
import type {
  ClientBulkhead,
  ClientConcurrencyLimiter,
  ClientRateLimiter,
  ClientRetryBudget,
} from './policy-shapes.ts';
import { createRateLimitedError } from './rate-limited.ts';
import { lowerCaseKeys, prepareRequest } from './prepare-request.ts';
import type {
  AttemptEvent,
  ResolveErrorEvent,
  ServiceClientPolicies,
  ServiceRequest,
  ServiceResponse,
} from './request-types.ts';
import { ClientRetryEvents } from './retry-events.ts';
import { ClientTimeoutEvents } from './timeout-events.ts';
import {
  finalError,
  isFinalResponse,
  requestedDelayMs,
  retryReason,
  unavailableError,
  type AttemptOutcome,
} from './retry-decision.ts';
import type { PreparedRequest } from './send-attempt.ts';

/**
 * A resilient HTTP client for one upstream service. Pipeline of one `request()`, outermost
 * first: deadline → bulkhead → retry loop (retry budget, backoff / Retry-After) → endpoint
 * choice (load balancer over healthy endpoints) → outbound rate limit → hedged round (when
 * hedging is on: copies to other endpoints after the hedge delay, first answer wins) →
 * adaptive concurrency limit → endpoint breaker → per-try timeout → traced undici request on
 * the endpoint's keep-alive pool.
 */
export class ServiceClient {
  /** The upstream's logical name. */
  readonly service: string;
  readonly #now: () => number;
  readonly #timeoutMs: number;
  readonly #maxAttempts: number;
  readonly #maxRetryAfterMs: number;
  readonly #backoff: Backoff;
  readonly #headers: Readonly<Record<string, string>>;
  readonly #requestId: (() => string | undefined) | undefined;
  readonly #budget: ClientRetryBudget;
  readonly #bulkhead: ClientBulkhead;
  readonly #limiter: ClientRateLimiter | undefined;
  readonly #limitKey: string;
  readonly #concurrency: ClientConcurrencyLimiter | undefined;
  readonly #hedging: ClientHedging;
  readonly #retry: ClientRetryEvents;
  readonly #timeouts: ClientTimeoutEvents;
  readonly #runner: AttemptRunner;
  readonly #registry: EndpointRegistry;
  readonly #resolver: EndpointResolver;
  readonly #attempts = new Emitter<AttemptEvent>();
  readonly #changes = new Emitter<EndpointChangeEvent>();
  readonly #resolveErrors = new Emitter<ResolveErrorEvent>();
  readonly #refreshTimer: ReturnType<typeof setInterval> | undefined;
  readonly #sweeper = new TimeoutSweeper(timeoutResolutionMs);
  readonly #tls: RotatingTlsConnector | undefined;
  readonly #protocols: string[];
  #firstResolution: Promise<void>;
  #closed = false;

  /** Every attempt sent (or failed to send): feeds `http_client_request_duration_seconds`. */
  readonly onAttempt: Subscribe<AttemptEvent> = this.#attempts.subscribe;
  /** Endpoints added or removed by resolution, ejected or returned by outlier detection. */
  readonly onEndpointChange: Subscribe<EndpointChangeEvent> = this.#changes.subscribe;
  /** A hostname lookup failed or came back empty (its previous addresses stay in use). */
  readonly onResolveError: Subscribe<ResolveErrorEvent> = this.#resolveErrors.subscribe;

  constructor(options: ServiceClientOptions) {
    const o = resolveClientOptions(options);
    const targets = parseEndpoints(o.endpoints);
    this.#protocols = targets.map((t) => t.protocol);
    if (o.tls !== undefined) validateClientTls(o.tls, this.#protocols);
    this.service = o.service;
    this.#now = o.now ?? (() => performance.now());
    this.#timeoutMs = o.timeoutMs;
    this.#maxAttempts = o.maxAttempts;
    this.#maxRetryAfterMs = o.maxRetryAfterMs;
    this.#backoff = o.backoff ?? defaultBackoff();
    this.#headers = lowerCaseKeys(o.headers);
    this.#requestId = o.requestId;
    this.#budget = createRetryBudget(o.service, o.retryBudget);
    this.#bulkhead = createBulkhead(o.service, o.bulkhead);
    this.#limiter = o.rateLimiter;
    this.#limitKey = o.rateLimitKey ?? `outbound:${o.service}`;
    this.#concurrency = createConcurrencyLimiter(o.service, o.concurrencyLimit, this.#now);
    this.#hedging = new ClientHedging(o.service, o.hedging, this.#budget);
    this.#retry = new ClientRetryEvents(o.service);
    this.#timeouts = new ClientTimeoutEvents(o.service);
    this.#tls = o.tls && new RotatingTlsConnector(o.service, o.tls, o.connectTimeoutMs);
    this.#registry = createEndpointRegistry(o, this.#now, this.#changes, this.#tls);
    this.#runner = new AttemptRunner({
      service: o.service,
      now: this.#now,
      perTryTimeoutMs: o.perTryTimeoutMs,
      maxResponseBytes: o.maxResponseBytes,
      registry: this.#registry,
      sweeper: this.#sweeper,
      timeouts: this.#timeouts,
      attempts: this.#attempts,
      concurrency: this.#concurrency,
    });
    this.#resolver = new EndpointResolver(
      targets,
      o.lookup ?? systemLookup,
      (addresses) => this.#registry.reconcile(addresses),
      (hostname, error) => this.#resolveErrors.emit({ service: this.service, hostname, error }),
    );
    this.#firstResolution = this.#resolver.refresh();
    if (this.#resolver.dynamic && o.dnsRefreshMs > 0) {
      this.#refreshTimer = setInterval(() => void this.#resolver.refresh(), o.dnsRefreshMs);
      this.#refreshTimer.unref();
    }
  }

  /** `host:port` of every live endpoint. */
  endpoints(): string[] {
    return this.#registry.all.map((e) => e.key);
  }

  /** Resolves once the first endpoint resolution finished (requests also wait for it). */
  ready(): Promise<void> {
    return this.#firstResolution;
  }

  /** Re-resolves the endpoint hostnames now (the periodic refresh calls the same). */
  refreshEndpoints(): Promise<void> {
    return this.#resolver.refresh();
  }

  /**
   * Replaces the TLS material (certificate rotation): every endpoint moves to a new connection
   * pool that connects with `tls`; the old pools finish their in-flight requests on the old
   * connections, then close them. Nothing is dropped and no endpoint loses its breaker or
   * ejection state.
   * @throws Error when the client was created without `tls`; RangeError for invalid settings
   */
  setTls(tls: ClientTlsOptions): void {
    if (this.#tls === undefined) {
      throw new Error(`service client ${this.service} was created without tls; it cannot start TLS later`);
    }
    validateClientTls(tls, this.#protocols);
    this.#tls.update(tls);
    this.#registry.renewPools();
  }

  /**
   * Everything inside the client that emits events: breakers, retry, timeout, bulkhead, rate
   * limiter, hedging and the concurrency limit.
   */
  policies(): ServiceClientPolicies {
    const breakers = this.#registry.all.flatMap((e) => (e.breaker ? [e.breaker] : []));
    return {
      breakers,
      retry: this.#retry,
      timeout: this.#timeouts,
      bulkhead: this.#bulkhead,
      ...(this.#limiter ? { limiter: this.#limiter } : {}),
      hedging: this.#hedging.events,
      ...(this.#concurrency ? { concurrencyLimit: this.#concurrency } : {}),
    };
  }

  /**
   * Sends one call through the whole pipeline. Resolves with 2xx/3xx/4xx answers (429 aside);
   * rejects with UpstreamHttpError (5xx), RateLimitedError (429, or the outbound limiter said
   * no), TimeoutError, UpstreamUnavailableError, BulkheadRejectedError,
   * ConcurrencyLimitExceededError, or the signal's reason.
   */
  async request<T = unknown>(request: ServiceRequest): Promise<ServiceResponse<T>> {
    if (this.#closed) throw new UpstreamUnavailableError(this.service, 'client_closed');
    const prepared = prepareRequest(request, this.#headers, this.#requestId);
    const budgetMs = request.timeoutMs ?? this.#timeoutMs;
    if (request.timeoutMs !== undefined) requireAtLeast('timeoutMs', budgetMs, 0);
    const deadline = new Deadline(budgetMs, this.#now);
    const signal = request.signal;
    const hedging = this.#hedging.forCall(request.hedging, prepared.retryable, request.route ?? '');
    if (this.#registry.all.length === 0) await this.#firstResolution;
    // An AbortSignal for the deadline is needed only to bound a wait in a full bulkhead; the
    // common path enforces the deadline per attempt and stays free of AbortControllers.
    const load = this.#bulkhead.snapshot();
    const wait =
      load.inFlight >= load.maxConcurrent
        ? new AbortScope(signal, budgetMs, () => new TimeoutError(this.service, budgetMs))
        : undefined;
    try {
      const response = await this.#bulkhead.execute(() => {
        wait?.dispose();
        return this.#run(prepared, deadline, signal, hedging);
      }, wait?.signal ?? signal);
      return response as ServiceResponse<T>;
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw error;
    } finally {
      wait?.dispose();
    }
  }

  /** Stops re-resolution, rejects new calls, and waits for in-flight calls before closing pools. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#refreshTimer);
    await this.#firstResolution.catch(() => undefined);
    await this.#registry.close();
  }

  async #run(
    request: PreparedRequest,
    deadline: Deadline,
    signal: AbortSignal | undefined,
    hedging: CallHedging | undefined,
  ): Promise<ServiceResponse> {
    this.#budget.deposit();
    // Allocated on the first retry only: most calls never need it.
    let tried: Set<Endpoint> | undefined;
    // Rounds (an attempt and its hedges count as one against maxAttempts) and attempts sent.
    let attempt = 0;
    let sent = 0;
    let rejections = 0;
    let previousDelayMs = 0;
    let last: AttemptOutcome | undefined;
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      if (deadline.expired) {
        throw last ? finalError(this.service, last) : new TimeoutError(this.service, deadline.budgetMs);
      }
      const endpoint = this.#registry.pick(tried);
      if (endpoint === undefined) throw this.#unavailable(last);
      if (this.#limiter) {
        const decision = await this.#limiter.consume(this.#limitKey, 1);
        if (!decision.allowed) throw createRateLimitedError(this.service, decision.retryAfterMs, undefined);
      }
      let outcome: AttemptOutcome | 'rejected' | 'limited';
      if (hedging === undefined) {
        const single = await this.#runner.run(endpoint, request, sent + 1, deadline, signal, undefined);
        // Only a hedged round supersedes attempts.
        outcome = single === 'superseded' ? 'rejected' : single;
        if (typeof outcome === 'object') sent += 1;
      } else {
        const next = (): number => (sent += 1);
        const round = await this.#round(endpoint, request, deadline, signal, hedging, tried, next);
        outcome = round.outcome;
        for (const used of round.used) (tried ??= new Set()).add(used);
      }
      if (outcome === 'limited') throw this.#concurrency!.rejection();
      if (outcome === 'rejected') {
        (tried ??= new Set()).add(endpoint);
        // Half-open with every probe slot taken: nothing was sent, so try another endpoint.
        if (++rejections > this.#registry.all.length) throw this.#unavailable(last);
        continue;
      }
      attempt += 1;
      last = outcome;
      if (isFinalResponse(outcome) && outcome.kind === 'response') {
        const { status, headers, body } = outcome.result;
        return { status, headers, body, endpoint: outcome.endpoint.key, attempts: sent };
      }
      const reason = retryReason(outcome, request.retryable);
      if (reason === undefined) throw finalError(this.service, outcome);
      const delayMs = this.#retryDelay(outcome, attempt, previousDelayMs, deadline, reason);
      if (delayMs === undefined) throw finalError(this.service, outcome);
      previousDelayMs = delayMs;
      (tried ??= new Set()).add(endpoint);
      this.#retry.retry(attempt, delayMs, reason);
      await sleep(delayMs, signal);
    }
  }

  /** The delay before the next attempt, or `undefined` when the call must give up now. */
  #retryDelay(
    outcome: AttemptOutcome,
    attempt: number,
    previousMs: number,
    deadline: Deadline,
    reason: string,
  ): number | undefined {
    const requested = requestedDelayMs(outcome);
    const delayMs = Math.max(this.#backoff.delayMs(attempt, previousMs), requested ?? 0);
    const canWait =
      attempt < this.#maxAttempts &&
      (requested === undefined || requested <= this.#maxRetryAfterMs) &&
      delayMs < deadline.remainingMs();
    if (canWait && this.#budget.tryWithdraw()) return delayMs;
    if (canWait) this.#retry.budgetExhausted();
    this.#retry.giveUp(attempt, reason);
    return undefined;
  }

  /** One attempt with its hedges (see {@link HedgedRound}). */
  #round(
    endpoint: Endpoint,
    request: PreparedRequest,
    deadline: Deadline,
    signal: AbortSignal | undefined,
    hedging: CallHedging,
    tried: ReadonlySet<Endpoint> | undefined,
    next: () => number,
  ): Promise<RoundResult> {
    const { window } = hedging;
    return new HedgedRound({
      events: this.#hedging.events,
      delayMs: hedging.delayMs,
      maxHedges: hedging.maxHedges,
      budget: this.#hedging.budget,
      tried,
      now: this.#now,
      pick: (exclude) => this.#registry.pick(exclude),
      send: async (target, tag) => {
        const started = this.#now();
        const result = await this.#runner.run(target, request, next(), deadline, signal, tag);
        // Answered attempts feed the live hedge delay (failures and losers say little about it).
        if (window && typeof result === 'object' && isFinalResponse(result))
          window.add(this.#now() - started);
        return result;
      },
    }).run(endpoint);
  }

  #unavailable(last: AttemptOutcome | undefined): UpstreamUnavailableError {
    return unavailableError(this.service, this.#registry.all, last);
  }
}

/**
 * Builds a {@link ServiceClient}: one per upstream service, shared by the whole process.
 * @example
 * const users = createServiceClient({ service: 'user', endpoints: process.env.USER_SERVICE_URL! });
 * const { body } = await users.request({ path: `/users/${id}` });
 */
export function createServiceClient(options: ServiceClientOptions): ServiceClient {
  return new ServiceClient(options);
}
