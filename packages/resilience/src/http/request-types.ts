import type { IncomingHttpHeaders } from 'node:http';
import type { EndpointBreaker } from './endpoints/endpoint.ts';
import type { ClientBulkhead, ClientRateLimiter } from './policy-shapes.ts';
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
}

/** The answer to a call that succeeded (2xx, 3xx) or that the caller must judge (4xx). */
export interface ServiceResponse<T = unknown> {
  status: number;
  headers: IncomingHttpHeaders;
  /** Parsed JSON when the content type says JSON, else the text; `undefined` when empty. */
  body: T;
  /** `host:port` of the endpoint that answered. */
  endpoint: string;
  /** Attempts sent for this call (1 = no retry). */
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
}
