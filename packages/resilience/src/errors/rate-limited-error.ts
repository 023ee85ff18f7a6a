import { errorBrand, hasBrand } from './brand.ts';

const brand = 'RateLimitedError';

/** Options of {@link RateLimitedError}. */
export interface RateLimitedErrorOptions {
  /**
   * What limited the call: a limiter name, or the service that answered 429.
   * @default undefined
   */
  source?: string;
  /**
   * Human-readable message.
   * @default `rate limited[ by <source>]; retry after <retryAfterMs> ms`
   */
  message?: string;
  /**
   * Extra detail, e.g. the problem+json body of a 429 answer.
   * @default undefined
   */
  details?: unknown;
  /** The underlying error, if any. @default undefined */
  cause?: unknown;
}

/**
 * Thrown when a rate limit refused a call: a local or Redis limiter's rejection, or an
 * upstream's 429. `retryAfterMs` says when the same call could be admitted.
 */
export class RateLimitedError extends Error {
  /** Stable machine-readable code. */
  readonly code = 'rate_limited' as const;
  /** Milliseconds until the same call could be admitted (0 when unknown). */
  readonly retryAfterMs: number;
  /** What limited the call (limiter name or upstream service), when known. */
  readonly source: string | undefined;
  /** Extra detail, e.g. the problem+json body of a 429 answer. */
  readonly details: unknown;
  declare readonly [errorBrand]: string;

  constructor(retryAfterMs: number, options: RateLimitedErrorOptions = {}) {
    const by = options.source === undefined ? '' : ` by ${options.source}`;
    super(options.message ?? `rate limited${by}; retry after ${retryAfterMs} ms`, {
      cause: options.cause,
    });
    this.name = 'RateLimitedError';
    this.retryAfterMs = retryAfterMs;
    this.source = options.source;
    this.details = options.details;
    Object.defineProperty(this, errorBrand, { value: brand });
  }
}

/** True for a {@link RateLimitedError}, also one created by another copy of this package. */
export function isRateLimitedError(value: unknown): value is RateLimitedError {
  return hasBrand(value, brand);
}
