import type { IncomingHttpHeaders } from 'node:http';
import type { EndpointBreaker } from './endpoints/endpoint.ts';
import type { ClientHedgingEvents } from './hedging/hedging-events.ts';
import type { RequestHedgingOptions } from './hedging/client-hedging.ts';
import type { ClientBulkhead, ClientConcurrencyLimiter, ClientRateLimiter } from './policy-shapes.ts';
import type { ClientRetryEvents } from './retry-events.ts';
import type { ClientTimeoutEvents } from './timeout-events.ts';

/** One call to the upstream. */
export interface ServiceRequest {
  /**
   * HTTP method (upper-case).
   * @default 'GET'
   */
  method?: string;
  /** Path starting with `/`, without the query string. */
  path: string;
  /** Query parameters; `undefined` values are left out. */
  query?: Record<string, string | number | boolean | undefined>;
  /**
   * Body: a string or bytes are sent as they are; anything else is sent as JSON with
   * `content-type: application/json`.
   */
  body?: unknown;
  /** Extra headers (any case); `undefined` values are left out. */
  headers?: Record<string, string | undefined>;
  /**
   * Sent as `Idempotency-Key`; makes a non-idempotent request (POST, PATCH) retryable.
   */
  idempotencyKey?: string;
  /** Sent as `x-request-id`; default: the `x-request-id` header, else the client's `requestId()`. */
  requestId?: string;
  /**
   * Total budget of this call, in ms (pass what is left of your own inbound deadline).
   * @default the client's `timeoutMs`
   */
  timeoutMs?: number;
  /** Cancels the call, its waits and its in-flight attempt. */
  signal?: AbortSignal;
  /**
   * The route template (`/users/:id`): calls of one route share a latency window for the live
   * hedge delay (routes of very different speed should not share one).
   * @default one window for every call of the client
   */
  route?: string;
  /**
   * Hedging of this call: `false` turns it off, options replace the client's `hedging` (keep one
   * constant per route: it is validated once per object).
   * @default the client's `hedging`
   */
  hedging?: RequestHedgingOptions | false;
}

/** The answer to a call that succeeded (2xx, 3xx) or that the caller must judge (4xx). */
export interface ServiceResponse<T = unknown> {
  status: number;
  headers: IncomingHttpHeaders;
  /** Parsed JSON when the content type says JSON, else the text; `undefined` when empty. */
  body: T;
  /** `host:port` of the endpoint that answered. */
  endpoint: string;
  /** Attempts sent for this call, hedges included (1 = no retry, no hedge). */
  attempts: number;
}

/** Payload of `client.onAttempt`: one attempt sent (or failed to send) to one endpoint. */
export interface AttemptEvent {
  service: string;
  method: string;
  /** `host:port`. */
  endpoint: string;
  /** The answer's status, or `'error'` for a transport failure or timeout. */
  statusCode: number | 'error';
  durationMs: number;
  /** 1 for the first try, 2 for the first retry, … */
  attempt: number;
}

/** Payload of `client.onResolveError`. */
export interface ResolveErrorEvent {
  service: string;
  hostname: string;
  error: unknown;
}

/** Everything inside a client that emits events, for the metrics bridge. */
export interface ServiceClientPolicies {
  /** One circuit breaker per live endpoint (empty with `breaker: false`). */
  breakers: EndpointBreaker[];
  retry: ClientRetryEvents;
  /** Attempts cancelled by their per-try timeout or the call's deadline. */
  timeout: ClientTimeoutEvents;
  bulkhead: ClientBulkhead;
  limiter?: ClientRateLimiter;
  /** Hedges sent, won and skipped (zero while hedging is off). */
  hedging: ClientHedgingEvents;
  /** The adaptive concurrency limit, when the client has one. */
  concurrencyLimit?: ClientConcurrencyLimiter;
}
