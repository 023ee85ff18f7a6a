/**
 * The order service's view of the payment service: `POST /payments` through one resilience
 * service client per process, with the order id as Idempotency-Key, and every answer sorted into
 * captured, declined, transient (retry later) or rejected (never retry).
 */
import { bridgeServiceClient, type MetricsRegistry } from '@shipshape/observability/metrics';
import {
  createServiceClient,
  isBulkheadRejectedError,
  isRateLimitedError,
  isTimeoutError,
  isUpstreamHttpError,
  isUpstreamUnavailableError,
  retryAfterMs,
  type ClientTlsOptions,
  type LookupFunction,
  type ServiceClient,
} from '@shipshape/resilience/http';
import type { PaymentJob } from '../storage/payment-job.ts';
import { RejectedPaymentError } from './errors/rejected-payment-error.ts';
import { TransientPaymentError } from './errors/transient-payment-error.ts';
import type { PaymentsConfig } from './payments-config.ts';

/** The logical name of the payment service: `peer_service` label, breaker names `payment/<host:port>`. */
export const paymentServiceName = 'payment';

/** A charge the payment service settled. */
export interface SettledCharge {
  readonly status: 'captured' | 'declined';
  /** The payment's id in the payment service. */
  readonly paymentId: string;
  /** True when the payment service answered an earlier charge with this key (200, not 201). */
  readonly replayed: boolean;
}

/** Options of {@link PaymentClient}. */
export interface PaymentClientOptions {
  /** `PAYMENT_SERVICE_URL`: one URL, a comma-separated list, or a hostname with several addresses. */
  endpoints: string;
  /** The `paymentClient.*` settings (budgets and breaker). */
  settings: PaymentsConfig['paymentClient'];
  /**
   * Mutual TLS towards the payment service (`runService`'s `clientTls.options('payment')`); the
   * URLs must then be `https:`.
   * @default none: plain HTTP
   */
  tls?: ClientTlsOptions;
  /**
   * Registry to record the client in: `http_client_request_duration_seconds{peer_service="payment"}`
   * and `resilience_*{name="payment…"}`.
   * @default none: not recorded
   */
  metrics?: MetricsRegistry;
  /**
   * Hostname resolver (tests inject one).
   * @default the system resolver, every address
   */
  lookup?: LookupFunction;
}

interface PaymentBody {
  id?: unknown;
  status?: unknown;
  code?: unknown;
}

/**
 * Charges orders. `charge` resolves with a settled charge or throws
 * {@link TransientPaymentError} (retry later; `retryAfterMs` carries the upstream's hint) or
 * {@link RejectedPaymentError} (a 4xx retrying cannot fix). A 409 `idempotency_key_in_progress`
 * (the same order being charged by a crashed or concurrent attempt) is transient.
 */
export class PaymentClient {
  /** The underlying service client (its events, endpoints and policies). */
  readonly client: ServiceClient;
  readonly #bridge: { dispose(): void } | undefined;

  constructor(options: PaymentClientOptions) {
    const s = options.settings;
    this.client = createServiceClient({
      service: paymentServiceName,
      endpoints: options.endpoints,
      timeoutMs: s.timeoutMs,
      perTryTimeoutMs: s.perTryTimeoutMs,
      maxAttempts: s.maxAttempts,
      maxRetryAfterMs: s.maxRetryAfterMs,
      breaker: {
        failureRateThreshold: s.breakerFailureRateThreshold,
        minimumCalls: s.breakerMinimumCalls,
        openDurationMs: s.breakerOpenDurationMs,
        window: { kind: 'time', durationMs: 10_000 },
      },
      ...(options.tls ? { tls: options.tls } : {}),
      ...(options.lookup ? { lookup: options.lookup } : {}),
    });
    this.#bridge = options.metrics ? bridgeServiceClient(this.client, options.metrics) : undefined;
  }

  /** `POST /payments` for the order of `job`, Idempotency-Key = order id. */
  async charge(job: PaymentJob, signal?: AbortSignal): Promise<SettledCharge> {
    let response;
    try {
      response = await this.client.request<PaymentBody>({
        method: 'POST',
        path: '/payments',
        body: { orderId: job.orderId, amountCents: job.amountCents, currency: job.currency },
        idempotencyKey: job.orderId,
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      throw transientOf(error);
    }
    const { status, body, headers } = response;
    if ((status === 200 || status === 201) && (body.status === 'captured' || body.status === 'declined')) {
      return { status: body.status, paymentId: String(body.id), replayed: status === 200 };
    }
    const code = typeof body.code === 'string' ? body.code : undefined;
    if (status === 409) {
      throw new TransientPaymentError('in_progress', 'a charge with this Idempotency-Key is in progress', {
        retryAfterMs: retryAfterMs(headers),
      });
    }
    throw new RejectedPaymentError(status, code);
  }

  /** Stops recording, waits for in-flight charges and closes the connection pools. */
  async close(): Promise<void> {
    this.#bridge?.dispose();
    await this.client.close();
  }
}

/** The transient error for a failure of the service client; anything unknown is rethrown as is. */
function transientOf(error: unknown): unknown {
  const hint = (error as { retryAfterMs?: unknown } | undefined)?.retryAfterMs;
  const options = { cause: error, retryAfterMs: typeof hint === 'number' && hint > 0 ? hint : undefined };
  const message = error instanceof Error ? error.message : String(error);
  if (isUpstreamHttpError(error)) return new TransientPaymentError(`http_${error.status}`, message, options);
  if (isUpstreamUnavailableError(error)) return new TransientPaymentError(error.reason, message, options);
  if (isRateLimitedError(error)) return new TransientPaymentError('rate_limited', message, options);
  if (isTimeoutError(error)) return new TransientPaymentError('timeout', message, options);
  if (isBulkheadRejectedError(error)) return new TransientPaymentError('bulkhead_full', message, options);
  return error;
}

/** The payment client `paymentServiceUrl` and `paymentClient.*` describe, recorded in `metrics`. */
export function createPaymentClient(
  config: Pick<PaymentsConfig, 'paymentServiceUrl' | 'paymentClient'>,
  metrics?: MetricsRegistry,
  tls?: ClientTlsOptions,
): PaymentClient {
  return new PaymentClient({
    endpoints: config.paymentServiceUrl,
    settings: config.paymentClient,
    ...(metrics ? { metrics } : {}),
    ...(tls ? { tls } : {}),
  });
}
