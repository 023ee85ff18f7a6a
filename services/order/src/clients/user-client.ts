/**
 * The user directory of the order service: does a user exist? One resilience service client
 * (`@shipshape/resilience/http`) per process, shared by every request, with its events bridged
 * to the service's metrics.
 */
import { getRequestId } from '@shipshape/observability/logging';
import { bridgeServiceClient, type MetricsRegistry } from '@shipshape/observability/metrics';
import {
  createServiceClient,
  isBulkheadRejectedError,
  isConcurrencyLimitExceededError,
  isRateLimitedError,
  isTimeoutError,
  isUpstreamHttpError,
  isUpstreamUnavailableError,
  type ClientTlsOptions,
  type LookupFunction,
  type ServiceClient,
  type ServiceClientOptions,
} from '@shipshape/resilience/http';
import { LookupDeadlineError } from '../errors/lookup-deadline-error.ts';
import {
  UserServiceUnavailableError,
  type UserServiceUnavailableReason,
} from '../errors/user-service-unavailable-error.ts';

/** The logical name of the user service: `peer_service` label, breaker names `user/<host:port>`. */
export const userServiceName = 'user';

/** Per-call options of {@link UserDirectory.lookup}. */
export interface UserLookupOptions {
  /** Aborts the lookup (the inbound request's deadline or disconnect). */
  signal?: AbortSignal;
  /**
   * Budget of this lookup, in ms (what is left of the inbound deadline); the client's own
   * `timeoutMs` still bounds it.
   * @default the client's `timeoutMs`
   */
  timeoutMs?: number;
}

/** What a lookup found: the user service answered 200 (`exists`) or 404 (`unknown`). */
export type UserLookup = 'exists' | 'unknown';

/** What `POST /orders` needs of the user service (`UserClient` fits; tests may pass another). */
export interface UserDirectory {
  /**
   * Whether the user exists.
   * @throws {UserServiceUnavailableError} the user service gave no usable answer in time.
   * @throws {LookupDeadlineError} `timeoutMs` (the caller's deadline) ran out first.
   */
  lookup(userId: string, options?: UserLookupOptions): Promise<UserLookup>;
}

/** Options of {@link UserClient}. Durations in ms. */
export interface UserClientOptions {
  /** `USER_SERVICE_URL`: one URL, a comma-separated list, or a hostname with several addresses. */
  endpoints: string;
  /**
   * Mutual TLS towards the user service (`runService`'s `clientTls.options('user')`); the URLs
   * must then be `https:`.
   * @default none: plain HTTP
   */
  tls?: ClientTlsOptions;
  /**
   * Total budget of one lookup.
   * @default 2_000
   */
  timeoutMs?: number;
  /**
   * Budget of one attempt.
   * @default 1_000
   */
  perTryTimeoutMs?: number;
  /**
   * Attempts per lookup, the first included.
   * @default 3
   */
  maxAttempts?: number;
  /**
   * Per-endpoint breaker: opens at `failureRateThreshold` failures over a 10 s window once
   * `minimumCalls` calls were seen, probes again after `openDurationMs`.
   * @default { failureRateThreshold: 0.5, minimumCalls: 10, openDurationMs: 5_000 }
   */
  breaker?: { failureRateThreshold?: number; minimumCalls?: number; openDurationMs?: number };
  /**
   * Adaptive concurrency limit towards the user service (`ServiceClientOptions.concurrencyLimit`):
   * a lookup over the limit fails at once as 503 `upstream_unavailable` with `Retry-After`.
   * @default none
   */
  concurrencyLimit?: ServiceClientOptions['concurrencyLimit'];
  /**
   * Hedged lookups (`ServiceClientOptions.hedging`; `GET /users/:id` is safe to send twice).
   * @default none
   */
  hedging?: ServiceClientOptions['hedging'];
  /**
   * Registry to record the client in: `http_client_request_duration_seconds{peer_service="user"}`
   * and `resilience_*{name="user…"}` (breakers, retries, timeouts, bulkhead).
   * @default none: not recorded
   */
  metrics?: MetricsRegistry;
  /**
   * Hostname resolver (tests inject one).
   * @default the system resolver, every address
   */
  lookup?: LookupFunction;
}

const defaults = {
  timeoutMs: 2_000,
  perTryTimeoutMs: 1_000,
  maxAttempts: 3,
  breaker: { failureRateThreshold: 0.5, minimumCalls: 10, openDurationMs: 5_000 },
} as const;

/**
 * One signal for a lookup: the caller's (inbound deadline, disconnect) and, when `budgetMs` is
 * given, a timer of that budget. A single AbortController with a plain timer, not
 * `AbortSignal.any`: composed that way, some aborts did not reach the service client under load.
 */
function callerBudget(
  parent: AbortSignal | undefined,
  budgetMs: number | undefined,
): { signal: AbortSignal | undefined; expired: () => boolean; dispose: () => void } {
  if (budgetMs === undefined) return { signal: parent, expired: () => false, dispose: () => undefined };
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort(new DOMException('the lookup budget ran out', 'TimeoutError'));
  }, budgetMs);
  const onParentAbort = (): void => controller.abort(parent?.reason);
  parent?.addEventListener('abort', onParentAbort, { once: true });
  if (parent?.aborted) onParentAbort();
  return {
    signal: controller.signal,
    expired: () => expired,
    dispose: () => {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParentAbort);
    },
  };
}

/** The reason of an error the service client ended a call with. */
function reasonOf(error: unknown): UserServiceUnavailableReason | undefined {
  if (isUpstreamUnavailableError(error)) return error.reason;
  if (isTimeoutError(error)) return 'timeout';
  if (isUpstreamHttpError(error)) return 'http_error';
  if (isRateLimitedError(error)) return 'rate_limited';
  if (isBulkheadRejectedError(error)) return 'bulkhead_full';
  if (isConcurrencyLimitExceededError(error)) return 'concurrency_limited';
  return undefined;
}

/**
 * `GET /users/:id` through the resilience pipeline (bulkhead, retries within a budget, load
 * balancing, a breaker per endpoint, per-try timeouts, `traceparent`, `x-request-id`,
 * `x-request-timeout-ms`). 200 → `exists`, 404 → `unknown`; every failure to get one of these
 * (unreachable, breaker open, timeout, 5xx after retries, 429, any other status) throws
 * {@link UserServiceUnavailableError} with a `retryAfterMs` hint.
 */
export class UserClient implements UserDirectory {
  /** The underlying service client (its events, endpoints and policies). */
  readonly client: ServiceClient;
  readonly #bridge: { dispose(): void } | undefined;
  readonly #timeoutMs: number;

  constructor(options: UserClientOptions) {
    this.#timeoutMs = options.timeoutMs ?? defaults.timeoutMs;
    this.client = createServiceClient({
      service: userServiceName,
      endpoints: options.endpoints,
      timeoutMs: this.#timeoutMs,
      perTryTimeoutMs: options.perTryTimeoutMs ?? defaults.perTryTimeoutMs,
      maxAttempts: options.maxAttempts ?? defaults.maxAttempts,
      breaker: {
        ...defaults.breaker,
        ...options.breaker,
        window: { kind: 'time', durationMs: 10_000 },
      },
      requestId: getRequestId,
      ...(options.concurrencyLimit ? { concurrencyLimit: options.concurrencyLimit } : {}),
      ...(options.hedging ? { hedging: options.hedging } : {}),
      ...(options.tls ? { tls: options.tls } : {}),
      ...(options.lookup ? { lookup: options.lookup } : {}),
    });
    this.#bridge = options.metrics ? bridgeServiceClient(this.client, options.metrics) : undefined;
  }

  /**
   * A `timeoutMs` below the client's own is the caller's deadline: it ends the lookup through an
   * AbortSignal, which the service client treats as the caller's cancellation — no breaker
   * failure, no retry — and it becomes a {@link LookupDeadlineError}, not an outage. Only a
   * timeout of the client's own budget counts against the user service.
   *
   * The client keeps its own timeouts (and sends them as `x-request-timeout-ms`) rather than the
   * caller's budget: had the budget been the client's timeout too, whichever timer ran first
   * under event-loop lag would decide whether the user service is blamed. The abort closes the
   * connection, which ends the lookup on the user service as well.
   */
  async lookup(userId: string, options: UserLookupOptions = {}): Promise<UserLookup> {
    const budgetMs = Math.max(0, options.timeoutMs ?? Infinity);
    const byCaller = budgetMs < this.#timeoutMs;
    if (byCaller && budgetMs < 1) throw new LookupDeadlineError(budgetMs);
    const { signal, expired, dispose } = callerBudget(options.signal, byCaller ? budgetMs : undefined);
    let status: number;
    try {
      ({ status } = await this.client.request({
        path: `/users/${encodeURIComponent(userId)}`,
        route: '/users/:id',
        timeoutMs: this.#timeoutMs,
        ...(signal ? { signal } : {}),
      }));
    } catch (error) {
      // The caller gave up (deadline passed, client left): not the upstream's fault.
      if (options.signal?.aborted) throw error;
      if (expired()) throw new LookupDeadlineError(budgetMs, { cause: error });
      const reason = reasonOf(error);
      if (reason === undefined) throw error;
      const retryAfterMs = (error as { retryAfterMs?: number }).retryAfterMs;
      throw new UserServiceUnavailableError(userServiceName, reason, {
        cause: error,
        ...(typeof retryAfterMs === 'number' ? { retryAfterMs } : {}),
      });
    } finally {
      dispose();
    }
    if (status === 200) return 'exists';
    if (status === 404) return 'unknown';
    throw new UserServiceUnavailableError(userServiceName, 'unexpected_status', {
      cause: new Error(`the user service answered ${status}`),
    });
  }

  /** Stops recording, waits for in-flight lookups and closes the connection pools. */
  async close(): Promise<void> {
    this.#bridge?.dispose();
    await this.client.close();
  }
}

/** The configuration keys {@link createUserClient} reads (the order config has them). */
export interface UserClientConfig {
  readonly userServiceUrl: string;
  readonly userClient: {
    readonly timeoutMs: number;
    readonly perTryTimeoutMs: number;
    readonly maxAttempts: number;
    readonly breakerFailureRateThreshold: number;
    readonly breakerMinimumCalls: number;
    readonly breakerOpenDurationMs: number;
  };
}

/** The user client `userServiceUrl` and `userClient.*` describe, recorded in `metrics`. */
export function createUserClient(
  config: UserClientConfig,
  metrics?: MetricsRegistry,
  tls?: ClientTlsOptions,
): UserClient {
  const settings = config.userClient;
  return new UserClient({
    endpoints: config.userServiceUrl,
    timeoutMs: settings.timeoutMs,
    perTryTimeoutMs: settings.perTryTimeoutMs,
    maxAttempts: settings.maxAttempts,
    breaker: {
      failureRateThreshold: settings.breakerFailureRateThreshold,
      minimumCalls: settings.breakerMinimumCalls,
      openDurationMs: settings.breakerOpenDurationMs,
    },
    ...(metrics ? { metrics } : {}),
    ...(tls ? { tls } : {}),
  });
}
